"""The protocol of an activation as files for the archive: Markdown (as built by
`bot.handlers.protocol.build_protocol`), HTML rendered from that Markdown, and PDF rendered
from the same Markdown's structure."""
