"""Fixtures for the storage contract suite: a migrated database per test, on both engines."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.record import Event
from storage.database import make_engine
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWorkFactory
from tests.storage.storage_samples import T0, Seed, activation


@pytest.fixture
async def migrated_url(database_url: str) -> str:
    await upgrade(database_url)
    return database_url


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(migrated_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(engine)


@pytest.fixture
async def seed(uow_factory: SqlUnitOfWorkFactory) -> Seed:
    """One committed event with one active activation, 2026-001."""
    async with uow_factory() as uow:
        event = await uow.events.add(Event(id=None, title="Snöstorm Gorm", scenario="oväder",
                                           created_at=T0))
        assert event.id is not None
        await uow.activations.add(activation("2026-001", event.id))
        await uow.commit()
    return Seed(event_id=event.id, activation_id="2026-001")
