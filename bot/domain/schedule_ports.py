"""The time side of the record: conference series, ordinary meetings, agenda items, roll
calls and deliveries, with the repository and scheduler ports they need.

The tables behind these ports are the source of truth. A scheduler (APScheduler in
production, the exercise clock's tick in the console) is derived state: it can always be
rebuilt from `next_at`, the cursor of each series, and the `deliveries` table, whose unique
key makes every reminder and notice happen once even when two processes overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol, cast

from bot.domain.ports import UnitOfWork
from bot.grammar.commands import Recurrence

SourceKind = Literal["conference", "meeting"]


class DeliveryStatus(StrEnum):
    SENT = "skickad"
    LATE = "försenad"  # sent after an outage, marked so in the room
    MISSED = "missad"  # too late to be useful: the room is told it was missed
    SUPERSEDED = "ersatt"  # a reminder whose meeting had already begun: nothing to say


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


@dataclass
class Meeting:
    """A recurring ordinary-mode meeting of a forum. `standing` ones come from the roster."""

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

    @property
    def ended(self) -> bool:
        return self.next_at is None or self.stopped_at is not None


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


@dataclass(frozen=True)
class Delivery:
    key: str
    due_at: datetime
    at: datetime
    status: DeliveryStatus


class ConferenceRepository(Protocol):
    async def add(self, series: ConferenceSeries) -> ConferenceSeries: ...
    async def get(self, series_id: int, *, lock: bool = False) -> ConferenceSeries | None: ...
    async def get_many(self, ids: Sequence[int], *, lock: bool = False) -> list[ConferenceSeries]:
        """The series with these ids (locked for the transaction when `lock`)."""
        ...

    async def update(self, series: ConferenceSeries) -> None: ...
    async def of_activation(self, activation_id: str) -> list[ConferenceSeries]:
        """Series that have not ended, by next occurrence."""
        ...

    async def running(self) -> list[ConferenceSeries]:
        """Every series that has not ended."""
        ...

    async def due(self, before: datetime) -> list[ConferenceSeries]:
        """Series that have not ended whose next occurrence is at or before `before`."""
        ...

    async def unplanned(self) -> list[ConferenceSeries]: ...
    async def mark_planned(self, ids: Sequence[int]) -> None:
        """Sets `jobs_planned` on these series (their jobs are in the scheduler)."""
        ...

    async def of_closed_activations(self) -> list[ConferenceSeries]:
        """Series that have not ended although their activation is closed."""
        ...

    async def all(self) -> list[ConferenceSeries]: ...


class MeetingRepository(Protocol):
    async def add(self, meeting: Meeting) -> Meeting: ...
    async def get(self, meeting_id: int, *, lock: bool = False) -> Meeting | None: ...
    async def get_many(self, ids: Sequence[int], *, lock: bool = False) -> list[Meeting]: ...
    async def update(self, meeting: Meeting) -> None: ...
    async def running(self) -> list[Meeting]:
        """Meetings that have not been stopped, by next occurrence."""
        ...

    async def due(self, before: datetime) -> list[Meeting]: ...
    async def unplanned(self) -> list[Meeting]: ...
    async def mark_planned(self, ids: Sequence[int]) -> None: ...
    async def add_standing(self, meeting: Meeting) -> Meeting | None:
        """Adds the roster's standing meeting of `meeting.forum` unless it has one (also one
        added concurrently by another replica); None when it already existed."""
        ...

    async def standing(self, forum: str) -> Meeting | None:
        """The roster's standing meeting of `forum`, stopped or not."""
        ...

    async def all(self) -> list[Meeting]: ...


class AgendaRepository(Protocol):
    async def add(self, item: AgendaItem) -> AgendaItem: ...
    async def pending(self, forum: str, before: datetime | None = None) -> list[AgendaItem]:
        """Unhandled items of `forum` (raised at or before `before`), oldest first."""
        ...

    async def handle(self, items: Sequence[AgendaItem], meeting_id: int, occurrence: datetime,
                     at: datetime) -> None: ...


class RollCallRepository(Protocol):
    async def open(self, roll_call: RollCall) -> RollCall: ...
    async def latest(self, activation_id: str) -> RollCall | None: ...
    async def of_activations(self, activation_ids: Sequence[str]) -> list[RollCall]:
        """Every roll call of these activations, by occurrence (oldest first)."""
        ...

    async def attend(self, attendance: Attendance) -> bool:
        """Records attendance unless the person already answered this roll call."""
        ...

    async def attendees(self, roll_call_id: int) -> list[Attendance]: ...


class DeliveryRepository(Protocol):
    async def add_once(
        self, key: str, due_at: datetime, at: datetime, status: DeliveryStatus
    ) -> bool:
        """Inserts the delivery unless `key` exists; True when this call inserted it.
        Concurrent transactions with the same key: exactly one gets True."""
        ...

    async def add_many(self, deliveries: Sequence[Delivery]) -> set[str]:
        """`add_once` for several: the keys this call inserted."""
        ...

    async def existing(self, keys: Sequence[str]) -> set[str]: ...
    async def get(self, key: str) -> Delivery | None: ...


class ScheduleUnitOfWork(UnitOfWork, Protocol):
    """The core unit of work with the schedule repositories added."""

    conferences: ConferenceRepository
    meetings: MeetingRepository
    agenda: AgendaRepository
    roll_calls: RollCallRepository
    deliveries: DeliveryRepository

    async def __aenter__(self) -> ScheduleUnitOfWork: ...


class ScheduleUnitOfWorkFactory(Protocol):
    def __call__(self) -> ScheduleUnitOfWork: ...


class Scheduler(Protocol):
    """What the time side needs from a scheduler; APScheduler implements it in production."""

    async def schedule(self, firings: Sequence[Firing]) -> None:
        """Ensure one job per firing (same firing again: replaced, not doubled)."""
        ...

    async def unschedule(self, firings: Sequence[Firing]) -> None: ...
    def wake(self) -> None:
        """Look for new or changed series soon (e.g. after a command created one)."""
        ...


def schedule_uow(uow: UnitOfWork) -> ScheduleUnitOfWork:
    """The unit of work as one with the schedule repositories (the storage layer's unit of
    work has them); refuses one without, which is a wiring error."""
    if not hasattr(uow, "deliveries"):
        raise RuntimeError("the unit of work has no schedule repositories "
                           "(see storage.repositories_schedule)")
    return cast(ScheduleUnitOfWork, uow)
