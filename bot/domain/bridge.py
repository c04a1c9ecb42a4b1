"""The bridge: one war room on two platforms. An activation whose war room exists on Slack and
on Matrix has every ordinary message of one room relayed into the other, as the bot, headed
by the sender's name, function and actor ("Anna Berg (TiB Botkyrka): …").

Values only (no I/O): what an incoming message is made of (`Part`s: text, links, roster
mentions; attachments), the effect the outbox performs on the other platform
(`BridgeMessage`), how the relayed text is written (`compose`, in the bot's light Markdown
with everything the sender typed escaped, `bot.texts.markup`), and on which platform a
person on both is invited (`invite_here`, the roster's `prefers`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.domain.roster import FunctionRef, Person, Roster

Action = Literal["post", "edit", "delete", "notice"]
DEFAULT_PREFERENCE = "matrix"  # a person on both platforms without `prefers`: see invite_here

# Inline escaping of what a sender typed (CommonMark §2.4: any ASCII punctuation may be
# backslash-escaped); `bot.texts.markup` does the same for the record's fields.
_INLINE = re.compile(r"([\\`*_\[\]&<>#|~!])")
_LINE_START = re.compile(r"^(\s*)(?:([+=-])|(\d{1,9})([.)]))")
NBSP = "\u00a0"
JOINER = "\u2060"  # word joiner: invisible, keeps a typed `<@key>` from reading as a mention
_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use: where a link or mention goes
_TOKEN = re.compile("\ue000(\\d+)\ue001")
CORRECTION = "✏️ rättelse"  # marks an edit relayed as a new message (its original was not)


@dataclass(frozen=True)
class Text:
    """Text as typed (no markup of any platform left in it)."""

    text: str


@dataclass(frozen=True)
class Link:
    """A link; `label` is what the sender showed (the URL itself when bare)."""

    url: str
    label: str = ""


@dataclass(frozen=True)
class Mention:
    """A roster person named in the message: a native mention on the other side."""

    person: str


Part = Text | Link | Mention


@dataclass(frozen=True)
class Attachment:
    """A file sent into a war room, relayed as a link (`url` must be http(s)); `size` in
    bytes when the platform said."""

    name: str
    url: str
    size: int | None = None


@dataclass(frozen=True)
class Incoming:
    """One message event of a war room, as an adapter read it.

    `key` is unique per event on its platform (Matrix event id; Slack "<channel>:<ts>" with
    the kind of change), so a re-delivered event is recognised; `message` is the id of the
    message it is about (its own for a post, the original's for an edit or a deletion).
    """

    platform: str
    room: str
    key: str
    message: str
    action: Literal["post", "edit", "delete"]
    person: str | None
    sender: str  # the platform's name for the sender (when not in the roster)
    parts: tuple[Part, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class BridgeMessage:
    """Relay into the activation's war room on every platform but `source_platform`.

    `action`: "post" (a new message, its id mapped to `source_id`), "edit" (replace the
    message relayed for `source_id`, or post `text` as a marked correction when there is
    none), "delete" (remove it), "notice" (a command and its answer, not mapped).
    `text` is the bot's light Markdown with `<@person>` mentions."""

    activation_id: str
    source_platform: str
    action: Action
    source_id: str | None = None
    text: str = ""
    mentions: list[str] = field(default_factory=list)
    type: Literal["bridge"] = "bridge"


def literal(text: str) -> str:
    """What a sender typed as literal Markdown that keeps its line breaks: every character
    that could make markup (emphasis, links, headings, lists, quotes, code, HTML) is escaped,
    leading spaces become no-break spaces (no code block), an empty line holds a no-break
    space (the message stays one paragraph), and a typed `<@key>` gets an invisible word
    joiner after `<`, so only the sender's real mentions (`Mention`) notify anyone."""
    lines = []
    text = text.replace("<@", "<" + JOINER + "@")  # a typed `<@key>` is no mention
    for line in text.split("\n"):
        escaped = _INLINE.sub(r"\\\1", line.rstrip())
        escaped = _LINE_START.sub(
            lambda m: m.group(1).replace(" ", NBSP)
            + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"), escaped)
        stripped = escaped.lstrip(" \t")
        lines.append(NBSP * (len(escaped) - len(stripped)) + stripped if stripped else NBSP)
    return "\n".join(lines)


def _link(link: Link) -> str:
    if not re.match(r"https?://[^\s()<>]+$", link.url):
        return literal(link.label or link.url)  # not a web link: shown as text
    label = link.label.strip() or link.url
    return f"[{literal(' '.join(label.split()))}]({link.url})"


def render_parts(parts: Sequence[Part]) -> str:
    """The parts as the bot's light Markdown: the text escaped as one piece (so line starts
    are line starts), links as Markdown links, mentions as `<@person>`."""
    tokens: list[str] = []
    typed: list[str] = []
    for part in parts:
        match part:
            case Text(text=text):
                typed.append(text.replace(_OPEN, "").replace(_CLOSE, ""))
                continue
            case Link():
                tokens.append(_link(part))
            case Mention(person=person):
                tokens.append(f"<@{person}>")
        typed.append(f"{_OPEN}{len(tokens) - 1}{_CLOSE}")
    joined = "".join(typed).strip("\n")
    if not joined.strip():
        return ""
    text = literal(joined)
    return _TOKEN.sub(lambda m: tokens[int(m.group(1))], text)


def attachment_line(item: Attachment) -> str:
    size = f" ({item.size / 1_000_000:.1f} MB)" if item.size else ""
    return f"📎 {_link(Link(item.url, item.name))}{size}"


def compose(header: str, incoming: Incoming) -> str:
    """The relayed message: `**header:**` then the message (on the same line when it is one
    line), then one line per attachment."""
    body = render_parts(incoming.parts)
    lines = [attachment_line(a) for a in incoming.attachments]
    head = f"**{literal(header)}:**"
    text = "\n".join([body, *lines]) if body else "\n".join(lines)
    if not text:
        return head
    return f"{head} {text}" if "\n" not in text else f"{head}\n{text}"


def as_correction(text: str) -> str:
    """A relayed edit posted as a new message (the other side has nothing to edit): marked
    as a correction after its header."""
    head, sep, rest = text.partition(":**")
    return f"{head}{sep} {CORRECTION}{rest}" if sep else f"{CORRECTION} {text}"


def mentioned(parts: Sequence[Part]) -> list[str]:
    """The roster people mentioned, in order, without repeats."""
    return list(dict.fromkeys(p.person for p in parts if isinstance(p, Mention)))


def sender_label(roster: Roster, person: str | None, called: Sequence[FunctionRef],
                 fallback: str) -> str:
    """"Anna Berg (TiB Botkyrka)": the person's name and the functions they are called as
    in the activation (else those they hold in the roster, else the name alone); someone not
    in the roster is shown by the platform's name for them (`fallback`)."""
    known = roster.people_by_key.get(person or "")
    if known is None:
        return fallback or "?"
    refs = list(dict.fromkeys(called)) or roster.functions_of_person.get(known.key, [])
    labels = [roster.function_label(ref) for ref in refs[:2]]
    return f"{known.name} ({', '.join(labels)})" if labels else known.name


# -- whom to invite where -------------------------------------------------------------------


def reachable_on(person: Person) -> set[str]:
    """The platforms the roster says a person is on: Matrix with a `matrix_id`, Slack with a
    `slack_id` or an e-mail (the Slack adapter looks the account up by it)."""
    out = set()
    if person.matrix_id:
        out.add("matrix")
    if person.slack_id or person.email:
        out.add("slack")
    return out


def preferred(person: Person, configured: Collection[str]) -> str | None:
    """The one platform a person on several configured platforms is invited on: the
    roster's `prefers` for them, else Matrix (DEFAULT_PREFERENCE: a Matrix id in the roster
    is an account that exists, while a Slack account is found by e-mail at run time and may
    be missing). None when the person is on at most one of them (invited wherever they are,
    as without the bridge)."""
    on = reachable_on(person) & set(configured)
    if len(on) < 2:
        return None
    if person.prefers in on:
        return person.prefers
    return DEFAULT_PREFERENCE if DEFAULT_PREFERENCE in on else sorted(on)[0]


def invite_here(roster: Roster, people: Sequence[str], platform: str,
                configured: Collection[str]) -> list[str]:
    """`people` (person keys, in order) less those who are invited on another configured
    platform (`preferred`). Keys not in the roster are kept (the adapter reports them)."""
    out = []
    for key in people:
        person = roster.people_by_key.get(key)
        choice = preferred(person, configured) if person is not None else None
        if choice is None or choice == platform:
            out.append(key)
    return out
