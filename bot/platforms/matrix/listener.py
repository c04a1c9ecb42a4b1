"""The sync loop: invitations and commands in, replies out; the sync token in the database.

No replays, nothing lost: the `next_batch` token is stored (uow.kv) only after every command
of that sync has been handled, so a crash re-delivers the batch and the core's de-duplication
by event id (origin.delivery_id) keeps each command to one execution. The very first start
syncs with timeline limit 0, so history is never executed. A gappy (`limited`) timeline after
downtime is back-filled with /messages down to the stored token.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable
from functools import partial
from typing import Any, Protocol

from nio import (
    ErrorResponse,
    InviteInfo,
    InviteMemberEvent,
    JoinResponse,
    MessageDirection,
    RoomEncryptionEvent,
    RoomGetStateEventResponse,
    RoomInfo,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    RoomUpgradeEvent,
    SyncResponse,
)

from bot.domain.effects import Post, RoomRef
from bot.handlers.types import Origin, Reply
from bot.platforms.matrix import texts
from bot.platforms.matrix.client import call, checked, leave_with_reason
from bot.platforms.matrix.commands import command_text, is_edit, strip_reply_fallback
from bot.platforms.matrix.directory import PLATFORM
from bot.platforms.matrix.render import notice
from bot.platforms.matrix.upgrades import Upgrades
from bot.platforms.matrix.warrooms import WarRooms

log = logging.getLogger(__name__)

FIRST_SYNC_FILTER: dict[str, Any] = {"room": {"timeline": {"limit": 0}}}
SYNC_FILTER: dict[str, Any] = {"room": {"timeline": {"limit": 50}},
                               "presence": {"not_types": ["*"]}}
BACKFILL_PAGES = 20  # x 100 events per room after downtime, then the rest is reported lost
COMMAND_TIMEOUT_S = 60.0
MAX_COMMAND_ATTEMPTS = 3
DUPLICATE = "delivery.duplicate"  # the core's answer to a re-delivered command


class CommandHandler(Protocol):
    async def handle(self, text: str, origin: Origin) -> Reply: ...


class BridgeListener(Protocol):
    async def on_event(self, room_id: str, event: Any) -> None:
        """Take an ordinary war-room message for relaying (`bot.platforms.matrix.bridge`)."""
        ...


def first_sync_filter() -> dict[str, Any]:
    """Timeline limit 0: history is never executed. Synapse answers an identical sync request
    from its response cache for 2 minutes, so an initial sync repeated that soon (a wiped
    database, a quick restart) would get an old `next_batch` and replay everything since;
    a unique, ignored filter field makes each first sync a new request."""
    return {**FIRST_SYNC_FILTER, "se.samverkan.first_sync": secrets.token_hex(8)}


def token_key(user_id: str) -> str:
    return f"matrix:next_batch:{user_id}"


class SyncHandler:
    """Handles one sync response; raises if a command could not be handled (the caller
    then keeps the old token, so the batch comes again)."""

    def __init__(self, rooms: WarRooms, service: CommandHandler) -> None:
        self.rooms = rooms
        self.service = service
        self.upgrades = Upgrades(rooms)
        self._attempts: dict[str, int] = {}
        self.bridge: BridgeListener | None = None  # relays war-room messages (the bridge)

    async def handle(self, resp: SyncResponse, since: str | None) -> None:
        for room_id, invite in resp.rooms.invite.items():
            await self._quietly(f"invitation to {room_id}", self._on_invite(room_id, invite))
        for room_id, info in resp.rooms.join.items():
            for event in await self._timeline(room_id, info, since):
                await self._on_event(room_id, event)

    @staticmethod
    async def _quietly(what: str, work: Awaitable[object]) -> None:
        """Run work whose failure must not hold up the sync: an invitation or a notice that
        fails would fail again on every re-delivery (and a reply cannot be re-sent: the
        re-delivered command is recognised as done). Logged, then the sync goes on."""
        try:
            await work
        except Exception:
            log.exception("Matrix: %s failed", what)

    # -- invitations ----------------------------------------------------------------------
    async def _on_invite(self, room_id: str, invite: InviteInfo) -> None:
        me = self.rooms.me
        inviter = next((e.sender for e in invite.invite_state
                        if isinstance(e, InviteMemberEvent) and e.membership == "invite"
                        and e.state_key == me), None)
        if inviter is None:
            return  # stripped state of other members, not our invitation
        if inviter not in self.rooms.roster.person_by_matrix_id:
            log.info("Matrix: declining invitation to %s from %s (not in the roster)",
                     room_id, inviter)
            await leave_with_reason(self.rooms.client, room_id, texts.DECLINE_REASON)
            return
        await checked(lambda: self.rooms.client.join(room_id), f"join {room_id}", JoinResponse)
        await self._after_join(room_id)

    async def _after_join(self, room_id: str) -> None:
        client = self.rooms.client
        alias_state = await call(
            lambda: client.room_get_state_event(room_id, "m.room.canonical_alias"), "alias")
        aliases: list[str] = []
        if isinstance(alias_state, RoomGetStateEventResponse):
            content = alias_state.content
            aliases = [a for a in [content.get("alias"), *content.get("alt_aliases", [])] if a]
        if await self.upgrades.adopt(room_id):
            pass  # the replacement of a room we were in: re-bound
        elif (forum := await self.rooms.standing_forum_of(room_id, aliases)) is not None:
            await self.rooms.bind("forum", forum, room_id)
        encryption = await call(
            lambda: client.room_get_state_event(room_id, "m.room.encryption"), "encryption")
        if isinstance(encryption, RoomGetStateEventResponse):
            await self.rooms.send(room_id, notice(texts.ENCRYPTED_ROOM, self.rooms.roster),
                                  pace=True)

    # -- timeline -------------------------------------------------------------------------
    async def _timeline(self, room_id: str, info: RoomInfo, since: str | None) -> list[Any]:
        events = list(info.timeline.events)
        if info.timeline.limited and since is not None and info.timeline.prev_batch:
            events = await self._backfill(room_id, info.timeline.prev_batch, since) + events
        # A room joined in this sync shows history from before the join: never execute it.
        for i in range(len(events) - 1, -1, -1):
            ev = events[i]
            if (isinstance(ev, RoomMemberEvent) and ev.state_key == self.rooms.me
                    and ev.membership == "join" and ev.prev_membership != "join"):
                return events[i + 1:]
        return events

    async def _backfill(self, room_id: str, start: str, since: str) -> list[Any]:
        older: list[Any] = []
        token: str | None = start
        for _ in range(BACKFILL_PAGES):
            if token is None:
                return older
            page = await checked(partial(self.rooms.client.room_messages, room_id, start=token,
                                         end=since, direction=MessageDirection.back, limit=100),
                                 "backfill", RoomMessagesResponse)
            if not page.chunk:
                return older
            older = list(reversed(page.chunk)) + older
            token = page.end
        log.error("Matrix: more than %d events in %s while down; older ones are skipped",
                  BACKFILL_PAGES * 100, room_id)
        return older

    async def _on_event(self, room_id: str, event: Any) -> None:
        if getattr(event, "sender", None) == self.rooms.me:
            return
        if isinstance(event, RoomUpgradeEvent):
            await self._quietly(f"upgrade of {room_id}",
                                self.upgrades.on_tombstone(room_id, event))
            return
        if isinstance(event, RoomEncryptionEvent):
            await self._quietly(f"notice in {room_id}", self.rooms.send(
                room_id, notice(texts.ENCRYPTED_ROOM, self.rooms.roster), pace=True))
            return
        if self.bridge is not None:
            await self.bridge.on_event(room_id, event)
        if not isinstance(event, RoomMessageText) or is_edit(event.source):
            return
        text = command_text(strip_reply_fallback(event.source))
        if text is not None:
            await self._run_command(room_id, event, text)

    async def _run_command(self, room_id: str, event: RoomMessageText, text: str) -> None:
        person = self.rooms.roster.person_by_matrix_id.get(event.sender)
        origin = Origin(platform=PLATFORM, person=person.key if person else None,
                        room=room_id, user=event.sender, delivery_id=event.event_id,
                        durable_reply=True)
        try:
            async with asyncio.timeout(COMMAND_TIMEOUT_S):
                reply = await self.service.handle(text, origin)
        except Exception:
            attempts = self._attempts.get(event.event_id, 0) + 1
            self._attempts[event.event_id] = attempts
            log.exception("Matrix: command %r from %s failed (attempt %d)", text,
                          event.sender, attempts)
            if attempts < MAX_COMMAND_ATTEMPTS:
                raise
            reply = Reply(texts.INTERNAL_ERROR, ok=False)
        self._attempts.pop(event.event_id, None)
        await self._reply(room_id, event.event_id, reply, origin.person)

    async def _reply(self, room_id: str, event_id: str, reply: Reply, person: str | None) -> None:
        """In the room, as a reply to the command, through the outbox (in order with the
        room's other posts, delivered when the server allows). A committed command's answer
        is already there (queued in its own transaction); a refusal is queued here. `private`
        replies (errors, help) also go to the room: Matrix has no ephemeral messages."""
        if is_duplicate(reply):
            log.info("Matrix: %s was handled before (re-delivered sync); no new reply", event_id)
            return
        if reply.queued:
            return
        async with self.rooms.uow() as uow:
            bound = await uow.rooms.lookup(PLATFORM, room_id)
            room = RoomRef(bound[0], bound[1]) if bound else RoomRef("platform", room_id)  # type: ignore[arg-type]
            await uow.outbox.add(Post(room=room, text=reply.text, mentions=list(reply.mentions),
                                      by=person, reply_to=event_id, platform=PLATFORM))
            await uow.commit()
        self.rooms.kick_relay()


def is_duplicate(reply: Reply) -> bool:
    return reply.code == DUPLICATE


def sync_error(resp: object) -> str | None:
    """A printable reason when a sync call did not return a SyncResponse."""
    if isinstance(resp, SyncResponse):
        return None
    if isinstance(resp, ErrorResponse):
        return f"{resp.status_code} {resp.message}"
    return f"unexpected {type(resp).__name__}"
