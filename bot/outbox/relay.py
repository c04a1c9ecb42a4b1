"""The relay: performs recorded effects on every platform after commit, in order per lane
(room), lanes side by side, recoverable — a crash leaves an item pending and the next start
does it again (as a repeat, with the same idempotency key: `bot.outbox.delivery`).

Items stream: a kick reads the unfinished items and starts each one that may run behind the
unfinished earlier items of its lanes (`bot.domain.effects.lanes`), without waiting for the
items already under way; a finished item's result is recorded together with whatever else
finished meanwhile (one transaction: under load many items share a commit). An item waits
while an earlier item of its lane is unfinished, deferred or failed. A rate limit delays an
item, it never drops it: a platform that raises `RetryLater` gets it again after the wait the
server asked for, without an attempt counted, while the other lanes go on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from bot.domain.effects import lanes
from bot.domain.ports import ChatPlatform, OutboxItem, UnitOfWorkFactory
from bot.faults import fault_point
from bot.outbox.delivery import Outcome, database_nonce, deliver

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 30.0
BATCH = 500  # unfinished items read per scan (deferred ones included: they hold lanes)

Run = asyncio.Task[Outcome | None]


class OutboxRelay:
    def __init__(self, uow: UnitOfWorkFactory, platforms: list[ChatPlatform] | None = None) -> None:
        self.uow = uow
        self.platforms: list[ChatPlatform] = platforms if platforms is not None else []
        self._not_before: dict[int, float] = {}  # item id → time.monotonic() it may run
        self._wake: asyncio.TimerHandle | None = None
        # Only the leader drains: the outbox has no claim per item, so two draining replicas
        # could perform one effect twice. A follower's commands are performed by the leader's
        # periodic drain.
        self._active = True
        self._nonce: str | None = None
        # Items pending when this relay started (or became the leader) may have reached a
        # platform before a crash; None: take that snapshot at the next scan. `_tried`: items
        # this process has called a platform for (a deferral included) and not yet finished.
        self._suspect: set[int] | None = None
        self._tried: set[int] = set()
        # Items started and not yet recorded, and the newest of them per lane.
        self._flights: dict[int, Run] = {}
        self._tails: dict[str, tuple[int, Run]] = {}
        self._settling: list[tuple[OutboxItem, Outcome]] = []
        self._settler: asyncio.Task[None] | None = None
        self._scanner: asyncio.Task[None] | None = None
        self._rescan = False
        self._scanning = False
        self._scan_lock = asyncio.Lock()
        self._full = False  # the last scan read BATCH items: more may wait behind them
        self._quiet = asyncio.Event()
        self._quiet.set()
        self.finished = 0  # items this relay has finished

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

    # -- waking ------------------------------------------------------------------------------
    def kick(self) -> None:
        """Look for new work soon, in the background (one scan at a time; kicks during a
        scan make one more)."""
        if not self.active:
            return
        self._rescan = True
        self._quiet.clear()
        if self._scanner is None or self._scanner.done():
            self._scanner = asyncio.get_running_loop().create_task(self._scan_loop())

    async def _scan_loop(self) -> None:
        self._scanning = True
        try:
            while self._rescan:
                self._rescan = False
                try:
                    await self._scan()
                except Exception:
                    log.exception("outbox scan failed; the items stay pending")
        finally:
            self._scanning = False
            self._check_quiet()

    async def poll(self, every: float = 1.0) -> None:
        """Drain now and then while active (effects recorded by other replicas, retries of
        failed ones); runs until cancelled."""
        while True:
            if self.active:
                self.kick()
            await asyncio.sleep(every)

    async def wait_idle(self, limit: float = 30.0) -> None:
        """Wait until no scan runs and every started item is recorded (tests, console) —
        bounded (TimeoutError after `limit` s)."""
        async with asyncio.timeout(limit):
            while not self._idle():
                self._quiet.clear()
                await self._quiet.wait()

    def _idle(self) -> bool:
        return not (self._scanning or self._rescan or self._flights or self._settling)

    def _check_quiet(self) -> None:
        if self._idle():
            self._quiet.set()

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

    def _schedule_wake(self) -> None:
        """Kick again when the earliest deferred item is due (precise pacing: a server's
        `retry_after` is honoured to the millisecond, not to the next poll)."""
        due = self.next_due_s()
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        if due is not None and self.active:
            self._wake = asyncio.get_running_loop().call_later(due, self.kick)

    # -- draining ------------------------------------------------------------------------------
    async def drain(self) -> int:
        """Perform every pending effect that may run now and wait until each is recorded;
        returns how many items finished meanwhile.

        What items did is recorded after their calls. A crash in between makes the platforms
        see those effects again, with the same keys and `repeat` set: rooms and invitations
        are idempotent per platform, and posts carry the item's key. Deferred items wake the
        relay when they are due.
        """
        start = self.finished
        while True:
            before = self.finished
            await self._scan()
            while self._flights:
                waiting: list[asyncio.Future[Any]] = [*self._flights.values()]
                if self._settler is not None and not self._settler.done():
                    waiting.append(self._settler)
                done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                for task in done:  # what ends a process (not an Exception) ends the drain
                    if not task.cancelled() and (exc := task.exception()) is not None \
                            and not isinstance(exc, Exception):
                        raise exc
            if self.finished == before:
                self._schedule_wake()
                return self.finished - start

    async def _scan(self) -> None:
        """Start every unfinished item that is not under way and may run: due, and no
        earlier item of the lanes it waits for deferred (those under way it waits for)."""
        async with self._scan_lock:
            nonce = await self._database_nonce()
            if self._suspect is None:
                await self._snapshot()
            async with self.uow() as uow:
                items = await uow.outbox.pending(BATCH)
            self._full = len(items) >= BATCH
            live = {item.id for item in items}
            self._tails = {k: v for k, v in self._tails.items() if v[0] in self._flights}
            self._not_before = {k: v for k, v in self._not_before.items() if k in live}
            blocked: set[str] = set()  # lanes with an earlier item that may not run now
            now = time.monotonic()
            for item in items:
                if item.id in self._flights:
                    continue
                keys, waits = lanes(item.effect)
                if waits & blocked or self._not_before.get(item.id, 0.0) > now:
                    blocked |= keys
                    continue
                self._start(item, keys, waits, nonce)
            self._schedule_wake()

    def _start(self, item: OutboxItem, keys: set[str], waits: set[str], nonce: str) -> None:
        """Run `item` once the items under way in the lanes it waits for are done."""
        before = list({id(task): task for key in waits
                       if (tail := self._tails.get(key)) is not None and tail[0] in self._flights
                       for task in (tail[1],)}.values())
        self._quiet.clear()
        task = asyncio.get_running_loop().create_task(self._run(before, item, nonce))
        self._flights[item.id] = task
        for key in keys:
            self._tails[key] = (item.id, task)

    async def _run(self, before: list[Run], item: OutboxItem, nonce: str) -> Outcome | None:
        """Deliver `item` once `before` are finished (None: one of them is not, so it may not
        run now); hand what came of it to the settler."""
        try:
            outcome = await self._after(before, item, nonce)
        except BaseException:
            self._flights.pop(item.id, None)
            self._check_quiet()
            raise
        if outcome is not None and outcome.changed:
            self._settling.append((item, outcome))
            if self._settler is None or self._settler.done():
                self._settler = asyncio.get_running_loop().create_task(self._settle_loop())
        else:
            self._flights.pop(item.id, None)  # not run, or only deferred: nothing to record
            if outcome is not None:
                self._schedule_wake()
            self._check_quiet()
        return outcome

    async def _after(self, before: list[Run], item: OutboxItem, nonce: str) -> Outcome | None:
        for earlier in before:
            done = await asyncio.shield(earlier)
            if done is None or not done.finished:
                return None
        repeat = item.attempts > 0 or item.id in self._tried or item.id in (self._suspect or ())
        self._tried.add(item.id)
        outcome = await deliver(self.platforms, item, f"{nonce}.{item.id}", repeat)
        if outcome.finished:
            self._not_before.pop(item.id, None)
        else:
            backoff = min(2.0 ** item.attempts, MAX_BACKOFF_S)
            wait = outcome.wait_s if outcome.error is None else backoff
            self._not_before[item.id] = time.monotonic() + (wait or 0.0)
        return outcome

    # -- recording ---------------------------------------------------------------------------
    async def _settle_loop(self) -> None:
        """Record what finished, in one transaction per turn (group commit); then forget
        those items' flights and repeat marks."""
        more = False
        while self._settling:
            batch, self._settling = self._settling, []
            try:
                await self._settle(batch)
            except Exception:
                log.exception("outbox: could not record %d items; they stay pending and are "
                              "performed again as repeats", len(batch))
            else:
                ended = {item.id for item, o in batch if o.finished}
                self.finished += len(ended)
                self._tried -= ended
                if self._suspect:
                    self._suspect -= ended
                more = more or self._full or any(o.notices for _, o in batch)
            for item, _ in batch:
                self._flights.pop(item.id, None)
            self._schedule_wake()
        if more:
            self.kick()  # items behind a full scan, or the notices just recorded
        self._check_quiet()

    async def _settle(self, outcomes: list[tuple[OutboxItem, Outcome]]) -> None:
        """Under the scan lock: a scan that read these items as unfinished before this commit
        must have started them (they are still under way) before they are forgotten."""
        async with self._scan_lock, self.uow() as uow:
            for item, o in outcomes:
                await uow.outbox.settle(item.id, o.done, finished=o.finished, error=o.error)
            notices = [n for _, o in outcomes for n in o.notices]
            if notices:
                await uow.outbox.add_many(list(notices))
            await uow.commit()
        fault_point("outbox.settled")

    async def _database_nonce(self) -> str:
        if self._nonce is None:
            self._nonce = await database_nonce(self.uow)
        return self._nonce
