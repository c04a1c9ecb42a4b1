"""The schedule repositories on SQLite and PostgreSQL: the tables match the migration, the
queries the time side relies on, and the exactly-once guard under concurrency."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from bot.domain.guards import Delivery, DeliveryStatus
from bot.domain.record import ActivationStatus, Event
from bot.domain.recurrence import Recurrence
from bot.domain.schedule import AgendaItem, Attendance, ConferenceSeries, Meeting, RollCall
from storage.database import make_engine
from storage.migrate import downgrade, upgrade
from storage.uow import SqlUnitOfWorkFactory
from tests.storage.storage_samples import activation

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SCHEDULE_TABLES = {"conference_series", "meetings", "agenda_items", "roll_calls", "attendance",
                   "deliveries"}
WEEKLY = Recurrence("weekly", weekday=3, hour=9, text="varje torsdag 09:00")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    await upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def uow(engine: AsyncEngine) -> SqlUnitOfWorkFactory:
    factory = SqlUnitOfWorkFactory(engine)
    async with factory() as u:
        for n, act_id in enumerate(("2026-001", "2026-002")):
            event = await u.events.add(Event(None, f"E{n}", None, T0))
            assert event.id is not None
            await u.activations.add(activation(act_id, event.id, created_at=T0))
        await u.commit()
    return factory


def _series(act: str, at: datetime, every: timedelta | None = None) -> ConferenceSeries:
    return ConferenceSeries(None, act, at, every, "anna", T0, at, T0)


async def test_schedule_tables_match_the_migration(engine: AsyncEngine) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, SQLModel.metadata)
        return [d for d in found if SCHEDULE_TABLES & set(repr(d).split("'"))]

    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_downgrade_removes_only_the_schedule_tables(database_url: str,
                                                          engine: AsyncEngine) -> None:
    await downgrade(database_url, "0001_core")
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda c: set(c.dialect.get_table_names(c)))
    assert not names & SCHEDULE_TABLES and "activations" in names
    await upgrade(database_url)


async def test_conference_queries(uow: SqlUnitOfWorkFactory) -> None:
    async with uow() as u:
        a = await u.conferences.add(_series("2026-001", T0 + timedelta(hours=2),
                                            timedelta(hours=3)))
        b = await u.conferences.add(_series("2026-001", T0 + timedelta(hours=1)))
        c = await u.conferences.add(_series("2026-002", T0 + timedelta(hours=5)))
        await u.commit()
    assert a.every == timedelta(hours=3) and b.every is None
    async with uow() as u:
        assert [s.id for s in await u.conferences.of_activation("2026-001")] == [b.id, a.id]
        assert [s.id for s in await u.conferences.due(T0 + timedelta(hours=2))] == [b.id, a.id]
        assert len(await u.conferences.unplanned()) == 3
        got = await u.conferences.get_many([a.id or 0, c.id or 0], lock=True)
        assert {s.id for s in got} == {a.id, c.id}
        b2 = await u.conferences.get(b.id or 0)
        assert b2 is not None
        b2.jobs_planned, b2.next_at = True, None  # ended
        await u.conferences.update(b2)
        act = await u.activations.get("2026-002")
        assert act is not None
        act.status = ActivationStatus.CLOSED
        await u.activations.update(act)
        await u.commit()
    async with uow() as u:
        assert [s.id for s in await u.conferences.running()] == [a.id, c.id]
        assert [s.id for s in await u.conferences.of_closed_activations()] == [c.id]
        assert [s.id for s in await u.conferences.unplanned()] == [a.id, c.id]
        assert len(await u.conferences.all()) == 3


async def test_meetings_agenda_and_standing(uow: SqlUnitOfWorkFactory) -> None:
    async with uow() as u:
        standing = await u.meetings.add(Meeting(None, "veckokonferens", WEEKLY, T0, None, T0,
                                                T0 + timedelta(days=3), T0, standing=True))
        extra = await u.meetings.add(Meeting(None, "veckokonferens", WEEKLY, T0, "anna", T0,
                                             T0 + timedelta(days=1), T0))
        first = await u.agenda.add(AgendaItem(None, "veckokonferens", "Halka", "anna",
                                              "lansstyrelsen", T0))
        await u.agenda.add(AgendaItem(None, "veckokonferens", "Senare", "anna", None,
                                      T0 + timedelta(hours=1)))
        await u.commit()
    assert standing.standing and not extra.standing and standing.rule == WEEKLY
    async with uow() as u:
        assert [m.id for m in await u.meetings.running()] == [extra.id, standing.id]
        found = await u.meetings.standing("veckokonferens")
        assert found is not None and found.id == standing.id
        assert await u.meetings.standing("chefsgruppen") is None
        early = await u.agenda.pending("veckokonferens", before=T0)
        assert [i.text for i in early] == ["Halka"]
        await u.agenda.handle(early, extra.id or 0, T0 + timedelta(days=1), T0)
        await u.commit()
    async with uow() as u:
        assert [i.text for i in await u.agenda.pending("veckokonferens")] == ["Senare"]
        assert first.id is not None


async def test_a_standing_meeting_is_added_once(uow: SqlUnitOfWorkFactory) -> None:
    meeting = Meeting(None, "chefsgruppen", WEEKLY, T0, None, T0, T0 + timedelta(days=1), T0,
                      standing=True)
    async with uow() as u:
        first = await u.meetings.add_standing(meeting)
        assert first is not None and first.standing and first.id is not None
        assert await u.meetings.add_standing(meeting) is None
        await u.commit()
    async with uow() as u:
        assert len(await u.meetings.all()) == 1


async def test_roll_call_attendance_once_per_person(uow: SqlUnitOfWorkFactory) -> None:
    async with uow() as u:
        series = await u.conferences.add(_series("2026-001", T0))
        assert series.id is not None
        roll = await u.roll_calls.open(RollCall(None, series.id, "2026-001", T0, T0))
        assert roll.id is not None
        att = Attendance(None, roll.id, "2026-001", "anna", "tib@polisen", "polisen", T0)
        assert await u.roll_calls.attend(att)
        assert not await u.roll_calls.attend(att)
        later = await u.roll_calls.open(RollCall(None, series.id, "2026-001",
                                                 T0 + timedelta(hours=3), T0))
        await u.commit()
    async with uow() as u:
        latest = await u.roll_calls.latest("2026-001")
        assert latest is not None and latest.id == later.id
        assert [a.person for a in await u.roll_calls.attendees(roll.id)] == ["anna"]
        assert await u.roll_calls.latest("2026-002") is None


async def test_deliveries_add_once_and_many(uow: SqlUnitOfWorkFactory) -> None:
    async with uow() as u:
        assert await u.deliveries.add_once("k1", T0, T0, DeliveryStatus.SENT)
        assert not await u.deliveries.add_once("k1", T0, T0, DeliveryStatus.LATE)
        batch = [Delivery(k, T0, T0, DeliveryStatus.LATE) for k in ("k1", "k2", "k3", "k2")]
        assert await u.deliveries.add_many(batch) == {"k2", "k3"}
        await u.commit()
    async with uow() as u:
        got = await u.deliveries.get("k1")
        assert got is not None and got.status is DeliveryStatus.SENT and got.at == T0
        assert await u.deliveries.existing(["k1", "k3", "nope"]) == {"k1", "k3"}


async def test_concurrent_transactions_deliver_once(uow: SqlUnitOfWorkFactory) -> None:
    """Two overlapping transactions (two leaders at a takeover) insert the same key: exactly
    one of them gets to deliver."""
    gate = asyncio.Event()

    async def attempt() -> bool:
        async with uow() as u:
            inserted = await u.deliveries.add_once("race", T0, T0, DeliveryStatus.SENT)
            await gate.wait()
            await u.commit()
            return inserted

    async def open_gate() -> None:
        await asyncio.sleep(0.3)
        gate.set()

    results = await asyncio.wait_for(asyncio.gather(attempt(), attempt(), open_gate()), 60)
    assert sorted(results[:2]) == [False, True]
