"""The floor of `bench/load.py`: the same clients, commands and measurement against the same
Synapse, answered by a raw matrix-nio echo account (exempt from rate limits like the bot)
that does nothing but reply — no parsing, no database, no outbox. What this cannot beat is
what the homeserver and the machine allow; the bot's figures are read against it.

Two modes: "unordered" replies to every command at once (no order at all: the homeserver's
throughput alone), "ordered" sends the replies of one room one after the other, as the bot
must (answers in a room keep the order of its commands).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

from nio import AsyncClient, RoomMessageText, RoomSendResponse, SyncResponse

from tests.matrix.crash_harness import CrashRig
from tests.matrix.harness import Person
from tests.matrix.synapse_server import SynapseServer

ROOMS = 2


class Echo:
    """Replies with a notice to every `!` message of others in its rooms."""

    def __init__(self, client: AsyncClient, ordered: bool) -> None:
        self.client = client
        self.ordered = ordered
        self._queues: dict[str, deque[str]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        resp = await self.client.sync(timeout=0, sync_filter={"room": {"timeline": {"limit": 0}}})
        assert isinstance(resp, SyncResponse), resp
        token = resp.next_batch
        while True:
            resp = await self.client.sync(timeout=30_000, since=token,
                                          sync_filter={"room": {"timeline": {"limit": 500}}})
            if not isinstance(resp, SyncResponse):
                await asyncio.sleep(0.2)
                continue
            token = resp.next_batch
            for room_id, info in resp.rooms.join.items():
                for event in info.timeline.events:
                    if (isinstance(event, RoomMessageText) and event.sender != self.client.user_id
                            and event.body.startswith("!")):
                        self._answer(room_id, event.event_id)

    def _answer(self, room_id: str, event_id: str) -> None:
        if not self.ordered:
            self._spawn(self._reply(room_id, event_id))
            return
        queue = self._queues.setdefault(room_id, deque())
        queue.append(event_id)
        if len(queue) == 1:
            self._spawn(self._drain(room_id, queue))

    def _spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, room_id: str, queue: deque[str]) -> None:
        while queue:
            await self._reply(room_id, queue[0])
            queue.popleft()

    async def _reply(self, room_id: str, event_id: str) -> None:
        """One reply, tried again (same transaction id) until the homeserver takes it."""
        content = {"msgtype": "m.notice", "body": "ok",
                   "m.relates_to": {"m.in_reply_to": {"event_id": event_id}}}
        for _ in range(10):
            resp = await self.client.room_send(room_id, "m.room.message", content,
                                               tx_id=f"echo-{event_id}")
            if isinstance(resp, RoomSendResponse):
                return
            await asyncio.sleep(0.5)


async def floor_load(server: SynapseServer, rig: CrashRig, clients: int, total: int,
                     ordered: bool) -> list[str]:
    """`clients` roster people in ROOMS rooms made by Länsstyrelsen's TiB, answered by Echo."""
    from bench.load import Answers, _measure

    user = server.register(f"echo-{int(time.time() * 1000) % 10**9}")
    server.override_ratelimit(user.user_id, 0, 0)
    echo = Person(server, user)
    keys = sorted({rig.holder_key(str(r)) for f in ("samordnande", "verkstallande")
                   for r in rig.roster.forum(f).call_refs})[:clients]
    await asyncio.to_thread(server.register_many, [
        m[1:].split(":")[0] for k in keys if (m := rig.roster.person(k).matrix_id)])
    tib = rig.person(rig.holder_key("tib@lansstyrelsen"))
    people = [rig.person(k) for k in keys]
    rooms = [await tib.create_room(name=f"golv {n}") for n in range(ROOMS)]
    senders: list[tuple[Person, str]] = []
    for n, person in enumerate(people):
        room = rooms[n % ROOMS]
        if person is not tib:
            await tib.invite(room, person.mxid)
            await person.join(room)
        senders.append((person, room))
    for room in rooms:
        await tib.invite(room, echo.mxid)
        await echo.join(room)
    answering = asyncio.create_task(Echo(echo.client, ordered).run())
    try:
        return await _measure(Answers(tib.client), senders, total)
    finally:
        answering.cancel()
        await echo.client.close()
