"""Which Matrix messages are commands, and what text goes to the core."""

from __future__ import annotations

import re
from typing import Any

# Element swallows unknown /commands unless sent "as message", so `!` is the Matrix way;
# `/aktivera` typed as text (or `//aktivera`) is accepted too.
_BANG = re.compile(r"^\s*!(?=\w)", re.UNICODE)
_SLASH = re.compile(r"^\s*/{1,2}(aktivera|activate|samverkan)\b", re.IGNORECASE)
_UMBRELLA = re.compile(r"^samverkan(\s+|$)", re.IGNORECASE)


def command_text(body: str) -> str | None:
    """The command without its prefix (`!aktivera x` → `aktivera x`, `!samverkan läge x` →
    `läge x`), or None when the message is not a command."""
    if (bang := _BANG.match(body)) is not None:
        text = body[bang.end():]
    elif (slash := _SLASH.match(body)) is not None:
        text = body[slash.start(1):]
    else:
        return None
    text = _UMBRELLA.sub("", text, count=1).strip()
    return text or "hjälp"


def is_edit(source: dict[str, Any]) -> bool:
    """An edit of an earlier message: the command already ran with the original."""
    relates = source.get("content", {}).get("m.relates_to") or {}
    return bool(relates.get("rel_type") == "m.replace")
