"""Long mrkdwn split into Slack messages, never inside an entity, a mention, a link or code.

Slack wants `&`, `<` and `>` escaped as `&amp;`, `&lt;`, `&gt;`, and writes mentions, channel
links, specials and links as `<@U…>`, `<#C…>`, `<!channel>`, `<url|text>`
(https://api.slack.com/reference/surfaces/formatting). Cutting inside one of these shows the
reader `&` and then `gt;`, or a broken link. So the text is cut only between safe points:
at a line break if the part has one, else after a space, else between two characters that
are not inside such a token. Only a single token longer than a whole message (a code span
of thousands of characters) is cut inside, and then still never inside an entity.
"""

from __future__ import annotations

import re

# Tokens that must stay whole: fenced and inline code, <…>, entities. Then, so that a cut does
# not show stray markers, a line's *bold*, _italic_ and ~strike~ runs without <…> or code in
# them (found separately: a run may still overlap a token, e.g. an entity, and both are kept).
_HARD = re.compile(r"```.*?```|`[^`\n]+`|<[^<>]*>|&(?:amp|lt|gt);", re.DOTALL)
_EMPHASIS = re.compile(r"\*[^*\n<>`]+\*|_[^_\n<>`]+_|~[^~\n<>`]+~")
_ENTITY = re.compile(r"&(?:amp|lt|gt);")


def split_mrkdwn(text: str, limit: int) -> list[str]:
    """`text` (mrkdwn, already escaped) as parts of at most `limit` characters, in order.

    Line breaks where a part ends are dropped (each part is its own message); nothing else is
    dropped or added, and parts holding only whitespace are left out. Raises ValueError when
    `limit` is below 5 (an entity must fit)."""
    if limit < len("&amp;"):
        raise ValueError("limit must hold at least one entity (5 characters)")
    hard = _inside(text, _HARD)
    every = bytearray(a | b for a, b in zip(hard, _inside(text, _EMPHASIS), strict=True))
    # Safe points by preference: outside every token; outside code, <…> and entities (an
    # emphasis run longer than a message); outside entities (a code span that long).
    layers = (every, hard, _inside(text, _ENTITY))
    parts: list[str] = []
    start, end = 0, len(text)
    while start < end:
        while start < end and text[start] == "\n":
            start += 1
        if end - start <= limit:
            parts.append(text[start:])
            break
        cut = _cut(text, start, start + limit, layers)
        parts.append(text[start:cut])
        start = cut
    return [part for part in parts if part.strip()]


def _inside(text: str, pattern: re.Pattern[str]) -> bytearray:
    """1 at each offset strictly inside a token (cutting there would break it), else 0."""
    marks = bytearray(len(text) + 1)
    for match in pattern.finditer(text):
        marks[match.start() + 1:match.end()] = b"\x01" * (match.end() - match.start() - 1)
    return marks


def _cut(text: str, start: int, hard: int, layers: tuple[bytearray, ...]) -> int:
    """Where the part that begins at `start` ends (exclusive, `start` < result <= `hard`):
    the last line break, else the last space, else the last offset that the strictest
    possible layer of `layers` allows."""
    for inside in layers:
        for sep, after in (("\n", 0), (" ", 1)):
            at = text.rfind(sep, start + 1, hard + 1 - after)
            while at > start and inside[at + after]:
                at = text.rfind(sep, start + 1, at)
            if at > start:
                return at + after
        for at in range(hard, start, -1):
            if not inside[at]:
                return at
    return hard
