"""APScheduler 3.11 behind the `Scheduler` port.

- The job store is SQLAlchemy on the bot's own database through a *synchronous* URL
  (`storage.database.sync_url`): psycopg for PostgreSQL, `sqlite:///` for SQLite.
- Jobs are textual references (`bot.scheduling.jobs:fire`) with ids only as arguments, and
  explicit ids with `replace_existing`, so a restart neither loses nor doubles them.
- `misfire_grace_time=None`: APScheduler runs a job however late; the engine then decides
  whether it is on time, late ("försenad") or missed, and says so in the room. Nothing is
  dropped silently, which APScheduler's default of one second would do.
- The job store's I/O runs in one worker thread, never on the event loop. On SQLite the bot's
  own transactions hold the write lock across awaits; a job-store write on the loop thread
  would wait for a transaction that needs the loop to finish — a deadlock until the busy
  timeout. Off the loop, the store simply waits its turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any, TypeVar

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, create_engine, event, select

from bot.domain.schedule import Firing

log = logging.getLogger(__name__)

FIRE = "bot.scheduling.jobs:fire"
RECONCILE = "bot.scheduling.jobs:reconcile"
CHECK_ACKS = "bot.scheduling.jobs:check_acks"
TABLE = "apscheduler_jobs"

T = TypeVar("T")


def job_id(firing: Firing) -> str:
    return f"fire:{firing.key}"


def job_store_engine(url: str) -> Engine:
    """A synchronous engine for the job store; SQLite waits for the lock instead of failing."""
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: safe; a lost commit re-fires
            cursor.close()
    return engine


class _LoopSafeExecutor(AsyncIOExecutor):  # type: ignore[misc]
    """Jobs are submitted from the store thread; coroutines must start on the loop."""

    def _do_submit_job(self, job: Any, run_times: Any) -> None:
        submit = super()._do_submit_job
        self._eventloop.call_soon_threadsafe(submit, job, run_times)


class _OffLoopScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """AsyncIOScheduler whose job processing (store reads and writes) runs in `pool`."""

    def __init__(self, pool: ThreadPoolExecutor, **options: Any) -> None:
        self._pool = pool
        self._busy = False
        self._again = False
        super().__init__(**options)

    def wakeup(self) -> None:  # any thread
        loop = self._eventloop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wakeup_in_loop)

    def _wakeup_in_loop(self) -> None:
        if self._eventloop is None:
            return
        if self._busy:
            self._again = True
            return
        self._stop_timer()
        self._busy = True
        done = self._eventloop.run_in_executor(self._pool, self._process_jobs)
        done.add_done_callback(self._processed)

    def _processed(self, done: asyncio.Future[float | None]) -> None:
        self._busy = False
        if self._eventloop is None or not self.running:
            return
        try:
            wait = done.result()
        except Exception:
            log.exception("processing scheduled jobs failed")
            wait = self.jobstore_retry_interval
        if self._again:
            self._again = False
            self._wakeup_in_loop()
            return
        self._start_timer(wait)


class ApsScheduler:
    """APScheduler with the bot's job store; `start` inside the running loop. A stopped one
    can be started again (a new leadership term)."""

    def __init__(self, sync_url: str) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobstore")
        self._engine = job_store_engine(sync_url)
        self._store = SQLAlchemyJobStore(engine=self._engine, tablename=TABLE)
        self._aps: _OffLoopScheduler | None = None

    @property
    def running(self) -> bool:
        return self._aps is not None and bool(self._aps.running)

    @property
    def aps(self) -> _OffLoopScheduler:
        if self._aps is None:
            raise RuntimeError("the scheduler is not started")
        return self._aps

    async def start(self) -> None:
        self._aps = _OffLoopScheduler(
            self._pool,
            jobstores={"default": self._store},
            executors={"default": _LoopSafeExecutor()},
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
            timezone=UTC,
            event_loop=asyncio.get_running_loop(),
        )
        await self._in_store_thread(self._aps.start)

    async def stop(self, *, patience: float = 10.0) -> None:
        """Stop processing, let running jobs finish (bounded), then shut down."""
        if self._aps is None or not self._aps.running:
            return
        aps = self._aps
        await self._in_store_thread(aps.pause)
        await self._wait_jobs(aps, patience)
        aps.shutdown(wait=False)
        await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
        await self._in_store_thread(lambda: None)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._engine.dispose()

    @staticmethod
    async def _wait_jobs(aps: _OffLoopScheduler, patience: float) -> None:
        executor = aps._lookup_executor("default")
        pending = [f for f in getattr(executor, "_pending_futures", ()) if not f.done()]
        if pending:
            await asyncio.wait(pending, timeout=patience)

    async def schedule(self, firings: Sequence[Firing]) -> None:
        def add() -> None:
            for firing in firings:
                self.aps.add_job(FIRE, DateTrigger(run_date=firing.due), args=[firing.key],
                                  id=job_id(firing), name=firing.key, replace_existing=True)
        if firings:
            await self._in_store_thread(add)

    async def unschedule(self, firings: Sequence[Firing]) -> None:
        def remove() -> None:
            for firing in firings:
                with suppress(JobLookupError):
                    self.aps.remove_job(job_id(firing))
        if firings:
            await self._in_store_thread(remove)

    async def every(self, ref: str, seconds: float, ident: str) -> None:
        trigger = IntervalTrigger(seconds=seconds)
        await self._in_store_thread(lambda: self.aps.add_job(
            ref, trigger, id=ident, name=ident, replace_existing=True))

    async def once(self, ref: str, at: datetime, ident: str, args: Sequence[str] = ()) -> None:
        await self._in_store_thread(lambda: self.aps.add_job(
            ref, DateTrigger(run_date=at), args=list(args), id=ident, name=ident,
            replace_existing=True))

    async def job_ids(self) -> set[str]:
        def read() -> set[str]:
            with self._engine.connect() as connection:
                ids: list[str] = list(connection.scalars(select(self._store.jobs_t.c.id)))
            return set(ids)
        return await self._in_store_thread(read)

    async def _in_store_thread(self, fn: Callable[[], T]) -> T:
        future: Future[T] = self._pool.submit(fn)
        return await asyncio.wrap_future(future)
