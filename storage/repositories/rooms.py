"""Repositories of rooms and the outbox: effects awaiting the platforms, and room bindings."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from bot.domain.effects import Effect, effect_from_json, effect_to_json
from bot.domain.ports import OutboxItem
from storage.repositories.base import SessionRepository, missing
from storage.tables import (
    OutboxRow,
    RoomBindingRow,
)


class SqlOutboxRepository(SessionRepository):
    async def add(self, effect: Effect) -> int:
        row = OutboxRow(kind=effect.type, effect=effect_to_json(effect))
        self.session.add(row)
        await self.session.flush()
        assert row.id is not None  # flushed
        return row.id

    async def add_many(self, effects: list[Effect]) -> None:
        self.session.add_all(
            [OutboxRow(kind=effect.type, effect=effect_to_json(effect)) for effect in effects]
        )
        await self.session.flush()

    async def pending(self, limit: int = 100) -> list[OutboxItem]:
        """Unfinished items, oldest first: also those a crashed process left half done."""
        query = (
            select(OutboxRow)
            .where(col(OutboxRow.finished).is_(False))
            .order_by(col(OutboxRow.id))
            .limit(limit)
        )
        return [_item(row) for row in await self.session.exec(query)]

    async def backlog(self) -> dict[str, int]:
        query = (select(OutboxRow.kind, func.count()).where(col(OutboxRow.finished).is_(False))
                 .group_by(col(OutboxRow.kind)))
        return {str(kind): int(n) for kind, n in await self.session.exec(query)}

    async def failing(self) -> dict[tuple[str, str], int]:
        query = select(OutboxRow.kind, OutboxRow.last_error).where(
            col(OutboxRow.finished).is_(False), col(OutboxRow.last_error).is_not(None))
        counts: dict[tuple[str, str], int] = {}
        for kind, error in await self.session.exec(query):
            key = (str(kind), str(error).split(":", 1)[0].strip()[:60] or "okänt")
            counts[key] = counts.get(key, 0) + 1
        return counts

    async def mark_done(self, item_id: int, platform: str) -> None:
        row = await self._locked(item_id)
        row.done = sorted({*row.done, platform})
        await self.session.flush()

    async def mark_finished(self, item_id: int) -> None:
        row = await self._locked(item_id)
        row.finished = True
        await self.session.flush()

    async def record_failure(self, item_id: int, error: str) -> None:
        row = await self._locked(item_id)
        row.attempts += 1
        row.last_error = error
        await self.session.flush()

    async def settle(
        self, item_id: int, done: list[str], *, finished: bool, error: str | None
    ) -> None:
        row = await self._locked(item_id)
        row.done = sorted({*row.done, *done})
        row.finished = row.finished or finished
        if error is not None:
            row.attempts += 1
            row.last_error = error
        await self.session.flush()

    async def _locked(self, item_id: int) -> OutboxRow:
        # FOR UPDATE on PostgreSQL so that two workers cannot lose each other's `done`
        # (SQLite serialises writers anyway and ignores it).
        row = await self.session.get(
            OutboxRow, item_id, with_for_update=True, populate_existing=True
        )
        if row is None:
            raise missing("outbox item", item_id)
        return row


def _item(row: OutboxRow) -> OutboxItem:
    assert row.id is not None
    effect = effect_from_json(row.effect)
    return OutboxItem(id=row.id, effect=effect, done=frozenset(row.done), attempts=row.attempts)


class SqlRoomBindingRepository(SessionRepository):
    async def bind(self, kind: str, key: str, platform: str, room_id: str) -> None:
        """Binds (or re-binds) the room; a room bound to another (kind, key) is refused."""
        other = await self.lookup(platform, room_id)
        if other is not None and other != (kind, key):
            raise ValueError(f"{platform} room {room_id} is already bound to {other}")
        row = await self._row(kind, key, platform)
        if row is None:
            self.session.add(RoomBindingRow(kind=kind, key=key, platform=platform, room_id=room_id))
        else:
            row.room_id = room_id
        await self.session.flush()

    async def room(self, kind: str, key: str, platform: str) -> str | None:
        row = await self._row(kind, key, platform)
        return row.room_id if row else None

    async def lookup(self, platform: str, room_id: str) -> tuple[str, str] | None:
        query = select(RoomBindingRow).where(
            col(RoomBindingRow.platform) == platform, col(RoomBindingRow.room_id) == room_id
        )
        row = (await self.session.exec(query)).first()
        return (row.kind, row.key) if row else None

    async def _row(self, kind: str, key: str, platform: str) -> RoomBindingRow | None:
        query = select(RoomBindingRow).where(
            col(RoomBindingRow.kind) == kind,
            col(RoomBindingRow.key) == key,
            col(RoomBindingRow.platform) == platform,
        )
        return (await self.session.exec(query)).first()
