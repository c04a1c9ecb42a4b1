"""The port of the resources concern: needs, offers and priorities of an event."""

from __future__ import annotations

from typing import Protocol

from bot.domain.resources import Priority, Resource


class ResourceRepository(Protocol):
    """Needs and offers (one number series per event) and the forum's priorities."""

    async def add(self, item: Resource) -> Resource:
        """Stores a new item; returns it with its id. The number is the caller's
        (`next_number`); a clash within the event is a storage error."""
        ...

    async def update(self, item: Resource) -> None:
        """Stores the item's state, partner and `changed_*` (the rest never changes)."""
        ...

    async def next_number(self, event_id: int) -> int:
        """The next free number of the event's series (1 for the first item)."""
        ...

    async def get(self, event_id: int, number: int) -> Resource | None: ...
    async def of_event(self, event_id: int) -> list[Resource]:
        """Every item of the event, by number."""
        ...

    async def add_priority(self, priority: Priority) -> Priority: ...
    async def priorities(self, event_id: int) -> list[Priority]:
        """The event's priorities in the order they were decided."""
        ...
