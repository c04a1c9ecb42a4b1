"""Performs recorded effects on every platform after commit, in order per room, and
recoverable — a crash leaves the item pending and the next drain (or start) does it again.

Each platform call runs inside `delivering(Delivery(key, repeat))`: the key is stable for the
item across retries, deferrals and restarts, so the platforms make a repeat harmless (Matrix:
the transaction id of the send; Slack: the key in the message's metadata, checked in the
channel's history before a repeat). See the README, "Exactly once".

A rate limit delays work, it never drops it: a platform that raises `RetryLater` gets the
item again after the wait the server asked for, without an attempt counted, while items of
other rooms go on. Order is kept per lane (`bot.domain.effects.lanes`): an item waits while
an earlier item of its lane is unfinished. `Undeliverable` ends an item at once, and the
person whose command caused it is told (a Post to them on that platform).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.domain.bridge import BridgeMessage
from bot.domain.delivery import RetryLater, Undeliverable
from bot.domain.effects import (
    CloseWarRoom,
    Delivery,
    Effect,
    InvitePeople,
    OpenWarRoom,
    Post,
    RoomRef,
    SetModerators,
    SetTopic,
    delivering,
    lanes,
    only_for,
)
from bot.domain.ports import ChatPlatform, OutboxItem, UnitOfWorkFactory
from bot.faults import fault_point
from bot.texts import t

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # failed rounds (errors that are neither a rate limit nor permanent)
MAX_BACKOFF_S = 30.0
BATCH = 500  # unfinished items read per round (deferred ones included: they hold lanes)
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
        case BridgeMessage():  # bot.domain.bridge: each platform skips its own messages
            return platform.bridge
    raise TypeError(f"unknown effect {effect!r}")


@dataclass
class _Outcome:
    done: list[str] = field(default_factory=list)
    error: str | None = None
    finished: bool = False
    wait_s: float | None = None  # a platform asked to be tried again after this long
    notices: list[Post] = field(default_factory=list)  # reports of undeliverable posts


class OutboxRelay:
    def __init__(self, uow: UnitOfWorkFactory, platforms: list[ChatPlatform] | None = None) -> None:
        self.uow = uow
        self.platforms: list[ChatPlatform] = platforms if platforms is not None else []
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._lock = asyncio.Lock()
        self._not_before: dict[int, float] = {}  # item id → time.monotonic() it may run
        self._wake: asyncio.TimerHandle | None = None
        # Only the leader drains: the outbox has no claim per item, so two draining replicas
        # could perform one effect twice. A follower's commands are performed by the leader's
        # periodic drain.
        self._active = True
        self._nonce: str | None = None
        # Items pending when this relay started (or became the leader) may have reached a
        # platform before a crash; None: take that snapshot at the next drain. `_tried`: items
        # this process has called a platform for (a deferral included) and not yet finished.
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

    def stop_waking(self) -> None:
        """Forget the timer that would drain deferred items (at shutdown); they stay pending
        in the database and run after the next start."""
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None

    def next_due_s(self) -> float | None:
        """Seconds until the earliest deferred item may run (None: nothing deferred)."""
        if not self._not_before:
            return None
        return max(0.0, min(self._not_before.values()) - time.monotonic())

    async def drain(self) -> int:
        """Perform every pending effect that may run now; returns how many items finished.

        What a round did is recorded in one transaction after its calls. A crash in between
        makes the platforms see those effects again, with the same keys and `repeat` set:
        rooms and invitations are idempotent per platform, and posts carry the item's key.
        Deferred items wake the relay when they are due.
        """
        async with self._lock:
            finished = 0
            nonce = await self._database_nonce()
            if self._suspect is None:
                await self._snapshot()
            while True:
                async with self.uow() as uow:
                    items = await uow.outbox.pending(BATCH)
                outcomes = await self._round(items, nonce)
                if outcomes:
                    await self._settle(outcomes)
                done_now = sum(1 for _, o in outcomes if o.finished)
                finished += done_now
                if not done_now:
                    self._schedule_wake()
                    return finished

    async def _round(self, items: list[OutboxItem],
                     nonce: str) -> list[tuple[OutboxItem, _Outcome]]:
        """One pass over the unfinished items: lanes run side by side, each in order; an
        item runs after the earlier items of the lanes it waits for, and not at all (this
        round) when one of them is unfinished or it is not due yet."""
        live = {item.id for item in items}
        self._not_before = {k: v for k, v in self._not_before.items() if k in live}
        last: dict[str, asyncio.Task[_Outcome | None]] = {}
        runs: list[tuple[OutboxItem, asyncio.Task[_Outcome | None]]] = []
        for item in items:
            keys, waits = lanes(item.effect)
            before = list({id(t): t for k in waits if (t := last.get(k)) is not None}.values())
            task = asyncio.create_task(self._after(before, item, nonce))
            for key in keys:
                last[key] = task
            runs.append((item, task))
        results = await asyncio.gather(*(task for _, task in runs))
        return [(item, o) for (item, _), o in zip(runs, results, strict=True) if o is not None]

    async def _after(self, before: list[asyncio.Task[_Outcome | None]],
                     item: OutboxItem, nonce: str) -> _Outcome | None:
        """Deliver `item` once `before` are finished; None when it may not run now."""
        for earlier in before:
            done = await asyncio.shield(earlier)
            if done is None or not done.finished:
                return None
        if self._not_before.get(item.id, 0.0) > time.monotonic():
            return None
        outcome = await self._deliver(item, nonce)
        if outcome.finished:
            self._not_before.pop(item.id, None)
        else:
            backoff = min(2.0 ** item.attempts, MAX_BACKOFF_S)
            wait = outcome.wait_s if outcome.error is None else backoff
            self._not_before[item.id] = time.monotonic() + (wait or 0.0)
        return outcome

    async def _settle(self, outcomes: list[tuple[OutboxItem, _Outcome]]) -> None:
        """Record a round in one transaction; then forget the finished items' repeat marks."""
        changed = [(item, o) for item, o in outcomes
                   if o.done or o.finished or o.error is not None or o.notices]
        if not changed:
            return  # only deferrals: nothing to record (the items stay in `_tried`)
        async with self.uow() as uow:
            for item, o in changed:
                await uow.outbox.settle(item.id, o.done, finished=o.finished, error=o.error)
            notices = [n for _, o in outcomes for n in o.notices]
            if notices:
                await uow.outbox.add_many(list(notices))
            await uow.commit()
        fault_point("outbox.settled")
        ended = {item.id for item, o in changed if o.finished}
        self._tried -= ended
        if self._suspect:
            self._suspect -= ended

    def _schedule_wake(self) -> None:
        """Kick again when the earliest deferred item is due (precise pacing: a server's
        `retry_after` is honoured to the millisecond, not to the next poll)."""
        due = self.next_due_s()
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        if due is not None and self.active:
            self._wake = asyncio.get_running_loop().call_later(due, self.kick)

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

    async def _deliver(self, item: OutboxItem, nonce: str) -> _Outcome:
        """Calls every platform that has not yet performed the item, each inside
        `delivering(Delivery("<nonce>.<id>", repeat))`. It is finished when done everywhere
        (a permanent refusal counts as done), or after MAX_ATTEMPTS failed rounds; a rate
        limit keeps it pending without counting an attempt (but a later call is a repeat:
        the platform may have done part of the effect before it was refused)."""
        out = _Outcome()
        target = only_for(item.effect)
        repeat = item.attempts > 0 or item.id in self._tried or item.id in (self._suspect or ())
        self._tried.add(item.id)
        for platform in self.platforms:
            if platform.name in item.done:
                continue
            if target is not None and target != platform.name:
                out.done.append(platform.name)
                continue
            try:
                fault_point(f"outbox.call.{item.effect.type}")
                with delivering(Delivery(f"{nonce}.{item.id}", repeat=repeat)):
                    await _method(platform, item.effect)(item.effect)
                fault_point(f"outbox.called.{item.effect.type}")
            except RetryLater as exc:
                log.info("%s: %s deferred %.1f s (%s)", platform.name,
                         type(item.effect).__name__, exc.after_s, exc.reason)
                out.wait_s = max(out.wait_s or 0.0, exc.after_s)
                continue
            except Undeliverable as exc:
                log.warning("%s can never perform outbox item %s: %s", platform.name, item.id,
                            exc)
                out.notices += _undeliverable_notice(item.effect, platform.name, exc)
            except Exception as exc:
                log.exception("%s could not perform %s", platform.name,
                              type(item.effect).__name__)
                out.error = f"{platform.name}: {exc}"
                continue
            out.done.append(platform.name)
        failed_for_good = out.error is not None and item.attempts + 1 >= MAX_ATTEMPTS
        out.finished = (out.error is None and out.wait_s is None) or failed_for_good
        if failed_for_good:
            log.error("giving up outbox item %s after %s attempts: %s", item.id,
                      item.attempts + 1, out.error)
        return out


def _undeliverable_notice(effect: Effect, platform: str, exc: Undeliverable) -> list[Post]:
    """A Post telling the person whose command caused `effect` that it could not be
    delivered; none for effects without a person, or for such a notice itself."""
    if not isinstance(effect, Post) or effect.by is None:
        return []
    if effect.room == RoomRef("person", effect.by):
        return []  # the notice to that person is what failed: nothing further to try
    excerpt = " ".join(effect.text.split())[:140]
    text = t("sv", "delivery.undeliverable", room=_room_label(effect.room), reason=exc.reason,
             excerpt=excerpt)
    return [Post(room=RoomRef("person", effect.by), text=text, platform=platform)]


def _room_label(room: RoomRef) -> str:
    kind = room.kind if room.kind in ("activation", "forum") else "other"
    return t("sv", f"delivery.room.{kind}", key=room.key)
