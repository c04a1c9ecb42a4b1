"""Performs recorded effects on every platform after commit: at least once, in order, and
recoverable — a crash leaves the item pending and the next drain (or start) does it again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.domain.effects import (
    CloseWarRoom,
    Effect,
    InvitePeople,
    OpenWarRoom,
    Post,
    SetModerators,
    SetTopic,
)
from bot.domain.ports import ChatPlatform, OutboxItem, UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


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
        self.active = True

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
        makes the platforms see those effects again, which they tolerate: rooms and
        invitations are idempotent per platform, and a post may at worst appear twice.
        """
        async with self._lock:
            finished = 0
            while True:
                async with self.uow() as uow:
                    items = await uow.outbox.pending(100)
                if not items:
                    return finished
                outcomes = [await self._deliver(item) for item in items]
                async with self.uow() as uow:
                    for item, (done, error, finish) in zip(items, outcomes, strict=True):
                        await uow.outbox.settle(item.id, done, finished=finish, error=error)
                    await uow.commit()
                finished += sum(1 for _, _, finish in outcomes if finish)
                if not any(finish for _, _, finish in outcomes):
                    return finished

    async def _deliver(self, item: OutboxItem) -> tuple[list[str], str | None, bool]:
        """Calls every platform that has not yet performed the item: (done, error, finished).
        An item is finished when done everywhere, or after MAX_ATTEMPTS failed rounds."""
        failed: str | None = None
        done: list[str] = []
        for platform in self.platforms:
            if platform.name in item.done:
                continue
            try:
                await _method(platform, item.effect)(item.effect)
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
