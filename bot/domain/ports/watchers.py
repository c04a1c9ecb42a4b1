"""Ports of the watchers: what they remember of each public alert (`watched_alerts`)."""

from __future__ import annotations

from typing import Protocol

from bot.domain.watchers import Source, WatchState


class WatchRepository(Protocol):
    """What the watchers remember per alert (see `bot.domain.watchers.WatchState`)."""

    async def of_source(self, source: Source) -> dict[str, WatchState]:
        """Every remembered alert of `source`, by key."""
        ...

    async def save_many(self, states: list[WatchState]) -> None:
        """Inserts or replaces each state (keyed by source and key)."""
        ...
