"""The parsed form of every command of PRODUCT.md §3. Names are already resolved to roster
keys; times are already absolute (UTC) or rules. Handlers never see raw text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from bot.domain.recurrence import Recurrence
from bot.domain.resources import ResourceKind, ResourceState

Lang = Literal["sv", "en"]


@dataclass(frozen=True)
class Target:
    """An actor (function None: its duty function) or one function of an actor."""

    actor: str
    function: str | None = None


@dataclass(frozen=True)
class Activate:
    forum: str | None  # None: take the scenario's forum
    scenario: str | None
    title: str
    again: bool = False  # `--ny`: deliberately beside an active one with the same title


@dataclass(frozen=True)
class Escalate:
    forum: str | None


@dataclass(frozen=True)
class Call:
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class Ack:
    pass


@dataclass(frozen=True)
class Present:
    """`närvarande`: answer the roll call of a running conference."""


@dataclass(frozen=True)
class Conference:
    at: datetime | None  # None: list upcoming
    every: timedelta | None = None
    everything: bool = False  # `konferens alla`: the whole list, not only the first ones


@dataclass(frozen=True)
class Report:
    text: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Picture:
    pass


@dataclass(frozen=True)
class Decide:
    text: str


@dataclass(frozen=True)
class Commit:
    actor: str | None
    text: str


@dataclass(frozen=True)
class Propose:
    text: str


@dataclass(frozen=True)
class Approve:
    number: int | None


@dataclass(frozen=True)
class Chair:
    target: Target


@dataclass(frozen=True)
class Log:
    n: int = 10


@dataclass(frozen=True)
class Deactivate:
    summary: str | None


@dataclass(frozen=True)
class MeetingNew:
    forum: str
    rule: Recurrence


@dataclass(frozen=True)
class MeetingList:
    pass


@dataclass(frozen=True)
class MeetingStop:
    meeting_id: int


@dataclass(frozen=True)
class MeetingMove:
    """`möte flytta <id> [<från> till] <dag> [klockslag]`: one occurrence to another day
    (local date); without a clock time it keeps the rule's."""

    meeting_id: int
    to_day: date
    to_clock: time | None = None
    from_day: date | None = None


@dataclass(frozen=True)
class Item:
    text: str
    forum: str | None = None


@dataclass(frozen=True)
class Status:
    pass


@dataclass(frozen=True)
class Who:
    target: Target


@dataclass(frozen=True)
class ResourceEntry:
    """`resurs behov|erbjud`: a need or an offer of the speaker's actor. `due` (UTC) is the
    need's `senast` or the offer's `tillgänglig`."""

    kind: ResourceKind
    what: str
    count: int | None = None
    spec: str | None = None
    place: str | None = None
    purpose: str | None = None
    due: datetime | None = None


@dataclass(frozen=True)
class ResourceMatch:
    """`resurs matcha <nr> <nr>`: a need and an offer, in either order."""

    first: int
    second: int


@dataclass(frozen=True)
class ResourceChange:
    """`resurs levererad|avböj|återkalla <nr>`: the state the item (and its pair) goes to."""

    to: ResourceState
    number: int


@dataclass(frozen=True)
class ResourcePrioritise:
    """`resurs prioritera <vad> till <vem/vad> [ordning <n>]`."""

    what: str
    to: str
    rank: int | None = None


@dataclass(frozen=True)
class Resources:
    """`resurser`: open needs and offers, matched pairs, priorities."""


@dataclass(frozen=True)
class ExerciseStart:
    """`övning <scenario> [rubrik]`: an exercise with its own war room, numbering and clock."""

    scenario: str
    title: str | None


@dataclass(frozen=True)
class ExerciseEnd:
    """`övning slut [sammanfattning]`: close the exercise, protocol and exercise report."""

    summary: str | None


@dataclass(frozen=True)
class ClockAdvance:
    """`klocka +30m`: move the exercise clock on (None: show it)."""

    delta: timedelta | None


@dataclass(frozen=True)
class ChecklistDone:
    """`klar <nr>`: tick item `number` (1-based) of the playbook's checklist."""

    number: int | None


@dataclass(frozen=True)
class ProposeTemplate:
    """`budskap mall [namn]`: propose the playbook's message template `name` (None: list)."""

    name: str | None


@dataclass(frozen=True)
class FollowUp:
    """`uppföljning <beslut-nr> <text>`: how a decision is carried out, recorded later."""

    number: int
    text: str


@dataclass(frozen=True)
class Help:
    topic: str | None  # canonical command word, e.g. "aktivera"


Body = (
    Activate
    | Escalate
    | Call
    | Ack
    | Present
    | Conference
    | Report
    | Picture
    | Decide
    | Commit
    | Propose
    | Approve
    | Chair
    | Log
    | Deactivate
    | MeetingNew
    | MeetingList
    | MeetingStop
    | MeetingMove
    | Item
    | Status
    | Who
    | ResourceEntry
    | ResourceMatch
    | ResourceChange
    | ResourcePrioritise
    | Resources
    | ExerciseStart
    | ExerciseEnd
    | ClockAdvance
    | ChecklistDone
    | ProposeTemplate
    | FollowUp
    | Help
)


@dataclass(frozen=True)
class Command:
    """A parsed line: the body, the language of the command word, and `#id` if given."""

    word: str  # canonical Swedish command word, e.g. "aktivera"
    body: Body
    lang: Lang = "sv"
    activation_id: str | None = None
