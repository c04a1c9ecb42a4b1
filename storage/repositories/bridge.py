"""The bridge's memory: `bridge_events` (each incoming event once) and `bridged_messages`
(what each relayed message became on the other platform)."""

from __future__ import annotations

from sqlmodel import col, select

from storage.repositories.base import SessionRepository, insert_once
from storage.tables import BridgedMessageRow, BridgeEventRow


class SqlBridgeRepository(SessionRepository):
    async def receive_once(self, platform: str, key: str, activation_id: str) -> bool:
        return await insert_once(self, BridgeEventRow, {
            "platform": platform, "key": key, "activation_id": activation_id})

    async def link(self, *, activation_id: str, source_platform: str, source_id: str,
                   target_platform: str, target_room: str, target_id: str) -> None:
        row = await self._row(source_platform, source_id, target_platform)
        if row is None:
            self.session.add(BridgedMessageRow(
                activation_id=activation_id, source_platform=source_platform,
                source_id=source_id, target_platform=target_platform, target_room=target_room,
                target_id=target_id))
        else:
            row.target_room, row.target_id = target_room, target_id
        await self.session.flush()

    async def target(self, source_platform: str, source_id: str,
                     target_platform: str) -> tuple[str, str] | None:
        row = await self._row(source_platform, source_id, target_platform)
        return (row.target_room, row.target_id) if row else None

    async def _row(self, source_platform: str, source_id: str,
                   target_platform: str) -> BridgedMessageRow | None:
        query = select(BridgedMessageRow).where(
            col(BridgedMessageRow.source_platform) == source_platform,
            col(BridgedMessageRow.source_id) == source_id,
            col(BridgedMessageRow.target_platform) == target_platform)
        return (await self.session.exec(query)).first()
