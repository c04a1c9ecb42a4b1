"""The time side of the record: conference series, ordinary meetings, agenda items, roll
calls and the firings the scheduler performs (ports: `bot.domain.ports.schedule`).

The tables behind these ports are the source of truth. A scheduler (APScheduler in
production, the exercise clock's tick in the console) is derived state: it can always be
rebuilt from `next_at`, the cursor of each series, and the `deliveries` table, whose unique
key makes every reminder and notice happen once even when two processes overlap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.recurrence import Recurrence, rule_occurrences

MOVE_LOOKBACK = timedelta(days=70)  # longer than any gap between two occurrences of a rule

SourceKind = Literal["conference", "meeting"]


@dataclass
class ConferenceSeries:
    """`konferens 14:30 [var 3:e timme]` in one activation. `next_at` is the occurrence whose
    reminders and start are due next; None once the series has ended."""

    id: int | None
    activation_id: str
    first_at: datetime
    every: timedelta | None
    created_by: str | None
    created_at: datetime
    next_at: datetime | None
    planned_from: datetime  # firings due before this were never owed (e.g. created late)
    cancelled_at: datetime | None = None
    jobs_planned: bool = False

    @property
    def ended(self) -> bool:
        return self.next_at is None or self.cancelled_at is not None


@dataclass(frozen=True)
class MovedOccurrence:
    """`möte flytta`: one occurrence of a meeting held at another time. `original` is when
    the rule puts it, `moved_to` when it is held (both aware UTC); `by` the person, `at` when
    it was moved."""

    original: datetime
    moved_to: datetime
    by: str | None
    at: datetime


@dataclass
class Meeting:
    """A recurring ordinary-mode meeting of a forum. `standing` ones come from the roster.
    `moves` are single occurrences held at another time (`möte flytta`)."""

    id: int | None
    forum: str
    rule: Recurrence
    anchor: datetime
    created_by: str | None
    created_at: datetime
    next_at: datetime | None
    planned_from: datetime
    standing: bool = False
    stopped_at: datetime | None = None
    jobs_planned: bool = False
    moves: list[MovedOccurrence] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.next_at is None or self.stopped_at is not None

    @property
    def moved(self) -> dict[datetime, datetime]:
        """Original occurrence → the time it is held instead (UTC)."""
        return {m.original: m.moved_to for m in self.moves}

    def occurrences(self, tz: ZoneInfo, after: datetime) -> Iterator[datetime]:
        """When the meeting is held (aware UTC) strictly after `after`, in order: the rule's
        occurrences with the moved ones at their new time. A move stays between its
        neighbours (`möte flytta` checks it), so the order is the rule's."""
        for _original, held in self.held(tz, after):
            yield held

    def held(self, tz: ZoneInfo, after: datetime) -> Iterator[tuple[datetime, datetime]]:
        """(the rule's occurrence, when it is held) for those held after `after` (UTC)."""
        moved = self.moved
        start = after - MOVE_LOOKBACK if moved else after
        for original in rule_occurrences(self.rule, tz, start, self.anchor):
            held = moved.get(original, original)
            if held > after:
                yield original, held


ScheduleSource = ConferenceSeries | Meeting


@dataclass
class AgendaItem:
    """`ärende`: raised for the next meeting of a forum; handled when its agenda is posted."""

    id: int | None
    forum: str
    text: str
    person: str | None
    actor: str | None
    created_at: datetime
    meeting_id: int | None = None
    occurrence: datetime | None = None
    handled_at: datetime | None = None


@dataclass
class RollCall:
    """The roll call opened when a conference occurrence starts."""

    id: int | None
    conference_id: int
    activation_id: str
    occurrence: datetime
    opened_at: datetime


@dataclass
class Attendance:
    id: int | None
    roll_call_id: int
    activation_id: str
    person: str
    function: str | None
    actor: str | None
    at: datetime


@dataclass(frozen=True, order=True)
class Firing:
    """One thing the scheduler must do once: a reminder `offset` before an occurrence, or the
    start itself (offset zero)."""

    due: datetime
    kind: SourceKind
    source_id: int
    occurrence: datetime
    offset: timedelta = field(default=timedelta(0))

    @property
    def is_start(self) -> bool:
        return self.offset == timedelta(0)

    @property
    def key(self) -> str:
        """`conference:12:20261121T133000Z:900` — kind, series, occurrence (UTC), offset (s)."""
        occurrence = self.occurrence.astimezone(UTC)
        stamp = occurrence.strftime("%Y%m%dT%H%M%S")
        if occurrence.microsecond:
            stamp += f".{occurrence.microsecond:06d}"
        return f"{self.kind}:{self.source_id}:{stamp}Z:{int(self.offset.total_seconds())}"

    @classmethod
    def of(
        cls, kind: SourceKind, source_id: int, occurrence: datetime, offset: timedelta
    ) -> Firing:
        occurrence = occurrence.astimezone(UTC)
        return cls(occurrence - offset, kind, source_id, occurrence, offset)

    @classmethod
    def parse(cls, key: str) -> Firing:
        kind, source_id, stamp, seconds = key.split(":")
        if kind not in ("conference", "meeting"):
            raise ValueError(f"not a firing key: {key!r}")
        pattern = "%Y%m%dT%H%M%S.%fZ" if "." in stamp else "%Y%m%dT%H%M%SZ"
        occurrence = datetime.strptime(stamp, pattern).replace(tzinfo=UTC)
        source_kind: SourceKind = "conference" if kind == "conference" else "meeting"
        return cls.of(source_kind, int(source_id), occurrence, timedelta(seconds=int(seconds)))
