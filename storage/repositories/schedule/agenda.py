"""Repositories of agenda items, roll calls and attendance."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select

from bot.domain.schedule import AgendaItem, Attendance, RollCall
from storage.repositories.base import SessionRepository, insert_once
from storage.tables import (
    AgendaItemRow,
    AttendanceRow,
    RollCallRow,
)


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
