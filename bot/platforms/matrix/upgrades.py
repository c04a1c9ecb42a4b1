"""Room upgrades: following a standing room or war room to its replacement.

On `m.room.tombstone` in a room bound to a forum or an activation, the bot remembers the
replacement (`matrix:successor:<room>`), joins it when it may and re-binds the forum or
activation there. Synapse does not invite the members of an invite-only room into its
replacement, so the join may be refused: then the bot says so in the old room (when it may
still post there) and to the person who upgraded it, and follows as soon as someone invites
it (the invitation arrives through the sync and ends in `adopt`). Spec: client-server API,
"Room Upgrades".
"""

from __future__ import annotations

import logging

from nio import JoinResponse, RoomUpgradeEvent

from bot.domain.effects import Post, RoomRef
from bot.platforms.matrix import texts
from bot.platforms.matrix.client import call
from bot.platforms.matrix.directory import PLATFORM, RoomDirectory

log = logging.getLogger(__name__)


def successor_key(room_id: str) -> str:
    return f"matrix:successor:{room_id}"


class Upgrades:
    def __init__(self, rooms: RoomDirectory) -> None:
        self.rooms = rooms

    async def on_tombstone(self, room_id: str, event: RoomUpgradeEvent) -> None:
        """Follow `room_id` to `event.replacement_room` if it is one of our bound rooms."""
        new = event.replacement_room
        async with self.rooms.uow() as uow:
            bound = await uow.rooms.lookup(PLATFORM, room_id)
            if bound is None or bound[0] not in ("forum", "activation") or not new:
                return
            await uow.kv.put(successor_key(new), f"{bound[0]}\t{bound[1]}")
            await uow.commit()
        log.info("Matrix: %s %s was upgraded to %s; following", bound[0], bound[1], new)
        joined = await call(lambda: self.rooms.client.join(new), f"join {new}")
        if isinstance(joined, JoinResponse):
            await self.adopt(new)
            return
        log.warning("Matrix: cannot join the replacement %s of %s (%s)", new, room_id, joined)
        text = texts.UPGRADE_BLOCKED.format(old=room_id, bot=self.rooms.me)
        sender = self.rooms.roster.person_by_matrix_id.get(event.sender)
        rooms = [RoomRef("platform", room_id)]
        if sender is not None:
            rooms.append(RoomRef("person", sender.key))
        async with self.rooms.uow() as uow:
            for room in rooms:
                await uow.outbox.add(Post(room=room, text=text, platform=PLATFORM))
            await uow.commit()
        self.rooms.kick_relay()

    async def adopt(self, room_id: str) -> bool:
        """If `room_id` replaces a bound room (and we are in it now): re-bind the forum or
        activation to it and say so there. True when it did."""
        async with self.rooms.uow() as uow:
            value = await uow.kv.get(successor_key(room_id))
            if not value:
                return False
            kind, key = value.split("\t", 1)
            await uow.rooms.bind(kind, key, PLATFORM, room_id)
            await uow.kv.put(successor_key(room_id), "")
            await uow.outbox.add(Post(room=RoomRef("platform", room_id), platform=PLATFORM,
                                      text=texts.UPGRADE_FOLLOWED))
            await uow.commit()
        log.info("Matrix: %s %s now lives in %s", kind, key, room_id)
        self.rooms.kick_relay()
        return True
