"""The bot on a real Synapse, and roster people driving it with their own nio clients.

Assertions read Synapse through the people's clients (room state, messages) and the
database through the UoW — never the bot's own view.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinedMembersResponse,
    JoinResponse,
    MessageDirection,
    RoomCreateResponse,
    RoomGetStateResponse,
    RoomInviteResponse,
    RoomMessagesResponse,
    RoomPreset,
    RoomResolveAliasResponse,
    RoomSendResponse,
)

from bot.bootstrap import App, build_app, matrix_platform
from bot.clock import ManualClock
from bot.domain.effects import InvitePeople
from bot.domain.roster import FunctionRef, Roster
from bot.platforms.matrix import MatrixPlatform
from bot.settings import MatrixSettings, Settings
from tests.conftest import sqlite_url
from tests.matrix.synapse_server import MatrixUser, SynapseServer

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 21, 13, 0, tzinfo=STOCKHOLM)
WAIT_S = 60.0  # a bound for a failing test; 20 s was too short with tests side by side


class Person:
    """One Matrix user (a roster person or a stranger) with a real client."""

    def __init__(self, server: SynapseServer, user: MatrixUser, wait_s: float = WAIT_S) -> None:
        self.user = user
        self.wait_s = wait_s
        self.client = AsyncClient(server.base_url, user.user_id,
                                  config=AsyncClientConfig(max_limit_exceeded=0, max_timeouts=2,
                                                           request_timeout=15))
        self.client.restore_login(user.user_id, user.device_id, user.access_token)

    @property
    def mxid(self) -> str:
        return self.user.user_id

    async def create_room(self, **kwargs: Any) -> str:
        resp = await self.client.room_create(**kwargs)
        assert isinstance(resp, RoomCreateResponse), resp
        return str(resp.room_id)

    async def invite(self, room_id: str, mxid: str) -> None:
        resp = await self.client.room_invite(room_id, mxid)
        assert isinstance(resp, RoomInviteResponse) or "already" in str(resp), resp

    async def join(self, room_id: str) -> None:
        """Join; on a throttled server (patient wait) the invitation may still be on its
        way, so a refused join is tried again until it comes (bounded)."""
        async with asyncio.timeout(self.wait_s):
            while True:
                resp = await self.client.join(room_id)
                if isinstance(resp, JoinResponse) or self.wait_s <= WAIT_S:  # not patient
                    break
                await asyncio.sleep(0.5)
        assert isinstance(resp, JoinResponse), resp

    async def send(self, room_id: str, text: str) -> str:
        resp = await self.client.room_send(room_id, "m.room.message",
                                           {"msgtype": "m.text", "body": text})
        assert isinstance(resp, RoomSendResponse), resp
        return str(resp.event_id)

    async def messages(self, room_id: str, limit: int = 100) -> list[dict[str, Any]]:
        """The room's latest message events (raw), oldest first."""
        resp = await self.client.room_messages(room_id, direction=MessageDirection.back,
                                               limit=limit)
        assert isinstance(resp, RoomMessagesResponse), resp
        return [e.source for e in reversed(resp.chunk)
                if e.source.get("type") == "m.room.message"]

    async def reply_to(self, room_id: str, event_id: str) -> dict[str, Any]:
        """The content of the bot's notice answering `event_id` (polled, bounded)."""
        async with asyncio.timeout(self.wait_s):
            while True:
                for event in await self.messages(room_id, 60):
                    relates = event["content"].get("m.relates_to", {})
                    if relates.get("m.in_reply_to", {}).get("event_id") == event_id:
                        content: dict[str, Any] = event["content"]
                        return content
                await asyncio.sleep(0.05)

    async def say(self, room_id: str, text: str) -> dict[str, Any]:
        return await self.reply_to(room_id, await self.send(room_id, text))

    async def state(self, room_id: str) -> list[dict[str, Any]]:
        resp = await self.client.room_get_state(room_id)
        assert isinstance(resp, RoomGetStateResponse), resp
        return list(resp.events)

    async def members(self, room_id: str, membership: str) -> set[str]:
        return {e["state_key"] for e in await self.state(room_id)
                if e["type"] == "m.room.member" and e["content"].get("membership") == membership}

    async def wait_joined(self, room_id: str, mxid: str) -> None:
        async with asyncio.timeout(self.wait_s):
            while True:
                resp = await self.client.joined_members(room_id)
                if isinstance(resp, JoinedMembersResponse) and any(
                        m.user_id == mxid for m in resp.members):
                    return
                await asyncio.sleep(0.05)


