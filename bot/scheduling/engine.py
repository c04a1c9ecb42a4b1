"""The time side's one way of doing things: perform a firing exactly once.

`fire` runs in one transaction: lock the series, insert the delivery key (the exactly-once
guard), put the post in the outbox, and on a start move the series' cursor on. Whatever
drives time — APScheduler jobs in production, the exercise clock's tick in the console —
calls the same `fire`, so the two cannot disagree.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.effects import Post, RoomRef
from bot.domain.exercises import in_rooms
from bot.domain.guards import Delivery, DeliveryStatus
from bot.domain.ports import Clock, Scheduler, UnitOfWork, UnitOfWorkFactory
from bot.domain.record import Activation, EntryKind, Participant, TimelineEntry
from bot.domain.resources import ResourceKind, ResourceState
from bot.domain.roster import Roster
from bot.domain.schedule import ConferenceSeries, Firing, Meeting, RollCall, ScheduleSource
from bot.handlers.context import exercise_marked
from bot.scheduling.notices import Notices
from bot.scheduling.planning import (
    Advance,
    Timing,
    advance,
    classify,
    firings_of,
    kind_of,
)

log = logging.getLogger(__name__)


class _Tx:
    """One transaction of firings, remembering what several of them read."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._sources: dict[tuple[str, int], ScheduleSource] = {}
        self._activations: dict[str, Activation | None] = {}
        self._participants: dict[str, list[Participant]] = {}

    async def load(self, firings: Sequence[Firing]) -> None:
        """Read (and on PostgreSQL lock) every series of the batch in one query per kind."""
        conferences = sorted({f.source_id for f in firings if f.kind == "conference"})
        meetings = sorted({f.source_id for f in firings if f.kind == "meeting"})
        found: list[ScheduleSource] = []
        if conferences:
            found += await self.uow.conferences.get_many(conferences, lock=True)
        if meetings:
            found += await self.uow.meetings.get_many(meetings, lock=True)
        for source in found:
            assert source.id is not None
            self._sources[(kind_of(source), source.id)] = source

    def source(self, firing: Firing) -> ScheduleSource | None:
        return self._sources.get((firing.kind, firing.source_id))

    async def activation(self, activation_id: str) -> Activation | None:
        if activation_id not in self._activations:
            self._activations[activation_id] = await self.uow.activations.get(activation_id)
        return self._activations[activation_id]

    async def participants(self, activation_id: str) -> list[Participant]:
        if activation_id not in self._participants:
            rows = await self.uow.participants.of_activation(activation_id)
            self._participants[activation_id] = rows
        return self._participants[activation_id]


@dataclass
class _Job:
    """One firing being performed."""

    tx: _Tx
    source: ScheduleSource
    act: Activation | None
    firing: Firing
    status: DeliveryStatus
    at: datetime

    @property
    def uow(self) -> UnitOfWork:
        return self.tx.uow

    @property
    def activation(self) -> Activation:
        if self.act is None:
            raise RuntimeError("a conference firing without its activation")
        return self.act


