"""The Matrix adapter: `start()` logs in and runs the sync loop as a task, `stop()` ends it.

The ChatPlatform methods (open_war_room, invite, post, …) come from WarRooms, the bridge's
(relaying a war room to and from the other platform) from BridgedRooms; they share the one
nio client with the sync loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from nio import SyncResponse

from bot.domain.effects import OpenWarRoom
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.roster import Roster
from bot.platforms.matrix.bridge import BridgedRooms
from bot.platforms.matrix.client import CALL_TIMEOUT_S, LIMIT_HINT, login, make_client
from bot.platforms.matrix.listener import (
    SYNC_FILTER,
    CommandHandler,
    SyncHandler,
    first_sync_filter,
    sync_error,
    token_key,
)
from bot.settings import MatrixSettings

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 60.0


class MatrixPlatform(BridgedRooms):
    name = "matrix"

    def __init__(self, settings: MatrixSettings, roster: Roster, uow: UnitOfWorkFactory,
                 service: CommandHandler, *, poll_timeout_ms: int = 30_000,
                 kick: Callable[[], None] | None = None) -> None:
        super().__init__(make_client(settings), roster, uow)
        self._kick = kick
        self.settings = settings
        self.poll_timeout_ms = poll_timeout_ms
        self._handler = SyncHandler(self, service)
        self._handler.bridge = self
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._busy = asyncio.Lock()  # held while a sync batch is handled
        self._synced = asyncio.Condition()
        self.syncs = 0  # handled sync batches, for tests and health checks
        self.sync_failure: str | None = None  # why the last sync failed, until one succeeds
        self._creating = 0
        self._resume = asyncio.Event()
        self._resume.set()

    def kick_relay(self) -> None:
        if self._kick is not None:
            self._kick()

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        await login(self.client, self.settings)
        await self.prepare()
        log.info("Matrix: " + LIMIT_HINT, self.me)
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="matrix-sync")

    async def health(self) -> str | None:
        """None when logged in and the last sync (if this process syncs) went through; else
        the reason in Swedish, for `GET /healthz`."""
        if not self.client.access_token:
            return "inte inloggad"
        return self.sync_failure

    async def stop(self, grace: float = 10.0) -> None:
        """Let a batch being handled finish (bounded), then end the long poll and close."""
        self._stopping.set()
        task, self._task = self._task, None
        if task is not None:
            try:
                async with asyncio.timeout(grace):
                    await self._busy.acquire()
                self._busy.release()
            except TimeoutError:
                log.warning("Matrix: a command was still running after %.0f s; cancelling", grace)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.close()

    async def wait_synced(self, after: int | None = None, limit_s: float = 30.0) -> int:
        """Wait until more than `after` (default: the current count) batches are handled."""
        target = self.syncs if after is None else after
        async with asyncio.timeout(limit_s), self._synced:
            await self._synced.wait_for(lambda: self.syncs > target)
        return self.syncs

    async def open_war_room(self, effect: OpenWarRoom) -> None:
        """While a war room is created, the sync loop rests: every one of the ~50 creation
        and invitation events would otherwise wake our long poll, and Synapse (one process)
        would compute a sync for each, making the room ~1.5-2x slower. Commands arriving
        meanwhile wait a moment in the homeserver; none is lost."""
        self._creating += 1
        self._resume.clear()
        try:
            await super().open_war_room(effect)
        finally:
            self._creating -= 1
            if self._creating == 0:
                self._resume.set()

    # -- the loop --------------------------------------------------------------------------
    async def _run(self) -> None:
        token = await self._load_token()
        backoff = 1.0
        first = True  # the first sync after a start returns at once, to catch up quickly
        while not self._stopping.is_set():
            try:
                token = await self._sync_once(token, wait=not first)
                first, backoff = False, 1.0
                self.sync_failure = None
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.sync_failure = f"synk misslyckades: {type(exc).__name__}"
                log.exception("Matrix: sync failed; retrying in %.0f s", backoff)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(backoff):
                        await self._stopping.wait()
                backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def _sync_once(self, token: str | None, wait: bool) -> str | None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CALL_TIMEOUT_S):
                await self._resume.wait()
        self.client.next_batch = token  # a failed batch is fetched again from the stored token
        resp = await self.client.sync(
            timeout=self.poll_timeout_ms if wait and token is not None else 0,
            sync_filter=first_sync_filter() if token is None else SYNC_FILTER,
            since=token,
        )
        if (reason := sync_error(resp)) is not None:
            raise RuntimeError(f"sync: {reason}")
        assert isinstance(resp, SyncResponse)
        async with self._busy:
            if self._stopping.is_set():
                return token
            await self._handler.handle(resp, since=token)
            await self._save_token(resp.next_batch)
        async with self._synced:
            self.syncs += 1
            self._synced.notify_all()
        return str(resp.next_batch)

    async def _load_token(self) -> str | None:
        async with self.uow() as uow:
            return await uow.kv.get(token_key(self.me)) or None  # "" = start afresh

    async def _save_token(self, token: str) -> None:
        async with self.uow() as uow:
            await uow.kv.put(token_key(self.me), token)
            await uow.commit()
