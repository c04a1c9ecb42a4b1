"""Performs recorded effects on every platform after commit, in order, recoverable — a crash
leaves the item pending and the next drain (or start) does it again.

Each platform call runs inside `delivering(Delivery(key, repeat))`: the key is stable for the
item across retries and restarts, so the platforms make a repeat harmless (Matrix: the
transaction id of the send; Slack: the key in the message's metadata, checked in the
channel's history before a repeat). See the README, "Exactly once".
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from bot.domain.effects import (
    CloseWarRoom,
    Delivery,
    Effect,
    InvitePeople,
    OpenWarRoom,
    Post,
    SetModerators,
    SetTopic,
    delivering,
)
from bot.domain.ports import ChatPlatform, OutboxItem, UnitOfWorkFactory
from bot.faults import fault_point

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
NONCE_KEY = "outbox:nonce"  # kv: this database's part of every idempotency key


def _method(platform: ChatPlatform, effect: Effect) -> Callable[[Any], Awaitable[None]]:
    match effect:
        case OpenWarRoom():
            return platform.open_war_room
        case InvitePeople():
            return platform.invite
        case Post():
            return platform.post
        case SetModerators():
            return platform.set_moderators
        case SetTopic():
            return platform.set_topic
        case CloseWarRoom():
            return platform.close_war_room
    raise TypeError(f"unknown effect {effect!r}")


class OutboxRelay:
    def __init__(self, uow: UnitOfWorkFactory, platforms: list[ChatPlatform] | None = None) -> None:
        self.uow = uow
        self.platforms: list[ChatPlatform] = platforms if platforms is not None else []
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._lock = asyncio.Lock()
        # Only the leader drains: the outbox has no claim per item, so two draining replicas
        # could perform one effect twice. A follower's commands are performed by the leader's
        # periodic drain.
        self._active = True
        self._nonce: str | None = None
        # Items pending when this relay started (or became the leader) may have reached a
        # platform before a crash; None: take that snapshot at the next drain.
        self._suspect: set[int] | None = None
        self._tried: set[int] = set()

    @property
    def active(self) -> bool:
        """Whether this relay drains (the leader's does)."""
        return self._active

    @active.setter
    def active(self, value: bool) -> None:
        if value and not self._active:
            self._suspect = None  # a new leader: another process may have begun items
        self._active = value

    async def prepare(self) -> None:
        """At start, before any command: note the items left pending by an earlier process
        (each is performed with `repeat` set) and this database's key nonce."""
        await self._database_nonce()
        await self._snapshot()

    async def _snapshot(self) -> None:
        async with self.uow() as uow:
            self._suspect = {item.id for item in await uow.outbox.pending(1_000_000)}

    def kick(self) -> None:
        """Drain soon, in the background; one drain at a time, re-run if kicked meanwhile."""
        if not self.active:
            return
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            self._again = False
            try:
                await self.drain()
            except Exception:
                log.exception("outbox drain failed; the items stay pending")
            if not self._again:
                return

    async def poll(self, every: float = 1.0) -> None:
        """Drain now and then while active (effects recorded by other replicas, retries of
        failed ones); runs until cancelled."""
        while True:
            if self.active:
                self.kick()
            await asyncio.sleep(every)

    async def wait_idle(self, limit: float = 30.0) -> None:
        """Wait for the background drain (tests, console) — bounded."""
        async with asyncio.timeout(limit):
            while self._task is not None and not self._task.done():
                await asyncio.shield(self._task)

    async def drain(self) -> int:
        """Perform every pending effect; returns how many items were finished.

        What a round did is recorded in one transaction after its calls. A crash in between
        makes the platforms see those effects again, with the same keys and `repeat` set:
        rooms and invitations are idempotent per platform, and posts carry the item's key.
        """
        async with self._lock:
            finished = 0
            nonce = await self._database_nonce()
            if self._suspect is None:
                await self._snapshot()
            while True:
                done = await self._round(nonce)
                if done is None:
                    return finished
                finished += done
                if not done:
                    return finished

    async def _round(self, nonce: str) -> int | None:
        """One batch: perform, then settle in one transaction. None when nothing is pending;
        else how many items were finished."""
        async with self.uow() as uow:
            items = await uow.outbox.pending(100)
        if not items:
            return None
        outcomes = [await self._deliver(item, nonce) for item in items]
        async with self.uow() as uow:
            for item, (done, error, finish) in zip(items, outcomes, strict=True):
                await uow.outbox.settle(item.id, done, finished=finish, error=error)
            await uow.commit()
        fault_point("outbox.settled")
        ended = {item.id for item, (_, _, finish) in zip(items, outcomes, strict=True) if finish}
        self._tried -= ended
        if self._suspect:
            self._suspect -= ended
        return sum(1 for _, _, finish in outcomes if finish)

    async def _database_nonce(self) -> str:
        """A random word kept in the database, so keys of two databases (a test suite against
        one homeserver, a restored backup) never meet."""
        if self._nonce is None:
            async with self.uow() as uow:
                nonce = await uow.kv.get(NONCE_KEY)
                if nonce is None:
                    nonce = uuid.uuid4().hex[:10]
                    await uow.kv.add_once(NONCE_KEY, nonce)
                    await uow.commit()
            async with self.uow() as uow:
                self._nonce = await uow.kv.get(NONCE_KEY) or nonce
        return self._nonce

    async def _deliver(self, item: OutboxItem, nonce: str) -> tuple[list[str], str | None, bool]:
        """Calls every platform that has not yet performed the item: (done, error, finished).
        An item is finished when done everywhere, or after MAX_ATTEMPTS failed rounds."""
        failed: str | None = None
        done: list[str] = []
        repeat = item.attempts > 0 or item.id in self._tried or item.id in (self._suspect or ())
        self._tried.add(item.id)
        for platform in self.platforms:
            if platform.name in item.done:
                continue
            try:
                fault_point(f"outbox.call.{item.effect.type}")
                with delivering(Delivery(f"{nonce}.{item.id}", repeat=repeat)):
                    await _method(platform, item.effect)(item.effect)
                fault_point(f"outbox.called.{item.effect.type}")
            except Exception as exc:
                log.exception("%s could not perform %s", platform.name, type(item.effect).__name__)
                failed = f"{platform.name}: {exc}"
                continue
            done.append(platform.name)
        finish = failed is None or item.attempts + 1 >= MAX_ATTEMPTS
        if failed is not None and finish:
            log.error("giving up outbox item %s after %s attempts: %s", item.id,
                      item.attempts + 1, failed)
        return done, failed, finish
