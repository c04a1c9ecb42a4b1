"""Engines for SQLite (default, single process) and PostgreSQL (replicas).

URLs are normalised to the async drivers (aiosqlite, asyncpg); `sync_url` gives the
synchronous twin for code that cannot run async drivers (APScheduler's job store, dumps).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

DEFAULT_URL = "sqlite+aiosqlite:///./samverkan.db"

# How long (ms) a SQLite writer waits for the lock before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 30_000

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def _parse(url: str) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgres":  # Heroku-style alias
        backend = "postgresql"
    if backend not in _ASYNC_DRIVERS:
        raise ValueError(f"unsupported database URL (use sqlite or postgresql): {url}")
    return parsed.set(drivername=backend)


def async_url(url: str) -> str:
    """`url` with the async driver of its backend."""
    parsed = _parse(url)
    return _render(parsed.set(drivername=_ASYNC_DRIVERS[parsed.drivername]))


def sync_url(url: str) -> str:
    """`url` with a synchronous driver: `sqlite:///…` or `postgresql+psycopg://…`."""
    parsed = _parse(url)
    return _render(parsed.set(drivername=_SYNC_DRIVERS[parsed.drivername]))


def is_sqlite(url: str) -> bool:
    return _parse(url).drivername == "sqlite"


def _render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def make_engine(url: str, *, sqlite_foreign_keys: bool = True, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`; SQLite gets foreign keys, WAL and a busy timeout.

    Migrations pass `sqlite_foreign_keys=False`: Alembic's batch mode rebuilds SQLite tables
    by copy-and-drop, which enforced foreign keys would refuse or cascade.
    """
    engine = create_async_engine(async_url(url), **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, foreign_keys=sqlite_foreign_keys)
    return engine


def _configure_sqlite(engine: AsyncEngine, *, foreign_keys: bool) -> None:
    # pysqlite/aiosqlite open transactions lazily on the first write, which breaks SAVEPOINT
    # (needed by kv.add_once) and lets two concurrent read-then-write transactions deadlock.
    # Taking the driver out of the loop and emitting BEGIN IMMEDIATE ourselves makes writers
    # queue on busy_timeout instead of failing with SQLITE_BUSY.
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL still survives a crash of the process (the log is intact); only
        # an OS crash or power loss may lose the last commits. One fsync per checkpoint
        # instead of per commit is what keeps a command within its latency budget;
        # deployments that need more durability run on PostgreSQL.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
