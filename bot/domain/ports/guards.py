"""Ports of the guards: small durable key-value state (sync tokens, processed ids) and the
delivery marks that make each reminder and notice happen once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from bot.domain.guards import Delivery, DeliveryStatus


class KeyValueRepository(Protocol):
    """Small durable state: sync tokens, processed delivery ids (de-duplication)."""

    async def get(self, key: str) -> str | None: ...
    async def put(self, key: str, value: str) -> None: ...
    async def put_many(self, items: Mapping[str, str]) -> None:
        """Set every key of `items` to its value, inserted or replaced, in one statement."""
        ...

    async def add_once(self, key: str, value: str = "") -> bool:
        """Insert `key` unless present; True when this call inserted it."""
        ...


class DeliveryRepository(Protocol):
    async def add_once(
        self, key: str, due_at: datetime, at: datetime, status: DeliveryStatus
    ) -> bool:
        """Inserts the delivery unless `key` exists; True when this call inserted it.
        Concurrent transactions with the same key: exactly one gets True."""
        ...

    async def add_many(self, deliveries: Sequence[Delivery]) -> set[str]:
        """`add_once` for several: the keys this call inserted."""
        ...

    async def existing(self, keys: Sequence[str]) -> set[str]: ...
    async def get(self, key: str) -> Delivery | None: ...

    async def lateness(self, since: datetime) -> list[float]:
        """Seconds between due time and delivery of every reminder or notice delivered at or
        after `since` (UTC), for metrics."""
        ...
