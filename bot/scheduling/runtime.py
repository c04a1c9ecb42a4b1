"""Wiring the time side into a running bot.

- `SchedulingRuntime`: APScheduler-driven, for `samverkan run`; start it only in the leader
  (see `storage.leadership`). At every start it rebuilds the jobs from the tables.
- `install_exercise_clock`: no scheduler; the console's `:clock +2h` → `service.tick()` fires
  what fell due on the simulated clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.ports import UnitOfWorkFactory
from bot.domain.roster import Roster
from bot.domain.schedule import Firing
from bot.handlers.acks import escalate_overdue
from bot.scheduling import registry
from bot.scheduling.aps import CHECK_ACKS, FIRE, RECONCILE, ApsScheduler, job_id
from bot.scheduling.calendar import CalendarApp
from bot.scheduling.engine import ScheduleEngine
from bot.scheduling.exercise import ExerciseClock
from bot.scheduling.planning import Timing
from bot.scheduling.upkeep import ensure_standing_meetings, plan

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(seconds=30)
MAX_EXERCISE_STEPS = 5_000  # bound on one `klocka` catch-up


class Kicker(Protocol):
    def kick(self) -> None: ...


class Service(Protocol):
    time_driver: Callable[[datetime], Awaitable[None]] | None

    def add_tick_hook(self, hook: Callable[[datetime], Awaitable[None]]) -> None: ...
    async def check_acknowledgements(self, at: datetime | None = None) -> int: ...
    async def next_overdue(self, now: datetime) -> datetime | None: ...


class ExerciseService(Protocol):
    def add_exercise_hook(
        self, hook: Callable[[set[str], datetime], Awaitable[None]]) -> None: ...


class DatabaseSettings(Protocol):
    @property
    def database_url(self) -> str: ...


class AppLike(CalendarApp, Protocol):
    """What the time side needs of `bot.bootstrap.App`."""

    @property
    def settings(self) -> DatabaseSettings: ...
    @property
    def relay(self) -> Kicker: ...


def default_timing(roster: Roster) -> Timing:
    return Timing.from_minutes(roster.region.reminder_minutes)


def make_engine(app: AppLike, timing: Timing | None = None) -> ScheduleEngine:
    return ScheduleEngine(uow=app.uow, roster=app.roster, tz=app.tz,
                          clock=app.clock, timing=timing or default_timing(app.roster),
                          kick=app.relay.kick)


def install_exercise_clock(app: AppLike, service: Service,
                           timing: Timing | None = None) -> ScheduleEngine:
    """Makes `service.tick()` replay the jump of the (simulated) clock in time order: every
    escalation, reminder and start at its own due time (`ExerciseClock`). Standing meetings
    are created at the first tick."""
    engine = make_engine(app, timing)
    walker = ExerciseClock(engine, service)
    started: list[bool] = []

    async def on_tick(now: datetime) -> None:
        if not started:
            await ensure_standing_meetings(engine.uow, app.roster, app.tz, app.clock.now())
            started.append(True)
        await walker.run_until(now)

    service.time_driver = on_tick
    return engine


def install_exercise_hook(app: AppLike, service: ExerciseService,
                          timing: Timing | None = None) -> ScheduleEngine:
    """When an exercise in rooms moves its clock (`klocka +30m`), fire its conferences and
    reminders that fell due, each at its own time on the exercise clock. Any process may do
    it: every firing is guarded by its delivery key."""
    engine = make_engine(app, timing)

    async def on_exercise(activations: set[str], at: datetime) -> None:
        await run_exercise_until(engine, app.uow, activations, at)

    service.add_exercise_hook(on_exercise)
    return engine


async def run_exercise_until(engine: ScheduleEngine, uow: UnitOfWorkFactory,
                             activations: set[str], at: datetime) -> int:
    """Fire the exercise's conference firings and acknowledgement deadlines that fall due up
    to `at`, one at a time in the order of their times (a deadline before a conference at
    the same minute). Returns how many steps were taken."""
    for step in range(MAX_EXERCISE_STEPS):
        firings = await engine.due_firings(at, activations)
        async with uow() as tx:
            rows = [r for r in await tx.participants.overdue(at)
                    if r.activation_id in activations and r.deadline is not None]
        deadline = min((r.deadline for r in rows if r.deadline is not None), default=None)
        if deadline is not None and (not firings or deadline <= firings[0].due):
            async with uow() as tx:
                await escalate_overdue(tx, engine.roster, deadline, only=activations)
                await tx.commit()
        elif firings:
            await engine.fire(firings[0], at=firings[0].due)
        else:
            return step
    log.warning("exercise catch-up stopped after %d steps", MAX_EXERCISE_STEPS)
    return MAX_EXERCISE_STEPS


class Batcher:
    """Gathers the firings whose jobs start while a transaction is running into the next one,
    so a burst costs a few commits. Each caller waits for its own firing's outcome."""

    def __init__(self, engine: ScheduleEngine, size: int = 200) -> None:
        self.engine = engine
        self.size = size
        self._queue: list[tuple[Firing, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

    async def fire(self, firing: Firing) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((firing, done))
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain())
        await done

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self.size], self._queue[self.size :]
            try:
                await self.engine.fire_many([(firing, None) for firing, _ in batch])
            except Exception:
                log.exception("a batch of %d firings failed; performing them one by one",
                              len(batch))
                await self._one_by_one(batch)
                continue
            for _, done in batch:
                if not done.done():
                    done.set_result(None)

    async def _one_by_one(self, batch: list[tuple[Firing, asyncio.Future[None]]]) -> None:
        for firing, done in batch:
            try:
                await self.engine.fire(firing)
            except Exception as err:
                if not done.done():
                    done.set_exception(err)
            else:
                if not done.done():
                    done.set_result(None)