class MatrixHarness:
    """A fresh database and a fresh bot user per test, on the session's Synapse."""

    def __init__(self, server: SynapseServer, tmp: Path, roster: Roster | None = None, *,
                 patient: bool = False) -> None:
        """`patient`: for a server with its default rate limits — people wait minutes for
        answers and `settle` waits for deferred work too."""
        self.patient = patient
        self._poller: asyncio.Task[None] | None = None
        self.wait_s = 240.0 if patient else WAIT_S
        self.server = server
        self.db_url = sqlite_url(tmp)
        self.roster = roster
        self.bot_user = server.register(f"bot-{uuid.uuid4().hex[:8]}")
        self.people: dict[str, Person] = {}
        self.app: App
        self.bot: MatrixPlatform | None = None

    async def start(self) -> None:
        settings = Settings(database_url=self.db_url, matrix=MatrixSettings(
            homeserver=self.server.base_url, user_id=self.bot_user.user_id,
            access_token=self.bot_user.access_token, device_id=self.bot_user.device_id))
        self.app = await build_app(settings, clock=ManualClock(START), roster=self.roster)
        if self.patient:  # as the runner does: a drain every second besides the kicks
            self._poller = asyncio.create_task(self.app.relay.poll(1.0))
        await self.start_bot()

    async def start_bot(self) -> MatrixPlatform:
        bot = matrix_platform(self.app, poll_timeout_ms=5_000)
        self.app.add_platform(bot)
        await bot.start()
        await bot.wait_synced(after=0)
        self.bot = bot
        return bot

    async def restart(self) -> None:
        """A process restart: the bot and its App stop, a new App and bot start on the same
        database and account (nothing in memory survives). The relay stops first, as it
        would with the process: it never runs without its platforms."""
        self.app.relay.active = False
        self.app.relay.stop_waking()
        await self._stop_poller()
        await self.app.relay.wait_idle(self.wait_s)
        await self.stop_bot()
        await self.app.close()
        await self.start()
        self.app.relay.kick()  # as the runner's poll does at start: pending work resumes

    async def stop_bot(self) -> None:
        if self.bot is not None:
            await self.bot.stop()
            self.app.platforms.remove(self.bot)
            self.bot = None

    async def _stop_poller(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
            self._poller = None

    async def close(self) -> None:
        await self._stop_poller()
        await self.stop_bot()
        await asyncio.gather(*(p.client.close() for p in self.people.values()))
        await self.app.close()

    # -- people ------------------------------------------------------------------------------
    def holder(self, ref: str) -> str:
        return self.app.roster.holder(FunctionRef.parse(ref), self.app.clock.now())

    def mxid(self, key: str) -> str:
        matrix_id = self.app.roster.person(key).matrix_id
        assert matrix_id is not None
        return matrix_id

    async def person(self, who: str) -> Person:
        """A roster person by key or by function ref (its current holder)."""
        key = self.holder(who) if "@" in who else who
        if key not in self.people:
            localpart = self.mxid(key)[1:].split(":", 1)[0]
            user = await asyncio.to_thread(self.server.register, localpart)
            self.people[key] = Person(self.server, user, self.wait_s)
        return self.people[key]

    async def stranger(self, localpart: str) -> Person:
        user = await asyncio.to_thread(self.server.register, localpart)
        self.people.setdefault(f"stranger:{localpart}", Person(self.server, user))
        return self.people[f"stranger:{localpart}"]

    async def register_all(self, keys: list[str]) -> None:
        localparts = [self.mxid(k)[1:].split(":", 1)[0] for k in keys]
        await asyncio.to_thread(self.server.register_many, localparts)

    # -- rooms -------------------------------------------------------------------------------
    async def standing_room(self, forum: str, owner: str = "tib@lansstyrelsen") -> str:
        """The forum's standing room from the roster alias (made once per Synapse), with
        this test's bot invited by a roster person and joined."""
        alias = self.app.roster.forum(forum).standing_room.matrix
        assert alias is not None
        tib = await self.person(owner)
        resolved = await tib.client.room_resolve_alias(alias)
        if isinstance(resolved, RoomResolveAliasResponse):
            room_id = str(resolved.room_id)
        else:
            room_id = await tib.create_room(alias=alias[1:].split(":", 1)[0], name=forum,
                                            preset=RoomPreset.private_chat)
        await tib.invite(room_id, self.bot_user.user_id)
        await tib.wait_joined(room_id, self.bot_user.user_id)
        return room_id

    async def war_room(self, activation_id: str) -> str:
        async with self.app.uow() as uow:
            room_id = await uow.rooms.room("activation", activation_id, "matrix")
        assert room_id is not None, f"no Matrix room bound for #{activation_id}"
        return room_id

    async def settle(self) -> None:
        """Wait until every recorded effect but the invitations has been performed, deferred
        ones included: a post deferred by a 429, or by a request that timed out on a busy
        machine, is waited for until it is done (bounded by `wait_s`)."""
        await self.settle_all(limit_s=self.wait_s, invitations=False)

    async def settle_all(self, limit_s: float = 60.0, *, invitations: bool = True) -> None:
        """Wait until the outbox holds no unfinished item, deferred ones included (they run
        when the server's retry_after has passed); without `invitations`, invitations may
        still be under way (people's joins wait for them). Bounded."""
        async with asyncio.timeout(limit_s):
            while True:
                await self.app.relay.wait_idle(limit_s)
                await self.app.relay.drain()
                async with self.app.uow() as uow:
                    left = [i for i in await uow.outbox.pending()
                            if invitations or not isinstance(i.effect, InvitePeople)]
                if not left:
                    return
                await asyncio.sleep(min(0.2, self.app.relay.next_due_s() or 0.2))
