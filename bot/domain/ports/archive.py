"""Port of the archive: where a closed activation's protocol files can be fetched."""

from __future__ import annotations

from typing import Protocol


class ArchiveLinks(Protocol):
    """Signed links to one activation's protocol files (the bot's HTTP server serves them;
    `bot.archive.serve.ProtocolLinks` implements this)."""

    def links(self, activation_id: str) -> dict[str, str]:
        """{format: URL} for "pdf", "html" and "md", in that order."""
        ...
