"""Alembic environment: async, URL from the caller, every `storage.tables*` module loaded.

Three ways in:
- `storage.migrate.upgrade(url)` hands over an open connection in `config.attributes`;
- the alembic CLI with `-x url=…` (or `sqlalchemy.url` set on the Config);
- offline (`--sql`) with the same URL, to print the DDL.
"""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from typing import Any

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.tables
from storage.database import is_sqlite, make_engine, sync_url

# Each concern's tables (storage/tables/<concern>.py) register themselves in SQLModel.metadata
# just by being imported; importing every module of the package keeps this file closed.
for _module in pkgutil.iter_modules(storage.tables.__path__):
    importlib.import_module(f"storage.tables.{_module.name}")

target_metadata = SQLModel.metadata
config = context.config

# Any constant will do; it only has to be the same for every replica of the bot.
_MIGRATION_LOCK_KEY = 0x5A4D_5645  # "SMVE"


def _include_name(name: str | None, type_: str, _parent: Any) -> bool:
    # APScheduler's job store may share the database; it manages its own table.
    return not (type_ == "table" and name is not None and name.startswith("apscheduler"))


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or context.get_x_argument(
        as_dictionary=True
    ).get("url")
    if not url:
        raise RuntimeError("no database URL: use storage.migrate.upgrade(url) or -x url=…")
    return url


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        include_name=_include_name,
        compare_type=True,
        **kwargs,
    )


def run_migrations_offline() -> None:
    url = sync_url(_url())  # only the dialect matters offline; no async driver needed
    _configure(url=url, literal_binds=True, render_as_batch=is_sqlite(url))
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Replicas starting together: the first migrates, the others wait and find head.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
            )
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = make_engine(_url(), poolclass=pool.NullPool, sqlite_foreign_keys=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
