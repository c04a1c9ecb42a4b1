"""User text inside the bot's light Markdown: always text, never structure.

The core writes CommonMark (headings, `- ` and `1. ` lists, `**bold**`); the record holds what
people typed. Every free-text field (titles, reports, decisions, commitments, messages,
summaries, agenda items) goes through `inline` or `block` before it is put into that Markdown,
so `## Åtaganden` or `- **Polisen**: …` typed by someone stays text inside its own entry in
the Markdown, in Matrix's HTML and in Slack's mrkdwn (CommonMark §2.4: any ASCII punctuation
may be backslash-escaped; the characters escaped here are those that start a block at the
beginning of a line — §4, §5 — or open inline markup). Platforms without markup show the text
through `plain`, which drops the escapes again.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]&]|<(?!@[A-Za-z0-9._-]+>))")  # `<@key>` stays a mention
# What starts a block when it begins a line: ATX heading, block quote, list bullet, ordered
# list number, setext underline, thematic break, fenced code (` is escaped inline), table pipe.
_LINE_START = re.compile(r"^(?:([#>+=~|-])|(\d{1,9})([.)]))")
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash escape; group 1 the character
NBSP = "\u00a0"


def _line(text: str) -> str:
    escaped = _INLINE.sub(r"\\\1", text.strip())
    return _LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1)
                           else f"{m.group(2)}\\{m.group(3)}", escaped)


def inline(text: str) -> str:
    """`text` as literal Markdown on one line: line breaks and runs of spaces become one
    space (for a heading or a title inside a sentence)."""
    return _line(" ".join(text.split()))


def block(text: str, indent: int = 0) -> str:
    """`text` as literal Markdown that keeps its line breaks and stays inside the entry it is
    put in: every line after the first is indented by `indent` spaces (the content column of
    the list item: 2 for `- `, 3 for `1. `), leading spaces are dropped (they would make code
    blocks), and an empty line is a line holding a no-break space, so it neither ends the
    paragraph nor the list item."""
    lines = [_line(line) or NBSP for line in text.strip().splitlines()] or [""]
    pad = " " * indent
    return "\n".join([lines[0], *(pad + line for line in lines[1:])])


def plain(markdown: str) -> str:
    """The bot's Markdown for a platform without markup: escapes dropped, no-break spaces of
    empty lines emptied."""
    return ESCAPED.sub(r"\1", markdown).replace(NBSP + "\n", "\n")
