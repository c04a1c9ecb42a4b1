"""Ports of the schedule: conference series, ordinary meetings, agenda items, roll calls, and
the scheduler that performs firings (APScheduler in production, the exercise clock in tests)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.domain.schedule import (
    AgendaItem,
    Attendance,
    ConferenceSeries,
    Firing,
    Meeting,
    RollCall,
)


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


class Scheduler(Protocol):
    """What the time side needs from a scheduler; APScheduler implements it in production."""

    async def schedule(self, firings: Sequence[Firing]) -> None:
        """Ensure one job per firing (same firing again: replaced, not doubled)."""
        ...

    async def unschedule(self, firings: Sequence[Firing]) -> None: ...
    def wake(self) -> None:
        """Look for new or changed series soon (e.g. after a command created one)."""
        ...
