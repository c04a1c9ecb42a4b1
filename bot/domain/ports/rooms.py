"""Ports of rooms and the outbox: effects recorded in a command's transaction and performed on
the platforms after commit, and which platform room is which neutral room."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.domain.effects import Effect


@dataclass(frozen=True)
class OutboxItem:
    id: int
    effect: Effect
    done: frozenset[str]  # platforms that have performed it
    attempts: int


class OutboxRepository(Protocol):
    async def add(self, effect: Effect) -> int: ...
    async def add_many(self, effects: list[Effect]) -> None:
        """Adds the effects in order, in one round trip."""
        ...

    async def pending(self, limit: int = 100) -> list[OutboxItem]: ...
    async def backlog(self) -> dict[str, int]:
        """Unfinished items by effect kind (e.g. `open_war_room`, `post`), for metrics."""
        ...

    async def failing(self) -> dict[tuple[str, str], int]:
        """Unfinished items whose last attempt failed, by (effect kind, error kind: the text
        of `last_error` before its first colon), for metrics."""
        ...

    async def mark_done(self, item_id: int, platform: str) -> None: ...
    async def mark_finished(self, item_id: int) -> None: ...
    async def record_failure(self, item_id: int, error: str) -> None: ...
    async def settle(
        self, item_id: int, done: list[str], *, finished: bool, error: str | None
    ) -> None:
        """Records in one step what a delivery attempt did: the platforms that performed the
        effect, whether the item is finished, and the error (which counts an attempt)."""
        ...


class RoomBindingRepository(Protocol):
    """Which platform room is which neutral room (activation war room, forum standing room)."""

    async def bind(self, kind: str, key: str, platform: str, room_id: str) -> None: ...
    async def room(self, kind: str, key: str, platform: str) -> str | None: ...
    async def lookup(self, platform: str, room_id: str) -> tuple[str, str] | None:
        """(kind, key) of a platform room, if bound."""
        ...
