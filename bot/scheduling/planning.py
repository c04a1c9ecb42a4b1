"""Pure planning: which firings a series owes now, how late is too late, where the cursor
moves after an occurrence. No I/O, so it is tested exhaustively on its own."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.guards import DeliveryStatus
from bot.domain.recurrence import interval_occurrences
from bot.domain.schedule import ConferenceSeries, Firing, Meeting, ScheduleSource, SourceKind


@dataclass(frozen=True)
class Timing:
    """How the time side behaves.

    `reminders`: offsets before each occurrence (the roster's reminder_minutes).
    `late_after`: a firing this late is marked "försenad" in the room.
    `grace`: a firing later than this is not performed but reported as missed.
    """

    reminders: tuple[timedelta, ...] = (timedelta(minutes=15), timedelta(minutes=5))
    late_after: timedelta = timedelta(minutes=1)
    grace: timedelta = timedelta(minutes=30)

    @classmethod
    def from_minutes(cls, minutes: Sequence[int], **kwargs: timedelta) -> Timing:
        offsets = tuple(sorted({timedelta(minutes=m) for m in minutes if m > 0}, reverse=True))
        return cls(reminders=offsets, **kwargs)


def kind_of(source: ScheduleSource) -> SourceKind:
    return "conference" if isinstance(source, ConferenceSeries) else "meeting"


def firings_of(source: ScheduleSource, timing: Timing) -> list[Firing]:
    """The reminders and the start of the series' current occurrence, in due order.

    Reminders that fell before `planned_from` (a conference planned ten minutes ahead has
    no 15-minute reminder) were never owed and are left out.
    """
    if source.ended or source.id is None:
        return []
    assert source.next_at is not None
    kind = kind_of(source)
    firings = [Firing.of(kind, source.id, source.next_at, offset) for offset in timing.reminders]
    owed = [f for f in firings if f.due >= source.planned_from]
    return sorted([*owed, Firing.of(kind, source.id, source.next_at, timedelta(0))])


def classify(firing: Firing, at: datetime, timing: Timing) -> DeliveryStatus:
    """What to do with a firing performed at `at`."""
    if not firing.is_start and at >= firing.occurrence:
        return DeliveryStatus.SUPERSEDED
    lateness = at - firing.due
    if lateness <= timing.late_after:
        return DeliveryStatus.SENT
    if lateness <= timing.grace:
        return DeliveryStatus.LATE
    return DeliveryStatus.MISSED


def occurrences(source: ScheduleSource, tz: ZoneInfo, after: datetime) -> Iterator[datetime]:
    """Occurrences of the series strictly after `after` (UTC), in order."""
    if isinstance(source, ConferenceSeries):
        return interval_occurrences(source.first_at, source.every, after)
    return source.occurrences(tz, after)


def following(source: ScheduleSource, tz: ZoneInfo, after: datetime) -> datetime | None:
    return next(occurrences(source, tz, after), None)


@dataclass(frozen=True)
class Advance:
    next_at: datetime | None
    planned_from: datetime
    skipped: int  # occurrences that fell wholly inside an outage


def advance(source: ScheduleSource, tz: ZoneInfo, at: datetime, timing: Timing) -> Advance:
    """The cursor after the current occurrence started (or was missed) at `at`.

    Occurrences that began more than `grace` before `at` are skipped and counted, so that a
    long outage yields one notice instead of a burst of stale agendas.
    """
    assert source.next_at is not None
    current = source.next_at
    cutoff = at - timing.grace
    skipped = 0
    nxt: datetime | None = None
    for nxt in occurrences(source, tz, current):
        if nxt >= cutoff:
            break
        skipped += 1
    else:
        nxt = None
    return Advance(nxt, max(current, cutoff), skipped)


def is_meeting(source: ScheduleSource) -> bool:
    return isinstance(source, Meeting)
