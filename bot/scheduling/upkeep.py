"""Keeping derived state in line with the record: the roster's standing meetings, and the
set of firings a scheduler must hold (rebuilt from the tables at every takeover)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.exercises import in_rooms
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.domain.roster import Roster
from bot.domain.schedule import ConferenceSeries, Firing, Meeting, ScheduleSource
from bot.handlers.meetings import ensure_standing
from bot.scheduling.planning import Timing, firings_of


async def ensure_standing_meetings(uow_factory: UnitOfWorkFactory, roster: Roster,
                                   tz: ZoneInfo, now: datetime) -> list[Meeting]:
    """At start: the roster's standing meetings that have never existed (see
    `bot.handlers.meetings.ensure_standing`)."""
    async with uow_factory() as uow:
        created = await ensure_standing(uow, roster, tz, now)
        await uow.commit()
    return created


@dataclass(frozen=True)
class Plan:
    schedule: list[Firing]  # owed and not delivered: a job must exist for each
    drop: list[Firing]  # of series that ended since: their jobs may go


async def plan(uow_factory: UnitOfWorkFactory, timing: Timing, now: datetime, *,
               full: bool) -> Plan:
    """What the scheduler must hold. `full`: every running series (at takeover); otherwise
    only series created or changed since the last plan (`jobs_planned` false)."""
    async with uow_factory() as uow:
        drop = await _cancel_closed(uow, timing, now)
        sources = await _sources(uow, full=full)
        # an exercise in rooms runs its conferences on its own clock (`klocka`), never here
        firings = [f for s in sources if not (isinstance(s, ConferenceSeries)
                                              and in_rooms(s.activation_id))
                   for f in firings_of(s, timing)]
        done = await uow.deliveries.existing([f.key for f in firings])
        await uow.conferences.mark_planned(
            [s.id for s in sources if isinstance(s, ConferenceSeries) and s.id is not None
             and not s.jobs_planned])
        await uow.meetings.mark_planned(
            [s.id for s in sources if isinstance(s, Meeting) and s.id is not None
             and not s.jobs_planned])
        await uow.commit()
    return Plan(sorted(f for f in firings if f.key not in done), drop)


async def _cancel_closed(uow: UnitOfWork, timing: Timing, now: datetime) -> list[Firing]:
    """Conferences end with their activation: cancel the series of closed activations."""
    drop: list[Firing] = []
    for series in await uow.conferences.of_closed_activations():
        drop += firings_of(series, timing)
        series.cancelled_at = now
        await uow.conferences.update(series)
    return drop


async def _sources(uow: UnitOfWork, *, full: bool) -> list[ScheduleSource]:
    if full:
        return [*await uow.conferences.running(), *await uow.meetings.running()]
    return [*await uow.conferences.unplanned(), *await uow.meetings.unplanned()]