class ScheduleEngine:
    def __init__(self, *, uow: UnitOfWorkFactory, roster: Roster, tz: ZoneInfo,
                 clock: Clock, timing: Timing, kick: Callable[[], None] | None = None) -> None:
        self.uow = uow
        self.roster = roster
        self.tz = tz
        self.clock = clock
        self.timing = timing
        self.notices = Notices(roster, tz)
        self.kick = kick
        self.scheduler: Scheduler | None = None

    async def fire(self, firing: Firing, at: datetime | None = None) -> DeliveryStatus | None:
        """Perform `firing` as of `at` (default: now). Returns what was delivered, or None
        when nothing was owed (already delivered, superseded by a later cursor, ended)."""
        return (await self.fire_many([(firing, at)]))[0]

    async def fire_many(
        self, firings: Sequence[tuple[Firing, datetime | None]]
    ) -> list[DeliveryStatus | None]:
        """Perform several firings in one transaction: a burst at a whole minute costs one
        commit, not one each. All or none: on an error nothing of the batch is recorded."""
        ordered = sorted(range(len(firings)), key=lambda i: firings[i][0])
        statuses: list[DeliveryStatus | None] = [None] * len(firings)
        following: list[Firing] = []
        async with self.uow() as uow:
            tx = _Tx(uow)
            await tx.load([f for f, _ in firings])
            jobs: dict[int, _Job] = {}
            seen: set[str] = set()  # the same firing twice in a batch is performed once
            for i in ordered:
                firing, at = firings[i]
                job = await self._check(tx, firing, at or self.clock.now())
                if job is not None and firing.key not in seen:
                    seen.add(firing.key)
                    jobs[i] = job
            inserted = await uow.deliveries.add_many(
                [Delivery(j.firing.key, j.firing.due, j.at, j.status) for j in jobs.values()])
            for i, job in jobs.items():
                if job.firing.key in inserted:
                    statuses[i] = job.status
                    following += await self._perform(job)
            await uow.commit()
        if any(s is not None for s in statuses) and self.kick is not None:
            self.kick()
        if following and self.scheduler is not None:
            await self.scheduler.schedule(following)
        return statuses

    async def _check(self, tx: _Tx, firing: Firing, at: datetime) -> _Job | None:
        """The firing as a job to perform, or None when nothing is owed."""
        source = tx.source(firing)
        if source is None or source.ended or source.next_at != firing.occurrence:
            return None
        act = None
        if isinstance(source, ConferenceSeries):
            act = await tx.activation(source.activation_id)
            if act is None or not act.is_active:  # conferences end with their activation
                source.cancelled_at = at
                await tx.uow.conferences.update(source)
                return None
        return _Job(tx, source, act, firing, classify(firing, at, self.timing), at)

    async def _perform(self, job: _Job) -> list[Firing]:
        """Post what the firing owes; a start also moves the cursor. Returns the next
        occurrence's firings."""
        if not job.firing.is_start:
            await self._remind(job)
            return []
        return await self._start(job)

    async def _remind(self, job: _Job) -> None:
        if job.status is DeliveryStatus.SUPERSEDED:
            return
        source, firing, at = job.source, job.firing, job.at
        if isinstance(source, Meeting):
            if job.status is DeliveryStatus.MISSED:
                post = self.notices.reminder_missed(RoomRef("forum", source.forum),
                                                    self.notices.meeting_what(source), firing, at)
            else:
                items = await job.uow.agenda.pending(source.forum)
                post = self.notices.meeting_reminder(source, firing, job.status, at, len(items))
        else:
            act = job.activation
            if job.status is DeliveryStatus.MISSED:
                post = self.notices.reminder_missed(RoomRef("activation", act.id),
                                                    self.notices.conference_what(), firing, at)
            else:
                rows = await job.tx.participants(act.id)
                unacked = [p.person for p in rows if not p.answered]
                post = self.notices.conference_reminder(act, firing, job.status, at, unacked)
        await job.uow.outbox.add(_marked(post, job.act))

    async def _start(self, job: _Job) -> list[Firing]:
        source = job.source
        step = advance(source, self.tz, job.at, self.timing)
        if isinstance(source, Meeting):
            post = await self._meeting_start(job, source, step)
        else:
            post = await self._conference_start(job, source, step)
        await job.uow.outbox.add(_marked(post, job.act))
        source.next_at, source.planned_from = step.next_at, step.planned_from
        source.jobs_planned = self.scheduler is not None
        await _update(job.uow, source)
        return firings_of(source, self.timing)

    async def _conference_start(self, job: _Job, series: ConferenceSeries, step: Advance) -> Post:
        assert series.id is not None
        act, firing, at = job.activation, job.firing, job.at
        if job.status is DeliveryStatus.MISSED:
            post = self.notices.conference_missed(act, firing, at, step.skipped)
            await _log(job, EntryKind.NOTE, post.text)
            return post
        await job.uow.roll_calls.open(RollCall(None, series.id, act.id, firing.occurrence, at))
        rows = await job.tx.participants(act.id)
        when = self.notices.when(firing.occurrence, at)
        await _log(job, EntryKind.CONFERENCE,
                   f"Samverkanskonferens {when} inledd; dagordning och upprop postade",
                   {"conference": series.id, "occurrence": firing.occurrence.isoformat(),
                    "status": job.status.value})
        needs = [i for i in await job.uow.resources.of_event(act.event_id)
                 if i.kind is ResourceKind.NEED and i.state is ResourceState.OPEN]
        return self.notices.conference_start(act, firing, job.status, at,
                                             called=[p.person for p in rows],
                                             next_at=step.next_at, skipped=step.skipped,
                                             needs=needs)

    async def _meeting_start(self, job: _Job, meeting: Meeting, step: Advance) -> Post:
        assert meeting.id is not None
        firing, at = job.firing, job.at
        if job.status is DeliveryStatus.MISSED:
            return self.notices.meeting_missed(meeting, firing, at, step.skipped)
        items = await job.uow.agenda.pending(meeting.forum, before=at)
        await job.uow.agenda.handle(items, meeting.id, firing.occurrence, at)
        return self.notices.meeting_start(meeting, firing, job.status, at, items=items,
                                          next_at=step.next_at, skipped=step.skipped)

    # -- the exercise clock (bot.scheduling.exercise) ------------------------------------
    async def due_firings(self, now: datetime, only: set[str] | None = None) -> list[Firing]:
        """Firings due at or before `now`, not yet delivered, in order. `only`: just the
        conferences of these activations (an exercise in rooms, whose clock is its own)."""
        horizon = now + max(self.timing.reminders, default=now - now)
        async with self.uow() as uow:
            sources: list[ScheduleSource] = [*await uow.conferences.due(horizon)]
            if only is None:
                sources += await uow.meetings.due(horizon)
            else:
                sources = [s for s in sources
                           if isinstance(s, ConferenceSeries) and s.activation_id in only]
            firings = [f for s in sources for f in firings_of(s, self.timing) if f.due <= now]
            done = await uow.deliveries.existing([f.key for f in firings])
        return sorted(f for f in firings if f.key not in done)


def _marked(post: Post, act: Activation | None) -> Post:
    """Every message of an exercise says ÖVNING."""
    if act is None or not in_rooms(act.id):
        return post
    return dataclasses.replace(post, text=exercise_marked(post.text))


async def _update(uow: UnitOfWork, source: ScheduleSource) -> None:
    if isinstance(source, ConferenceSeries):
        await uow.conferences.update(source)
    else:
        await uow.meetings.update(source)


async def _log(job: _Job, kind: EntryKind, text: str,
               data: dict[str, object] | None = None) -> None:
    act = job.activation
    await job.uow.timeline.append(TimelineEntry(None, act.event_id, act.id, job.at, kind, None,
                                                None, None, text, dict(data or {})))
