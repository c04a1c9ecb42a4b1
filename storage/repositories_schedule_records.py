"""Repositories of the time side's records: agenda items, roll calls and attendance, and the
deliveries — the exactly-once guard of reminders and notices."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from bot.domain.schedule_ports import (
    AgendaItem,
    Attendance,
    Delivery,
    DeliveryStatus,
    RollCall,
)
from storage.repositories.base import SessionRepository
from storage.tables_schedule import AgendaItemRow, AttendanceRow, DeliveryRow, RollCallRow


def _item(row: AgendaItemRow) -> AgendaItem:
    return AgendaItem(
        id=row.id, forum=row.forum, text=row.text, person=row.person, actor=row.actor,
        created_at=row.created_at, meeting_id=row.meeting_id, occurrence=row.occurrence,
        handled_at=row.handled_at,
    )


class SqlAgendaRepository(SessionRepository):
    async def add(self, item: AgendaItem) -> AgendaItem:
        values = dataclasses.asdict(item)
        values.pop("id")
        row = AgendaItemRow(**values)
        self.session.add(row)
        await self.session.flush()
        return _item(row)

    async def pending(self, forum: str, before: datetime | None = None) -> list[AgendaItem]:
        query = select(AgendaItemRow).where(
            col(AgendaItemRow.forum) == forum, col(AgendaItemRow.handled_at).is_(None)
        )
        if before is not None:
            query = query.where(col(AgendaItemRow.created_at) <= before)
        query = query.order_by(col(AgendaItemRow.created_at), col(AgendaItemRow.id))
        return [_item(row) for row in await self.session.exec(query)]

    async def handle(self, items: Sequence[AgendaItem], meeting_id: int, occurrence: datetime,
                     at: datetime) -> None:
        ids = [item.id for item in items if item.id is not None]
        if not ids:
            return
        statement = (
            update(AgendaItemRow)
            .where(col(AgendaItemRow.id).in_(ids), col(AgendaItemRow.handled_at).is_(None))
            .values(meeting_id=meeting_id, occurrence=occurrence, handled_at=at)
        )
        await self.session.exec(statement)


class SqlRollCallRepository(SessionRepository):
    async def open(self, roll_call: RollCall) -> RollCall:
        values = dataclasses.asdict(roll_call)
        values.pop("id")
        row = RollCallRow(**values)
        self.session.add(row)
        await self.session.flush()
        return RollCall(row.id, row.conference_id, row.activation_id, row.occurrence,
                        row.opened_at)

    async def latest(self, activation_id: str) -> RollCall | None:
        query = (
            select(RollCallRow)
            .where(col(RollCallRow.activation_id) == activation_id)
            .order_by(col(RollCallRow.occurrence).desc(), col(RollCallRow.id).desc())
            .limit(1)
        )
        row = (await self.session.exec(query)).first()
        if row is None:
            return None
        return RollCall(row.id, row.conference_id, row.activation_id, row.occurrence,
                        row.opened_at)

    async def of_activations(self, activation_ids: Sequence[str]) -> list[RollCall]:
        query = (
            select(RollCallRow)
            .where(col(RollCallRow.activation_id).in_(list(activation_ids)))
            .order_by(col(RollCallRow.occurrence), col(RollCallRow.id))
        )
        return [RollCall(row.id, row.conference_id, row.activation_id, row.occurrence,
                         row.opened_at) for row in await self.session.exec(query)]

    async def attend(self, attendance: Attendance) -> bool:
        values = dataclasses.asdict(attendance)
        values.pop("id")
        return await insert_once(self, AttendanceRow, values)

    async def attendees(self, roll_call_id: int) -> list[Attendance]:
        query = (
            select(AttendanceRow)
            .where(col(AttendanceRow.roll_call_id) == roll_call_id)
            .order_by(col(AttendanceRow.at), col(AttendanceRow.id))
        )
        return [
            Attendance(row.id, row.roll_call_id, row.activation_id, row.person, row.function,
                       row.actor, row.at)
            for row in await self.session.exec(query)
        ]


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


async def insert_once(repo: SessionRepository, table: Any, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: no exception, no savepoint, and under concurrency the
    database lets exactly one transaction insert (PostgreSQL waits for the other to commit)."""
    connection = await repo.session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table.__table__).values(**values).on_conflict_do_nothing()
    result = await connection.execute(statement)
    return bool(result.rowcount)
