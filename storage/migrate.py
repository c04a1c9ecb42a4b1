"""Bring a database to the newest schema. Safe to call at every start (no-op at head).

The migrations directory is found next to this module, so this works from an installed
package whatever the working directory is.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage.database import make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_Operation = Callable[[Config], None]


def alembic_config(url: str | None = None) -> Config:
    """A programmatic Alembic config (no ini file) pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        # ConfigParser interpolates '%', which percent-encoded passwords contain.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to `revision` in one transaction. A database already at the
    newest revision is left after one read of `alembic_version`, without loading the
    migration environment (every start and every test does this)."""
    if revision == "head" and await current_revision(url) == head_revision():
        return
    await _run(url, lambda config: command.upgrade(config, revision))


@functools.cache
def head_revision() -> str | None:
    """The newest revision of the packaged migrations (read once per process)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at; None when it has no schema yet."""
    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            try:
                result = await connection.execute(text("SELECT version_num FROM alembic_version"))
            except DBAPIError:  # no table yet: a new database
                return None
            return result.scalar_one_or_none()
    finally:
        await engine.dispose()


async def downgrade(url: str, revision: str) -> None:
    await _run(url, lambda config: command.downgrade(config, revision))


def upgrade_sync(url: str, revision: str = "head") -> None:
    """`upgrade` for callers without an event loop (CLI). Not for use inside a running loop."""
    asyncio.run(upgrade(url, revision))


async def _run(url: str, operation: _Operation) -> None:
    engine = make_engine(url, poolclass=pool.NullPool, sqlite_foreign_keys=False)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_with_connection, url, operation)
    finally:
        await engine.dispose()


def _with_connection(connection: Connection, url: str, operation: _Operation) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = connection
    operation(config)
