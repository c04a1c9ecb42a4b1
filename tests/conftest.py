"""Shared test helpers: is PostgreSQL here, and a fresh database per test on SQLite and on it.

`database_url` yields a URL of a new database already at the newest schema: a copy of a
template migrated once per test process (a file copy on SQLite, `CREATE DATABASE … TEMPLATE`
on PostgreSQL), which spares each test the migrations (~0.15 s on SQLite, ~0.5 s on
PostgreSQL). `empty_database_url` yields one without any schema, for the migration tests.
"""

from __future__ import annotations

import atexit
import functools
import getpass
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
def fresh_pg_database(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (asyncpg URL), empty or a copy of the database `template`,
    dropped afterwards."""
    if not pg_available():
        pytest.skip(PG_SKIP_REASON)
    user = _pg_admin_user()
    name = f"samverkan_t_{uuid.uuid4().hex[:12]}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template))
    with psycopg.connect(_dsn(user, "postgres"), autocommit=True, connect_timeout=5) as admin:
        admin.execute(create)
    try:
        yield f"postgresql+asyncpg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(_dsn(user, "postgres"), autocommit=True, connect_timeout=5) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'samverkan.db'}"


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL (no schema), once on SQLite and once on PostgreSQL (skipped if
    absent)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new database at the newest schema, once on SQLite and once on PostgreSQL (skipped
    if absent): a copy of this process's migrated template."""
    if request.param == "sqlite":
        shutil.copyfile(_sqlite_template(tmp_path_factory), tmp_path / "samverkan.db")
        yield sqlite_url(tmp_path)
        return
    with fresh_pg_database(template=_pg_template()) as url:
        yield url


def _sqlite_template(factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the newest schema, made once per process (closed: no WAL beside it)."""
    path = factory.getbasetemp() / f"template-{os.getpid()}.db"
    if not path.exists():
        from storage.migrate import upgrade_sync

        upgrade_sync(f"sqlite+aiosqlite:///{path}")
    return path


_PG_TEMPLATES: list[str] = []  # made by this process; dropped at its exit (atexit)


def _pg_template() -> str:
    """A PostgreSQL database at the newest schema, made once per process (no connection is
    left open to it, as `CREATE DATABASE … TEMPLATE` requires)."""
    if _PG_TEMPLATES:
        return _PG_TEMPLATES[0]
    from storage.migrate import upgrade_sync

    with fresh_pg_database() as url:  # only for its creation; kept under another name below
        upgrade_sync(url)
        name = url.rsplit("/", 1)[1]
        template = f"samverkan_tmpl_{uuid.uuid4().hex[:12]}"
        user = _pg_admin_user()
        with psycopg.connect(_dsn(user, "postgres"), autocommit=True,
                             connect_timeout=5) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(template), sql.Identifier(name)))
    _PG_TEMPLATES.append(template)
    atexit.register(_drop_pg_database, template)
    return template


def _drop_pg_database(name: str) -> None:
    with psycopg.connect(_dsn(_pg_admin_user(), "postgres"), autocommit=True,
                         connect_timeout=5) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


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


@pytest.hookimpl(tryfirst=True)  # the mark must be there before pytest reads the marks
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `sqlite_only` gets `database_url` on SQLite only: what it checks (words,
    rendering, dates, exports) does not depend on the database, and the storage tests and the
    stories hold PostgreSQL's side. Keeps `make test` within CI's 10 minutes."""
    if ("database_url" in metafunc.fixturenames
            and metafunc.definition.get_closest_marker("sqlite_only") is not None):
        metafunc.definition.add_marker(
            pytest.mark.parametrize("database_url", ["sqlite"], indirect=True))


# The tests that use the real Synapse (`synapse`, `synapse_default`): under pytest-xdist they
# run on two workers, so two homeservers serve the run instead of one per worker. By path,
# because xdist's scheduler sees only test ids (its `xdist_group` mark does not reach it
# under pytest 9: the id it rewrites is no longer the one reported).
# The crash test (20 restarts of the bot, about 2½ minutes) gets a worker and a homeserver of
# its own, so that it runs beside the other Synapse tests instead of after them.
# The replica test (two bot processes, a leader killed, ~200 notices due after the takeover)
# runs after it on that worker, not beside the crash test's four bot processes.
SYNAPSE_TESTS = ("tests/matrix/", "tests/bridge/test_bridge_rooms.py")
SYNAPSE_ALONE = ("tests/matrix/test_matrix_crash.py", "tests/scheduling/test_replicas.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests on the real Synapse first, then those marked `long`, then the rest (stable:
    collection order within each), so that under xdist no worker starts a two-minute test
    when the others are done. Every worker sorts alike, as xdist requires."""

    def rank(item: pytest.Item) -> int:
        if item.nodeid.startswith(SYNAPSE_TESTS + SYNAPSE_ALONE):
            return 0
        return 1 if item.get_closest_marker("long") else 2

    items.sort(key=rank)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Each test file is one unit of work (a module-scoped fixture, such as a story played
    once for its checks, runs on one worker only), and the Synapse tests are two
    (SYNAPSE_ALONE, the crash test then the replica test, is one unit; the rest of
    SYNAPSE_TESTS another)."""
    from xdist.scheduler import LoadScopeScheduling

    class OneHomeserver(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(SYNAPSE_ALONE):
                return "crash-then-replicas"
            if nodeid.startswith(SYNAPSE_TESTS):
                return "synapse"
            return nodeid.split("::", 1)[0]  # a file: its module-scoped fixtures run once

    config.option.loadscopereorder = False  # keep the order above, not the largest first
    return OneHomeserver(config, log)
