"""Unit of work semantics, time zones and restarts on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError

from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.domain.record import Event
from storage.database import make_engine
from storage.uow import SqlUnitOfWorkFactory
from tests.storage.storage_samples import T0, Seed, activation, participant

STOCKHOLM = ZoneInfo("Europe/Stockholm")


async def test_nothing_persists_without_commit(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        event = await uow.events.add(Event(None, "Utan commit", None, T0))
        assert event.id is not None
        assert await uow.events.get(event.id) == event, "visible inside its own unit of work"
        await uow.kv.put("k", "v")
    async with uow_factory() as uow:
        assert await uow.events.get(event.id) is None
        assert await uow.kv.get("k") is None


async def test_commit_persists(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        event = await uow.events.add(Event(None, "Med commit", None, T0))
        await uow.commit()
    assert event.id is not None
    async with uow_factory() as uow:
        assert await uow.events.get(event.id) == event


async def test_an_exception_rolls_back_and_propagates(uow_factory: SqlUnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError, match="handler failed"):
        async with uow_factory() as uow:
            await uow.kv.put("half", "done")
            raise RuntimeError("handler failed")
    async with uow_factory() as uow:
        assert await uow.kv.get("half") is None


async def test_work_after_commit_is_rolled_back(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.kv.put("first", "1")
        await uow.commit()
        await uow.kv.put("second", "2")
    async with uow_factory() as uow:
        assert (await uow.kv.get("first"), await uow.kv.get("second")) == ("1", None)


async def test_uow_satisfies_the_port(uow_factory: SqlUnitOfWorkFactory) -> None:
    factory: UnitOfWorkFactory = uow_factory
    uow: UnitOfWork
    async with factory() as uow:
        assert await uow.kv.get("nothing") is None


async def test_foreign_keys_are_enforced(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(IntegrityError):
            await uow.activations.add(activation("2026-001", event_id=4242))


async def test_times_come_back_aware_utc_whatever_zone_went_in(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    summer = datetime(2026, 7, 1, 14, 5, 6, 789012, tzinfo=STOCKHOLM)  # CEST, +02:00
    winter = datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=-5)))
    async with uow_factory() as uow:
        stored = await uow.participants.add(participant(
            seed.activation_id, "anna", called_at=summer, deadline=winter, acked_at=None))
        await uow.commit()
    async with uow_factory() as uow:
        [read] = await uow.participants.of_activation(seed.activation_id)
        event = await uow.events.get(seed.event_id)
    assert read == stored
    assert read.called_at == summer and read.called_at.tzinfo is UTC
    assert read.called_at.hour == 12 and read.called_at.microsecond == 789012
    assert read.deadline == winter and read.deadline is not None and read.deadline.tzinfo is UTC
    assert read.acked_at is None
    assert event is not None and event.created_at.tzinfo is UTC


async def test_naive_datetimes_are_refused(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(Exception, match="naive datetime"):
            await uow.events.add(Event(None, "Naiv", None, datetime(2026, 1, 1, 12, 0)))


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_postgres_session_zone_does_not_leak(migrated_url: str, seed: Seed) -> None:
    engine = make_engine(migrated_url, connect_args={"server_settings": {"TimeZone": "Asia/Tokyo"}})
    try:
        async with SqlUnitOfWorkFactory(engine)() as uow:
            event = await uow.events.get(seed.event_id)
    finally:
        await engine.dispose()
    assert event is not None and event.created_at == T0 and event.created_at.tzinfo is UTC


async def test_data_survives_engine_dispose_and_a_new_engine(
    migrated_url: str,
) -> None:
    engine = make_engine(migrated_url)
    async with SqlUnitOfWorkFactory(engine)() as uow:
        event = await uow.events.add(Event(None, "Före omstart", "oväder", T0))
        assert event.id is not None
        await uow.activations.add(activation("2026-001", event.id))
        await uow.rooms.bind("activation", "2026-001", "matrix", "!r:samverkan.test")
        await uow.commit()
    await engine.dispose()

    engine = make_engine(migrated_url)
    try:
        async with SqlUnitOfWorkFactory(engine)() as uow:
            assert await uow.events.get(event.id) == event
            assert [a.id for a in await uow.activations.active()] == ["2026-001"]
            assert await uow.rooms.lookup("matrix", "!r:samverkan.test") == ("activation",
                                                                              "2026-001")
            assert await uow.activations.next_id(2026) == "2026-002"
    finally:
        await engine.dispose()
