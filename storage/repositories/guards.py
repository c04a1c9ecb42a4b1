"""Repositories of the guards: key-value state and the deliveries — the exactly-once guard of
reminders and notices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.domain.guards import Delivery, DeliveryStatus
from storage.repositories.base import SessionRepository, insert_once
from storage.tables import (
    DeliveryRow,
    KeyValueRow,
)


class SqlKeyValueRepository(SessionRepository):
    async def get(self, key: str) -> str | None:
        row = await self.session.get(KeyValueRow, key)
        return row.value if row else None

    async def put(self, key: str, value: str) -> None:
        row = await self.session.get(KeyValueRow, key)
        if row is None:
            self.session.add(KeyValueRow(key=key, value=value))
        else:
            row.value = value
        await self.session.flush()

    async def put_many(self, items: Mapping[str, str]) -> None:
        """One upsert for all of `items` (INSERT … ON CONFLICT DO UPDATE, on SQLite and on
        PostgreSQL): a war room's 46 invitations are recorded in one round trip."""
        if not items:
            return
        connection = await self.session.connection()
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        table: Table = KeyValueRow.__table__  # type: ignore[attr-defined]
        statement = insert(table).values([{"key": k, "value": v} for k, v in items.items()])
        await connection.execute(statement.on_conflict_do_update(
            index_elements=[table.c.key], set_={"value": statement.excluded.value}))
        for key, value in items.items():  # rows this unit of work has read: keep them true
            loaded = self.session.identity_map.get(self.session.identity_key(KeyValueRow, key))
            if isinstance(loaded, KeyValueRow):
                loaded.value = value

    async def add_once(self, key: str, value: str = "") -> bool:
        if await self.session.get(KeyValueRow, key) is not None:
            return False
        # A concurrent transaction may insert the same key between the check and the insert:
        # the primary key decides, and the savepoint keeps our transaction usable.
        try:
            async with self.session.begin_nested():
                self.session.add(KeyValueRow(key=key, value=value))
        except IntegrityError:
            return False
        return True


class SqlDeliveryRepository(SessionRepository):
    async def add_once(self, key: str, due_at: datetime, at: datetime,
                       status: DeliveryStatus) -> bool:
        values = {"key": key, "due_at": due_at, "at": at, "status": status.value}
        return await insert_once(self, DeliveryRow, values)

    async def add_many(self, deliveries: Sequence[Delivery]) -> set[str]:
        if not deliveries:
            return set()
        rows = [{"key": d.key, "due_at": d.due_at, "at": d.at, "status": d.status.value}
                for d in deliveries]
        connection = await self.session.connection()
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        table: Table = DeliveryRow.__table__  # type: ignore[attr-defined]
        statement = insert(table).on_conflict_do_nothing().returning(table.c.key)
        inserted: set[str] = set()
        for start in range(0, len(rows), 200):
            result = await connection.execute(statement, rows[start : start + 200])
            inserted.update(str(key) for key in result.scalars())
        return inserted

    async def existing(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        chunk = 500  # stay far below SQLite's bound-parameter limit
        for start in range(0, len(keys), chunk):
            query = select(DeliveryRow.key).where(
                col(DeliveryRow.key).in_(keys[start : start + chunk])
            )
            found.update(await self.session.exec(query))
        return found

    async def get(self, key: str) -> Delivery | None:
        row = await self.session.get(DeliveryRow, key)
        if row is None:
            return None
        return Delivery(row.key, row.due_at, row.at, DeliveryStatus(row.status))

    async def lateness(self, since: datetime) -> list[float]:
        query = select(DeliveryRow.due_at, DeliveryRow.at).where(col(DeliveryRow.at) >= since)
        return [max(0.0, (at - due).total_seconds()) for due, at in await self.session.exec(query)]
