"""Which Matrix room is which neutral room, and sending into it.

Activation war rooms are bound by `open_war_room`; a forum's standing room comes from the
roster (`forum.standing_room.matrix`, an alias or a room id) and is bound on first use; a
person's DM room is created once and bound as ("person", key).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from nio import (
    AsyncClient,
    JoinResponse,
    RoomCreateResponse,
    RoomMessagesResponse,
    RoomPreset,
    RoomResolveAliasResponse,
    RoomSendResponse,
)

from bot.domain.effects import RoomRef, current_delivery
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.roster import Roster
from bot.faults import fault_point
from bot.platforms.common import bind_room, bound_room
from bot.platforms.matrix.client import MatrixError, checked

log = logging.getLogger(__name__)
PLATFORM = "matrix"
_MISCONFIGURED = {"M_NOT_FOUND", "M_FORBIDDEN"}
OUTBOX_FIELD = "se.samverkan.outbox"  # the outbox message key, in the event's content
HISTORY_CHECK = 100  # events looked back through before a repeat


class RoomDirectory:
    def __init__(self, client: AsyncClient, roster: Roster, uow: UnitOfWorkFactory) -> None:
        self.client = client
        self.roster = roster
        self.uow = uow
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    @property
    def me(self) -> str:
        return str(self.client.user_id)

    @property
    def server(self) -> str:
        return self.me.split(":", 1)[1]

    # -- bindings --------------------------------------------------------------------------
    async def bound(self, kind: str, key: str) -> str | None:
        return await bound_room(self.uow, kind, key, PLATFORM)

    async def bind(self, kind: str, key: str, room_id: str) -> None:
        await bind_room(self.uow, kind, key, PLATFORM, room_id)

    def mxids(self, person_keys: list[str]) -> list[tuple[str, str]]:
        """(person key, mxid) of those reachable on Matrix, without the bot itself; people
        without a Matrix id are reached on another platform, which is not an error here."""
        out: list[tuple[str, str]] = []
        for key in dict.fromkeys(person_keys):
            person = self.roster.people_by_key.get(key)
            if person is None or not person.matrix_id:
                log.debug("Matrix: %s has no Matrix id; not invited here", key)
            elif person.matrix_id != self.me:
                out.append((key, person.matrix_id))
        return out

    # -- resolving neutral rooms -------------------------------------------------------------
    async def room_for(self, ref: RoomRef) -> str | None:
        """The Matrix room of `ref`; None when that room does not exist on Matrix."""
        if ref.kind == "activation":
            room_id = await self.bound("activation", ref.key)
            if room_id is None:
                raise MatrixError("post", "M_NOT_FOUND", f"no war room bound for #{ref.key}")
            return room_id
        lock = self._locks.setdefault((ref.kind, ref.key), asyncio.Lock())
        async with lock:  # one DM / one standing-room lookup even under concurrent posts
            room_id = await self.bound(ref.kind, ref.key)
            if room_id is not None:
                return room_id
            if ref.kind == "forum":
                room_id = await self._standing_room(ref.key)
            else:
                room_id = await self._direct_room(ref.key)
            if room_id is not None:
                await self.bind(ref.kind, ref.key, room_id)
            return room_id

    async def _standing_room(self, forum_key: str) -> str | None:
        forum = self.roster.forums_by_key.get(forum_key)
        address = forum.standing_room.matrix if forum else None
        if not address:
            return None
        try:
            room_id = address
            if address.startswith("#"):
                resolved = await checked(lambda: self.client.room_resolve_alias(address),
                                         f"resolve {address}", RoomResolveAliasResponse)
                room_id = resolved.room_id
            await checked(lambda: self.client.join(room_id), f"join {address}", JoinResponse)
        except MatrixError as exc:
            if exc.code not in _MISCONFIGURED:
                raise
            # Retrying cannot fix a missing room or a missing invitation: say so and go on.
            log.warning("Matrix: standing room %s of forum %s is not usable (%s); invite the "
                        "bot or fix forum.standing_room.matrix in the roster", address,
                        forum_key, exc)
            return None
        return str(room_id)

    async def _direct_room(self, person_key: str) -> str | None:
        reachable = self.mxids([person_key])
        if not reachable:
            return None
        _, mxid = reachable[0]
        person = self.roster.person(person_key)
        resp = await checked(
            lambda: self.client.room_create(name=f"Samverkansboten – {person.name}", is_direct=True,
                                    preset=RoomPreset.trusted_private_chat, invite=[mxid]),
            f"DM {mxid}", RoomCreateResponse)
        return str(resp.room_id)

    async def standing_forum_of(self, room_id: str, aliases: list[str]) -> str | None:
        """The forum whose roster standing room is `room_id` or one of its aliases."""
        for forum in self.roster.forums:
            address = forum.standing_room.matrix
            if address and (address == room_id or address in aliases):
                return forum.key
        return None

    # -- sending ---------------------------------------------------------------------------
    async def send(self, room_id: str, content: dict[str, Any]) -> str:
        """Sends an m.room.message; returns its event id. Inside the outbox relay the send is
        idempotent: the transaction id of `PUT /rooms/{room}/send/{type}/{txnId}` is the
        outbox item's message key (the homeserver answers a repeated txn id with the first
        event, spec "Transaction identifiers"), the key also goes into the content, and before
        a repeat the room's last HISTORY_CHECK events are searched for it (the homeserver
        keeps transactions only for a while — Synapse about 30 minutes)."""
        tx_id: str | None = None
        delivery = current_delivery()
        if delivery is not None:
            tx_id = delivery.message_key(json.dumps(content, sort_keys=True, ensure_ascii=False))
            content = {**content, OUTBOX_FIELD: tx_id}
            if delivery.repeat and (found := await self._sent_before(room_id, tx_id)):
                return found
        resp = await checked(
            lambda: self.client.room_send(room_id, "m.room.message", content, tx_id=tx_id),
            f"send to {room_id}", RoomSendResponse)
        fault_point("matrix.sent")
        return str(resp.event_id)

    async def _sent_before(self, room_id: str, key: str) -> str | None:
        """The event id of our message carrying `key` among the room's recent events."""
        only_ours = {"types": ["m.room.message"], "senders": [self.client.user_id]}
        resp = await checked(lambda: self.client.room_messages(
            room_id, limit=HISTORY_CHECK, message_filter=only_ours),
            f"history of {room_id}", RoomMessagesResponse)
        for event in resp.chunk:
            if event.source.get("content", {}).get(OUTBOX_FIELD) == key:
                log.info("Matrix: %s is already in %s; not sent again", key, room_id)
                return str(event.event_id)
        return None