class SchedulingRuntime:
    """APScheduler jobs for every owed firing, a reconcile loop, the ack-deadline job."""

    def __init__(self, app: AppLike, service: Service, job_store_url: str, *,
                 timing: Timing | None = None, reconcile_every: float = 5.0,
                 full_every: float = 600.0, acks_every: float = 15.0) -> None:
        self.app = app
        self.service = service
        self.engine = make_engine(app, timing)
        self.engine.scheduler = self
        self.batcher = Batcher(self.engine)
        self.aps = ApsScheduler(job_store_url)
        self._every = {"reconcile:interval": (RECONCILE, reconcile_every),
                       "reconcile:full": ("bot.scheduling.jobs:reconcile_full", full_every),
                       "acks:interval": (CHECK_ACKS, acks_every)}
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Become the process that runs the schedule: rebuild jobs from the tables, start."""
        registry.install(self)
        await ensure_standing_meetings(self.engine.uow, self.app.roster, self.app.tz,
                                       self.app.clock.now())
        await self.aps.start()
        for ident, (ref, seconds) in self._every.items():
            await self.aps.every(ref, seconds, ident)
        await self.reconcile(full=True)

    async def stop(self) -> None:
        await self.aps.stop()
        for task in list(self._tasks):
            task.cancel()
        registry.uninstall(self)

    async def close(self) -> None:
        await self.stop()
        self.aps.close()

    # -- the Scheduler port ---------------------------------------------------------------
    async def schedule(self, firings: Sequence[Firing]) -> None:
        await self.aps.schedule(firings)

    async def unschedule(self, firings: Sequence[Firing]) -> None:
        await self.aps.unschedule(firings)

    def wake(self) -> None:
        task = asyncio.get_running_loop().create_task(self.reconcile(full=False))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- what the jobs call -----------------------------------------------------------------
    async def fire(self, firing: Firing) -> None:
        try:
            await self.batcher.fire(firing)
        except Exception:
            # The job has left the store already; put it back so the firing is not lost.
            log.exception("firing %s failed; retrying in %s", firing.key, RETRY_AFTER)
            await self.aps.once(FIRE, self.app.clock.now() + RETRY_AFTER, job_id(firing),
                                [firing.key])

    async def reconcile(self, *, full: bool) -> None:
        wanted = await plan(self.engine.uow, self.engine.timing, self.app.clock.now(),
                            full=full)
        await self.aps.unschedule(wanted.drop)
        todo = wanted.schedule
        if full and todo:
            held = await self.aps.job_ids()
            todo = [f for f in todo if job_id(f) not in held]
        await self.aps.schedule(todo)

    async def check_acks(self) -> None:
        await self.service.check_acknowledgements()
        async with self.app.uow() as uow:
            deadline = await uow.participants.next_deadline()
        if deadline is not None and deadline > self.app.clock.now():
            await self.aps.once(CHECK_ACKS, deadline, "acks:next")
