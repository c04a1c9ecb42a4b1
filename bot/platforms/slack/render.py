"""Light Markdown → Slack mrkdwn, channel names, and message chunks.

The core writes **bold**, *italic*, `- ` lists, [text](url) links and people as
`<@person-key>`; user text in it is backslash-escaped (`bot.texts.markup`), and an escaped
character is put back as a literal that no rule below turns into formatting. Slack wants
*bold*, _italic_, <url|text>, `<@U123>` and `&`, `<`, `>` escaped everywhere else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from bot.platforms.common import MENTION_RE
from bot.platforms.slack.split import split_mrkdwn
from bot.texts.markup import ESCAPED

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[-*]\s+", re.MULTILINE)
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")

CHANNEL_NAME_MAX = 80
MESSAGE_LIMIT = 3500  # Slack truncates at 40,000 and advises < 4,000 characters per message


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str, mentions: Mapping[str, str]) -> str:
    """`mentions` maps a person key to its rendering: `<@U123>` or an (unescaped) name."""
    tokens: list[str] = []

    def hold(match: re.Match[str]) -> str:
        key = match.group(1)
        shown = mentions.get(key, key)
        tokens.append(shown if MENTION_RE.fullmatch(shown) else escape(shown))
        return f"\x00{len(tokens) - 1}\x00"

    def literal(match: re.Match[str]) -> str:  # a Markdown escape: user text, shown as typed
        tokens.append(escape(match.group(1)))
        return f"\x00{len(tokens) - 1}\x00"

    out = escape(ESCAPED.sub(literal, MENTION_RE.sub(hold, text)))
    out = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", out)
    out = _HEADING.sub(r"**\1**", out)
    out = _BULLET.sub(r"\1• ", out)
    out = _BOLD.sub(lambda m: "\x01" + m.group(1) + "\x01", out)
    out = _ITALIC.sub(r"_\1_", out)
    out = out.replace("\x01", "*")
    return _PLACEHOLDER.sub(lambda m: tokens[int(m.group(1))], out)


def plain(text: str, mentions: Mapping[str, str]) -> str:
    """For places without mrkdwn (topic, purpose): markup dropped, mentions as names."""
    out = MENTION_RE.sub(lambda m: mentions.get(m.group(1), m.group(1)), text)
    return out.replace("**", "").replace("`", "")


_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o", "ß": "ss"})


def channel_name(text: str, prefix: str = "akt") -> str:
    """Slack's rules: lowercase a-z, 0-9, `-`, `_`; at most 80 characters.
    "2026-004 Snöstorm Gorm" → "akt-2026-004-snostorm-gorm"."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_only).strip("-_")
    name = f"{prefix}-{slug}" if slug else prefix
    return name[:CHANNEL_NAME_MAX].rstrip("-_")


def with_suffix(name: str, n: int) -> str:
    """The n-th alternative when the name is taken, still within 80 characters."""
    suffix = f"-{n}"
    return name[: CHANNEL_NAME_MAX - len(suffix)].rstrip("-_") + suffix


def chunks(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Rendered mrkdwn as messages of at most `limit` characters: cut at line ends where
    possible, and never inside an entity, a mention, a link or a code span (`split_mrkdwn`)."""
    return split_mrkdwn(text, limit)
