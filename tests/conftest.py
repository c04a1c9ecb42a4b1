"""Shared test helpers: is PostgreSQL here, and a fresh database per test on SQLite and on it.

`database_url` yields a URL of an empty database (no schema); run `storage.migrate.upgrade`
on it if you need the tables.
"""

from __future__ import annotations

import functools
import getpass
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from psycopg import sql

if TYPE_CHECKING:
    from tests.matrix.synapse_server import SynapseServer

# No test reaches the internet: the watchers of public warnings are off unless a test points
# them at its own fixture server (tests/watchers).
os.environ["SAMVERKAN_WATCHERS__ENABLED"] = "false"

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_SKIP_REASON = f"PostgreSQL not reachable on {PG_HOST}:{PG_PORT} (pg_isready)"


@functools.cache
def pg_available() -> bool:
    """True when `pg_isready` answers for 127.0.0.1:5432 within a few seconds."""
    binary = shutil.which("pg_isready")
    if binary is None:
        return False
    command = [binary, "-h", PG_HOST, "-p", str(PG_PORT)]
    try:
        result = subprocess.run(command, capture_output=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


@functools.cache
def _pg_admin_user() -> str:
    """The first of `postgres` and the current user that may connect (trust auth)."""
    errors: list[str] = []
    for user in dict.fromkeys(["postgres", getpass.getuser()]):
        try:
            with psycopg.connect(_dsn(user, "postgres"), connect_timeout=5):
                return user
        except psycopg.Error as error:
            errors.append(f"{user}: {error}")
    raise RuntimeError("cannot connect to PostgreSQL as any of: " + "; ".join(errors))


def _dsn(user: str, database: str) -> str:
    return f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{database}"


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new empty PostgreSQL database (asyncpg URL), dropped afterwards."""
    if not pg_available():
        pytest.skip(PG_SKIP_REASON)
    user = _pg_admin_user()
    name = f"samverkan_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_dsn(user, "postgres"), autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"postgresql+asyncpg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(_dsn(user, "postgres"), autocommit=True, connect_timeout=5) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'samverkan.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL, once on SQLite and once on PostgreSQL (skipped if absent)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """One real Synapse (loopback, SQLite, relaxed rate limits) for the whole session, shared
    by every test folder that uses it (Matrix, bridge): started on first use."""
    from tests.matrix.synapse_server import SynapseServer

    server = SynapseServer(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
