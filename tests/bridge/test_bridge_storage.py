"""The bridge's tables on SQLite and PostgreSQL: an incoming event is taken once (also when
two transactions race for it), a relayed message's copy is found again and can be re-pointed,
and the migration downgrades cleanly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import make_engine
from storage.migrate import downgrade, upgrade
from storage.uow import SqlUnitOfWorkFactory


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    await upgrade(database_url)
    built = make_engine(database_url)
    yield built
    await built.dispose()


async def test_an_event_is_taken_once(engine: AsyncEngine) -> None:
    uow = SqlUnitOfWorkFactory(engine)

    async def take() -> bool:
        async with uow() as work:
            fresh = await work.bridge.receive_once("slack", "C1:1.2", "2026-001")
            await work.commit()
        return fresh

    assert sorted(await asyncio.gather(take(), take(), take())) == [False, False, True]
    async with uow() as work:
        assert await work.bridge.receive_once("matrix", "C1:1.2", "2026-001")  # other platform
        await work.commit()


async def test_a_copy_is_found_by_its_source(engine: AsyncEngine) -> None:
    uow = SqlUnitOfWorkFactory(engine)
    async with uow() as work:
        await work.bridge.link(activation_id="2026-001", source_platform="matrix",
                               source_id="$a", target_platform="slack", target_room="C1",
                               target_id="1.2")
        await work.commit()
    async with uow() as work:
        assert await work.bridge.target("matrix", "$a", "slack") == ("C1", "1.2")
        assert await work.bridge.target("matrix", "$a", "matrix") is None
        assert await work.bridge.target("slack", "$a", "slack") is None
        await work.bridge.link(activation_id="2026-001", source_platform="matrix",
                               source_id="$a", target_platform="slack", target_room="C2",
                               target_id="3.4")
        await work.commit()
    async with uow() as work:
        assert await work.bridge.target("matrix", "$a", "slack") == ("C2", "3.4")


async def test_the_migration_downgrades(database_url: str, engine: AsyncEngine) -> None:
    await downgrade(database_url, "0006_record")
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert not names & {"bridge_events", "bridged_messages"} and "outbox" in names
    await upgrade(database_url)
