"""Sync batches handled room by room: each room's events in order, rooms side by side, and
the sync token stored only up to the newest batch whose events are all handled.

The sync loop does not wait for a batch's commands: it opens a `Batch` per sync response,
`put`s each room's work (a command, an invitation, a notice) on that room's queue and goes on
polling. One worker per room with work runs it in arrival order, at most `concurrency` rooms at
a time. When every item of a batch and of all earlier batches is done, that batch's
`next_batch` becomes safe and is stored (coalesced: under load one write covers many batches).
A crash therefore re-delivers every batch with unfinished work from the stored token; the
core's de-duplication by event id keeps each command to one execution. Nothing seen in a sync
is lost, and nothing is stored as done before it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

Work = Callable[[], Awaitable[None]]
RETRY_FIRST_S = 0.5  # a failed item is tried again after this, doubling …
RETRY_MAX_S = 30.0  # … up to this; the room waits meanwhile (its order is kept)
SAVE_RETRY_S = 1.0


@dataclass(eq=False)
class Batch:
    """One sync response: its `next_batch` token (None: it was not queued whole and is
    fetched again, so it moves the stored token nowhere) and its items not yet done (+1
    while the sync loop is still putting items)."""

    token: str | None
    pending: int = 1


class Pipeline:
    """Per-room queues and the stored-token watermark. `save(token)` stores a token (one
    transaction); `saved(n)` is told after each store how many batches it covered."""

    def __init__(self, save: Callable[[str], Awaitable[None]],
                 saved: Callable[[int], Awaitable[None]], *, concurrency: int = 8) -> None:
        self._save = save
        self._saved = saved
        self._slots = asyncio.Semaphore(concurrency)
        self._queues: dict[str, deque[tuple[Work, Batch]]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._batches: deque[Batch] = deque()
        self._safe: str | None = None  # the newest token whose batches are all done
        self._covered = 0  # batches made safe and not yet reported by `saved`
        self._saver: asyncio.Task[None] | None = None
        self._closing = False
        self._idle = asyncio.Event()
        self._idle.set()
        self.backlog = 0  # items put and not yet done, over all rooms

    # -- the sync loop's side -------------------------------------------------------------
    def open(self, token: str) -> Batch:
        batch = Batch(token)
        self._batches.append(batch)
        return batch

    def put(self, batch: Batch, room_id: str, work: Work) -> None:
        """Queue `work` behind the room's earlier work; it counts against `batch`."""
        batch.pending += 1
        self.backlog += 1
        self._idle.clear()
        self._queues.setdefault(room_id, deque()).append((work, batch))
        if room_id not in self._workers and not self._closing:
            self._workers[room_id] = asyncio.create_task(self._run(room_id),
                                                         name=f"matrix-room-{room_id}")

    def seal(self, batch: Batch) -> None:
        """Every item of `batch` is put; it becomes safe when they are done."""
        self._done(batch)

    async def below(self, limit: int, within: float) -> None:
        """Wait (at most `within` s) until fewer than `limit` items are queued: the sync loop
        stops fetching while the rooms are that far behind."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                while self.backlog >= limit:
                    self._idle.clear()
                    await self._idle.wait()

    # -- the rooms' side -------------------------------------------------------------------
    async def _run(self, room_id: str) -> None:
        queue = self._queues[room_id]
        try:
            while queue and not self._closing:
                work, batch = queue[0]
                await self._attempt(room_id, work)
                queue.popleft()
                self.backlog -= 1
                self._done(batch)
                self._idle.set()  # wakes `below` and `close` to look again
        finally:
            self._workers.pop(room_id, None)
            if not queue:
                self._queues.pop(room_id, None)

    async def _attempt(self, room_id: str, work: Work) -> None:
        """Run `work` until it returns; a failure is logged and tried again later (the
        room's later items wait behind it)."""
        wait = RETRY_FIRST_S
        while True:
            try:
                async with self._slots:
                    await work()
                return
            except Exception:
                log.exception("Matrix: work in %s failed; trying again in %.1f s", room_id, wait)
            await asyncio.sleep(wait)
            wait = min(wait * 2, RETRY_MAX_S)

    def _done(self, batch: Batch) -> None:
        batch.pending -= 1
        while self._batches and self._batches[0].pending == 0:
            token = self._batches.popleft().token
            if token is not None:
                self._safe = token
                self._covered += 1
        if self._covered and (self._saver is None or self._saver.done()):
            self._saver = asyncio.create_task(self._store(), name="matrix-sync-token")

    async def _store(self) -> None:
        """Store the safe token until it stops moving (each store covers all batches made
        safe before it began)."""
        while self._covered and self._safe is not None:
            token, covered = self._safe, self._covered
            try:
                await self._save(token)
            except Exception:
                log.exception("Matrix: could not store the sync token; trying again")
                await asyncio.sleep(SAVE_RETRY_S)
                continue
            self._covered -= covered
            await self._saved(covered)

    # -- stopping --------------------------------------------------------------------------
    async def close(self, grace: float) -> None:
        """Let the items under way finish (bounded by `grace` s), start no new ones, store
        the watermark. Items not done stay unstored: the next start re-delivers them."""
        self._closing = True
        try:
            async with asyncio.timeout(grace):
                while self._workers:
                    await asyncio.wait(list(self._workers.values()))
        except TimeoutError:
            log.warning("Matrix: work was still running after %.0f s; cancelling", grace)
        for task in list(self._workers.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._saver is not None:
            try:
                async with asyncio.timeout(grace):
                    await asyncio.shield(self._saver)
            except TimeoutError:
                self._saver.cancel()
                return  # the database does not answer: the last stored token stands
        if self._covered and self._safe is not None:
            await self._save(self._safe)
            covered, self._covered = self._covered, 0
            await self._saved(covered)
