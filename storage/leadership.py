"""Which process runs the scheduler (and the Matrix sync): the leader.

PostgreSQL: several replicas share one database; the leader is the one holding
`pg_try_advisory_lock(LEADER_KEY)` on a dedicated connection. The lock lives exactly as long
as that session, so a killed leader releases it at once (the server sees the socket close),
and server-side TCP keepalives set on the session end it within ~15 s when the leader's host
vanishes without a word. Followers retry every few seconds. APScheduler 3 must never share a
job store between two running schedulers; this is what guarantees that.

SQLite: one process by definition. A second process on the same file is refused with a clear
message, using an exclusive lock on a file next to the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import IO, Any

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from storage.database import is_sqlite, sync_url

log = logging.getLogger(__name__)

LEADER_KEY = 0x5356_4C44  # "SVLD"; any constant shared by every replica of the bot
Hook = Callable[[], Awaitable[None]]
Connection = psycopg.AsyncConnection[tuple[Any, ...]]


class AlreadyRunning(RuntimeError):
    """Another process already uses this SQLite database."""


def leadership(database_url: str, *, retry: float = 3.0, check: float = 3.0) -> Leadership:
    if is_sqlite(database_url):
        return SqliteLeadership(database_url)
    return PgLeadership(pg_conninfo(database_url), retry=retry, check=check)


class Leadership:
    """`run(on_elected, on_lost)` until cancelled; `is_leader` meanwhile."""

    is_leader: bool = False

    async def run(self, on_elected: Hook, on_lost: Hook) -> None:
        raise NotImplementedError


class SqliteLeadership(Leadership):
    """Always the leader, once it holds the database's lock file."""

    def __init__(self, database_url: str) -> None:
        self.lock_path = sqlite_lock_path(database_url)
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        if self._file is not None or self.lock_path is None:
            self.is_leader = True
            return
        handle = self.lock_path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise AlreadyRunning(
                f"En annan samverkan-process (pid {holder}) använder redan databasen "
                f"{self.lock_path.with_suffix('')}. SQLite tål bara en process åt gången; "
                "stoppa den andra eller använd PostgreSQL (SAMVERKAN_DATABASE_URL) för flera "
                "repliker."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        self.is_leader = True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self.is_leader = False

    async def run(self, on_elected: Hook, on_lost: Hook) -> None:
        self.acquire()
        try:
            await on_elected()
            await asyncio.Event().wait()  # until cancelled
        finally:
            try:
                await on_lost()
            finally:
                self.release()


def sqlite_lock_path(database_url: str) -> Path | None:
    """`<database>.lock` next to the file; None for an in-memory database."""
    database = make_url(sync_url(database_url)).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database).resolve().with_name(Path(database).name + ".lock")


@contextlib.contextmanager
def single_process(database_url: str) -> Iterator[None]:
    """For SQLite: hold the lock file while the block runs (raises AlreadyRunning)."""
    lock = SqliteLeadership(database_url) if is_sqlite(database_url) else None
    if lock is not None:
        lock.acquire()
    try:
        yield None
    finally:
        if lock is not None:
            lock.release()


def pg_conninfo(database_url: str) -> str:
    """A libpq URI for psycopg from the bot's SQLAlchemy URL."""
    url = make_url(sync_url(database_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


# Server-side keepalives end the session (and free the lock) ~11 s after the leader's host
# stops answering; the client-side ones make the leader notice the loss as quickly.
_KEEPALIVE: dict[str, str | int] = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
              "keepalives_count": 3,
              "options": "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 "
                         "-c tcp_keepalives_count=3"}


class PgLeadership(Leadership):
    def __init__(self, conninfo: str, *, key: int = LEADER_KEY, retry: float = 3.0,
                 check: float = 3.0) -> None:
        self.conninfo = conninfo
        self.key = key
        self.retry = retry
        self.check = check

    async def run(self, on_elected: Hook, on_lost: Hook) -> None:
        while True:
            connection = await self._try_lock()
            if connection is None:
                await asyncio.sleep(self.retry)
                continue
            self.is_leader = True
            try:
                await on_elected()
                await self._hold(connection)
            finally:
                self.is_leader = False
                try:
                    await on_lost()
                finally:
                    await _close(connection)
            await asyncio.sleep(self.retry)

    async def _try_lock(self) -> Connection | None:
        try:
            conninfo = make_conninfo(self.conninfo, connect_timeout=5,
                                     application_name="samverkan-leader", **_KEEPALIVE)
            connection = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
        except psycopg.Error as err:
            log.warning("leader election: cannot connect: %s", err)
            return None
        try:
            row = await (await connection.execute(
                "SELECT pg_try_advisory_lock(%s)", (self.key,))).fetchone()
        except psycopg.Error as err:
            log.warning("leader election: lock query failed: %s", err)
            await _close(connection)
            return None
        if row is None or not row[0]:
            await _close(connection)
            return None
        log.info("leader election: this process is the leader")
        return connection

    async def _hold(self, connection: Connection) -> None:
        """Returns when the session (and so the lock) is gone."""
        while True:
            await asyncio.sleep(self.check)
            try:
                async with asyncio.timeout(max(self.check, 5.0)):
                    await connection.execute("SELECT 1")
            except (psycopg.Error, TimeoutError) as err:
                log.error("leader election: lost the lock's session: %s", err)
                return


async def _close(connection: Connection) -> None:
    with contextlib.suppress(Exception):
        await connection.close()
