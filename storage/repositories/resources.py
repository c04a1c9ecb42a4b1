"""Needs, offers and priorities (`bot.domain.ports.resources.ResourceRepository`)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from bot.domain.resources import Priority, Resource, ResourceKind, ResourceState
from storage.repositories.base import (
    SessionRepository,
    missing,
    to_record,
    to_row,
    update_row,
)
from storage.tables.resources import ResourcePriorityRow, ResourceRow


class SqlResourceRepository(SessionRepository):
    """`ResourceRepository` on the `resources` and `resource_priorities` tables; numbers are
    unique per event (a clash raises the driver's IntegrityError and rolls the command back)."""

    async def add(self, item: Resource) -> Resource:
        row = to_row(item, ResourceRow)
        self.session.add(row)
        await self.session.flush()
        return _resource(row)

    async def update(self, item: Resource) -> None:
        row = await self.session.get(ResourceRow, item.id)
        if row is None:
            raise missing("resource", item.id)
        update_row(row, item)
        await self.session.flush()

    async def next_number(self, event_id: int) -> int:
        query = select(func.max(col(ResourceRow.number))).where(
            col(ResourceRow.event_id) == event_id)
        highest: int | None = (await self.session.exec(query)).one()
        return (highest or 0) + 1

    async def get(self, event_id: int, number: int) -> Resource | None:
        query = select(ResourceRow).where(col(ResourceRow.event_id) == event_id,
                                          col(ResourceRow.number) == number)
        row = (await self.session.exec(query)).first()
        return _resource(row) if row else None

    async def of_event(self, event_id: int) -> list[Resource]:
        query = (select(ResourceRow).where(col(ResourceRow.event_id) == event_id)
                 .order_by(col(ResourceRow.number)))
        return [_resource(row) for row in await self.session.exec(query)]

    async def add_priority(self, priority: Priority) -> Priority:
        row = to_row(priority, ResourcePriorityRow, needs=list(priority.needs))
        self.session.add(row)
        await self.session.flush()
        return _priority(row)

    async def priorities(self, event_id: int) -> list[Priority]:
        query = (select(ResourcePriorityRow)
                 .where(col(ResourcePriorityRow.event_id) == event_id)
                 .order_by(col(ResourcePriorityRow.id)))
        return [_priority(row) for row in await self.session.exec(query)]


def _resource(row: ResourceRow) -> Resource:
    return to_record(row, Resource, kind=ResourceKind(row.kind), state=ResourceState(row.state))


def _priority(row: ResourcePriorityRow) -> Priority:
    return to_record(row, Priority, needs=[int(n) for n in row.needs])
