"""Rendering helpers shared by the platform adapters.

The core writes light Markdown (`**bold**`, `- ` lists, line breaks) with people as
`<@person-key>`. Adapters turn that into their own markup: HTML for Matrix, mrkdwn for Slack,
plain text for the terminal. User text is never trusted as markup: raw HTML is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from markdown_it import MarkdownIt

from bot.domain.ports import UnitOfWorkFactory

MENTION_RE = re.compile(r"<@([A-Za-z0-9._-]+)>")
# The same mention after markdown-it has HTML-escaped the angle brackets.
_ESCAPED_MENTION_RE = re.compile(r"&lt;@([A-Za-z0-9._-]+)&gt;")

# html=False: any HTML in the text (user input included) is shown as text, not interpreted.
# No raw HTML and no images (an <img> from a message would load a stranger's URL); links
# with javascript: and the like are left as text by markdown-it's validateLink. Tables: the
# protocol's attendance per conference (Matrix's HTML subset has <table>).
_MARKDOWN = (MarkdownIt("commonmark", {"html": False, "breaks": True})
             .disable("image").enable("table"))


def mentioned_keys(text: str) -> list[str]:
    """Person keys mentioned in `text`, in order, without repeats."""
    return list(dict.fromkeys(MENTION_RE.findall(text)))


def replace_mentions(text: str, render: Callable[[str], str]) -> str:
    """`text` with every `<@key>` replaced by `render(key)`."""
    return MENTION_RE.sub(lambda m: render(m.group(1)), text)


def markdown_to_html(text: str, mention: Callable[[str], str] | None = None) -> str:
    """Light Markdown → HTML with everything from the text escaped.

    `mention(key)` returns ready HTML for a person (the caller escapes what it inserts);
    without it a mention is left as the escaped `<@key>`.
    """
    html: str = _MARKDOWN.render(text).strip()
    if mention is None:
        return html
    return _ESCAPED_MENTION_RE.sub(lambda m: mention(m.group(1)), html)


def chunk_text(text: str, limit: int) -> Iterator[str]:
    """Split `text` into pieces of at most `limit` characters, at line breaks when possible
    (long protocols exceed a platform's message size)."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    piece = ""
    for raw in text.splitlines(keepends=True):
        # A single overlong line is cut hard; the rest of it continues as a line.
        parts = [raw[i:i + limit] for i in range(0, len(raw), limit)] or [raw]
        for part in parts:
            if piece and len(piece) + len(part) > limit:
                yield piece.rstrip("\n")
                piece = ""
            piece += part
    if piece.strip():
        yield piece.rstrip("\n")


async def bound_room(uow: UnitOfWorkFactory, kind: str, key: str, platform: str) -> str | None:
    """The platform room bound to a neutral room (an activation's, a forum's, a person's)."""
    async with uow() as work:
        return await work.rooms.room(kind, key, platform)


async def bind_room(uow: UnitOfWorkFactory, kind: str, key: str, platform: str,
                    room_id: str) -> None:
    async with uow() as work:
        await work.rooms.bind(kind, key, platform, room_id)
        await work.commit()
