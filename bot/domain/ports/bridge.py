"""Ports of the bridge: which incoming events were taken (`bridge_events`) and which message
each relayed one became on the other platform (`bridged_messages`)."""

from __future__ import annotations

from typing import Protocol


class BridgeRepository(Protocol):
    async def receive_once(self, platform: str, key: str, activation_id: str) -> bool:
        """Record an incoming event by its unique key on `platform`; False when it was
        recorded before (a re-delivered event: relay nothing)."""
        ...

    async def link(self, *, activation_id: str, source_platform: str, source_id: str,
                   target_platform: str, target_room: str, target_id: str) -> None:
        """Remember that the message `source_id` became `target_id` in `target_room` on
        `target_platform` (a second call for the same source and target replaces it)."""
        ...

    async def target(self, source_platform: str, source_id: str,
                     target_platform: str) -> tuple[str, str] | None:
        """(room, message id) the source message became on `target_platform`, or None."""
        ...
