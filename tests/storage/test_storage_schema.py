"""Migrations, the append-only timeline triggers, URLs and engines, and the dump helper."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import storage
import storage.tables
from storage.database import async_url, is_sqlite, make_engine, sync_url
from storage.dump import dump, dump_async
from storage.migrate import alembic_config, downgrade, upgrade, upgrade_sync
from storage.uow import SqlUnitOfWorkFactory
from tests.storage.storage_samples import Seed

ROOT = Path(storage.__file__).resolve().parent.parent
CORE_TABLES = {
    "events", "activations", "participants", "reports", "decisions", "commitments", "messages",
    "timeline", "outbox", "room_bindings", "kv",
}


async def _scalar(engine: AsyncEngine, sql: str) -> object:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql))).scalar()


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(
                lambda c: set(c.dialect.get_table_names(c)))
    finally:
        await engine.dispose()
    return set(names)


async def test_upgrade_on_empty_database_twice_is_idempotent(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the migrations are found relative to the package
    await upgrade(empty_database_url)
    await upgrade(empty_database_url)
    assert await _tables(empty_database_url) >= CORE_TABLES | {"alembic_version"}
    engine = make_engine(empty_database_url)
    try:
        assert await _scalar(engine, "SELECT version_num FROM alembic_version") == _head()
        assert await _scalar(engine, "SELECT count(*) FROM alembic_version") == 1
    finally:
        await engine.dispose()


def _head() -> str:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert "0001_core" in {r.revision for r in scripts.walk_revisions()}
    head = scripts.get_current_head()
    assert head is not None
    return head


async def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    await upgrade(database_url)
    await downgrade(database_url, "base")
    assert not (await _tables(database_url)) & CORE_TABLES
    await upgrade(database_url)
    assert await _tables(database_url) >= CORE_TABLES


def test_upgrade_sync_without_a_running_loop(database_url: str) -> None:
    upgrade_sync(database_url)
    upgrade_sync(database_url)
    assert f"('{_head()}')" in dump(database_url)


async def test_migrations_match_the_table_classes(engine: AsyncEngine) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        core = [t for t in SQLModel.metadata.sorted_tables if t.name in CORE_TABLES]
        assert {t.name for t in core} == CORE_TABLES
        found = compare_metadata(context, SQLModel.metadata)
        return [d for d in found if _table_of(d) in CORE_TABLES]

    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


def _table_of(difference: Any) -> str:
    """The table an autogenerate difference is about (modify_* come as lists of tuples)."""
    if isinstance(difference, list):
        return str(difference[0][2])
    operation, subject = difference[0], difference[1]
    if operation in ("add_table", "remove_table"):
        return str(subject.name)
    if operation in ("add_fk", "remove_fk"):
        return str(subject.parent.name)
    if operation.endswith(("_index", "_constraint")):
        return str(subject.table.name)
    return str(difference[2])  # add_column / remove_column: (op, schema, table, column)


def test_alembic_cli_finds_no_drift(database_url: str) -> None:
    upgrade_sync(database_url)
    command = [sys.executable, "-m", "alembic", "-c", str(ROOT / "storage" / "alembic.ini"),
               "-x", f"url={database_url}", "check"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No new upgrade operations detected" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "statement",
    ["UPDATE timeline SET text = 'ändrad'", "DELETE FROM timeline",
     "DELETE FROM timeline WHERE id = (SELECT min(id) FROM timeline)"],
)
async def test_timeline_is_append_only_in_the_database(
    engine: AsyncEngine, uow_factory: SqlUnitOfWorkFactory, seed: Seed, statement: str
) -> None:
    from bot.domain.record import EntryKind, TimelineEntry
    from tests.storage.storage_samples import T0

    async with uow_factory() as uow:
        await uow.timeline.append(TimelineEntry(None, seed.event_id, seed.activation_id, T0,
                                                EntryKind.NOTE, "anna", None, None, "original"))
        await uow.commit()
    with pytest.raises(DBAPIError, match="timeline is append-only"):
        async with engine.begin() as connection:
            await connection.execute(text(statement))
    assert await _scalar(engine, "SELECT text FROM timeline") == "original"


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_timeline_cannot_be_truncated_on_postgres(engine: AsyncEngine) -> None:
    with pytest.raises(DBAPIError, match="timeline is append-only"):
        async with engine.begin() as connection:
            await connection.execute(text("TRUNCATE timeline CASCADE"))


def test_urls_are_normalised() -> None:
    assert async_url("sqlite:///./x.db") == "sqlite+aiosqlite:///./x.db"
    assert async_url("sqlite+aiosqlite:////tmp/x.db") == "sqlite+aiosqlite:////tmp/x.db"
    assert async_url("postgresql://u:p%40ss@h:5433/db") == "postgresql+asyncpg://u:p%40ss@h:5433/db"
    assert async_url("postgres://h/db") == "postgresql+asyncpg://h/db"
    assert async_url("postgresql+psycopg://h/db") == "postgresql+asyncpg://h/db"
    assert sync_url("sqlite+aiosqlite:///./x.db") == "sqlite:///./x.db"
    assert sync_url("postgresql+asyncpg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert is_sqlite("sqlite:///x.db") and not is_sqlite("postgresql://h/db")
    with pytest.raises(ValueError, match="unsupported"):
        async_url("mysql://h/db")


async def test_sqlite_engine_settings(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        assert engine.url.drivername == "sqlite+aiosqlite"
        assert await _scalar(engine, "PRAGMA foreign_keys") == 1
        assert await _scalar(engine, "PRAGMA journal_mode") == "wal"
        assert await _scalar(engine, "PRAGMA busy_timeout") == 30000
    finally:
        await engine.dispose()


async def test_dump_is_deterministic_and_sees_only_committed_changes(
    migrated_url: str, uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    before = dump(migrated_url)
    assert before == await dump_async(migrated_url)
    assert "-- events (" in before and "Snöstorm Gorm" in before and "2026-001" in before
    async with uow_factory() as uow:
        await uow.kv.put("refused", "change")
    assert dump(migrated_url) == before, "a rolled-back unit of work leaves no trace"
    async with uow_factory() as uow:
        await uow.kv.put("accepted", "change")
        await uow.commit()
    after = dump(migrated_url)
    assert after != before and "'accepted'" in after
