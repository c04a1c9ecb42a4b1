"""The resources tables on SQLite and PostgreSQL: migration 0003 matches the table classes,
items round-trip with their state, numbers are unique per event, priorities keep their
linked needs, and downgrade removes the tables."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (registers the tables in the metadata)
from bot.domain.resources import Priority, Resource, ResourceKind, ResourceState
from storage.uow import SqlUnitOfWorkFactory
from tests.storage.storage_samples import T0, Seed

TABLES = {"resources", "resource_priorities"}


def _item(seed: Seed, number: int, kind: ResourceKind, **changes: Any) -> Resource:
    values: dict[str, Any] = {
        "id": None, "event_id": seed.event_id, "activation_id": seed.activation_id,
        "number": number, "kind": kind, "actor": "forsvarsmakten", "person": "fm-vakthavande-1",
        "function": "vakthavande@forsvarsmakten", "what": "bandvagnar", "count": 4,
        "spec": None, "place": "Norrtälje", "purpose": None, "due": T0 + timedelta(hours=3),
        "state": ResourceState.OPEN, "created_at": T0, "changed_at": T0,
        "changed_by": "fm-vakthavande-1",
    }
    return Resource(**(values | changes))


async def test_migration_matches_the_table_classes(engine: AsyncEngine) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, SQLModel.metadata)
        return [d for d in found if TABLES & set(map(str, _flatten(d)))]

    async with engine.connect() as connection:
        names = await connection.run_sync(lambda c: set(c.dialect.get_table_names(c)))
        assert names >= TABLES
        assert await connection.run_sync(differences) == []


def _flatten(difference: Any) -> list[Any]:
    """Every table name an autogenerate difference mentions."""
    items = difference if isinstance(difference, list) else [difference]
    names: list[Any] = []
    for item in items:
        for part in item:
            table = getattr(part, "table", None)
            names += [getattr(part, "name", None), getattr(table, "name", None)]
            if isinstance(part, str):
                names.append(part)
    return names


async def test_items_round_trip_and_change_state(uow_factory: SqlUnitOfWorkFactory,
                                                 seed: Seed) -> None:
    async with uow_factory() as uow:
        assert await uow.resources.next_number(seed.event_id) == 1
        need = await uow.resources.add(_item(seed, 1, ResourceKind.NEED, actor="region-stockholm",
                                             spec="med förare", purpose="hemsjukvården"))
        offer = await uow.resources.add(_item(seed, 2, ResourceKind.OFFER, count=None))
        assert need.id is not None and await uow.resources.next_number(seed.event_id) == 3
        await uow.commit()
    later = T0 + timedelta(hours=1)
    async with uow_factory() as uow:
        for item, partner in ((need, offer), (offer, need)):
            await uow.resources.update(dataclasses.replace(
                item, state=ResourceState.MATCHED, partner=partner.number, changed_at=later,
                changed_by="lst-tib-1"))
        await uow.commit()
    async with uow_factory() as uow:
        got = await uow.resources.of_event(seed.event_id)
        assert [i.number for i in got] == [1, 2]
        assert got[0] == dataclasses.replace(need, state=ResourceState.MATCHED, partner=2,
                                             changed_at=later, changed_by="lst-tib-1")
        assert got[1].kind is ResourceKind.OFFER and got[1].count is None
        assert got[1].due == T0 + timedelta(hours=3) and got[1].due.tzinfo is not None
        assert await uow.resources.get(seed.event_id, 2) == got[1]
        assert await uow.resources.get(seed.event_id, 3) is None
        assert await uow.resources.get(seed.event_id + 1, 1) is None


async def test_number_is_unique_within_the_event(uow_factory: SqlUnitOfWorkFactory,
                                                 seed: Seed) -> None:
    async with uow_factory() as uow:
        await uow.resources.add(_item(seed, 1, ResourceKind.NEED))
        with pytest.raises(IntegrityError):
            await uow.resources.add(_item(seed, 1, ResourceKind.OFFER))


async def test_priorities_keep_their_needs_in_order(uow_factory: SqlUnitOfWorkFactory,
                                                    seed: Seed) -> None:
    async with uow_factory() as uow:
        for decision, needs in ((4, [2, 5]), (6, [])):
            await uow.resources.add_priority(Priority(
                id=None, event_id=seed.event_id, activation_id=seed.activation_id,
                decision=decision, what="bandvagnar", to="akut sjukvård och räddningstjänst",
                rank=1 if needs else None, person="lst-lod-1",
                function="lansoverdirektor@lansstyrelsen", created_at=T0, needs=needs))
        await uow.commit()
    async with uow_factory() as uow:
        got = await uow.resources.priorities(seed.event_id)
    assert [(p.decision, p.needs, p.rank) for p in got] == [(4, [2, 5], 1), (6, [], None)]
    assert got[0].to == "akut sjukvård och räddningstjänst" and got[0].id is not None
