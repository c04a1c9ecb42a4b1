"""One polling loop per feed: read, record, sleep `interval`; on a failed read back off
exponentially with full jitter (tenacity's `wait_random_exponential`) and try again, for ever,
until cancelled. A failed read changes nothing: only a successful read is compared with the
stored states, so an outage never looks like every warning being withdrawn."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_never,
    wait_random_exponential,
)

from bot.domain.watchers import Alert, Source
from bot.watchers.sources import PARSERS

log = logging.getLogger(__name__)

# Worth another try: the network, the server (HTTP errors raise ClientResponseError), a
# timeout, or an answer that is not the expected JSON (ValueError, FeedError).
RETRYABLE = (aiohttp.ClientError, TimeoutError, ValueError)
Recorder = Callable[[Source, list[Alert]], Awaitable[Any]]


@dataclass(frozen=True)
class Feed:
    """A source and the URL it is read from (settings `SAMVERKAN_WATCHERS__*_URL`)."""

    source: Source
    url: str


@dataclass(frozen=True)
class Pace:
    """Seconds: between successful reads; first back-off step; the back-off's ceiling."""

    interval: float = 60.0
    backoff_base: float = 2.0
    backoff_max: float = 600.0


class Watcher:
    """Polls one feed and hands each successful read to `record`.

    Counters for health and tests: `reads` (successful), `failures` (failed attempts),
    `last_error` (text of the latest failure, None after a success), `waits` (the latest
    back-off pauses in seconds).
    """

    def __init__(self, feed: Feed, session: aiohttp.ClientSession, record: Recorder,
                 pace: Pace | None = None) -> None:
        self.feed = feed
        self.session = session
        self.record = record
        self.pace = pace or Pace()
        self.reads = 0
        self.failures = 0
        self.last_error: str | None = None
        self.waits: deque[float] = deque(maxlen=32)

    async def read(self) -> list[Alert]:
        """One GET of the feed, parsed; raises on HTTP errors and malformed answers."""
        async with self.session.get(self.feed.url, headers={"Accept": "application/json"}
                                    ) as response:
            response.raise_for_status()
            data = await response.json(content_type=None)
        return PARSERS[self.feed.source](data)

    def _failed(self, state: RetryCallState) -> None:
        self.failures += 1
        error = state.outcome.exception() if state.outcome is not None else None
        self.last_error = f"{type(error).__name__}: {error}"
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        self.waits.append(wait)
        log.warning("%s: read failed (%s); next try in %.1f s", self.feed.source.value,
                    self.last_error, wait)

    async def read_until_ok(self) -> list[Alert]:
        """`read`, retried with jittered exponential back-off until it succeeds."""
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(RETRYABLE), stop=stop_never, reraise=True,
            wait=wait_random_exponential(multiplier=self.pace.backoff_base,
                                         max=self.pace.backoff_max),
            before_sleep=self._failed)
        async for attempt in retrying:
            with attempt:
                alerts = await self.read()
        self.reads += 1
        self.last_error = None
        return alerts

    async def poll_once(self) -> None:
        """Read (with back-off) and record; a failure to record is logged, not raised, so
        the loop goes on and the next read decides again."""
        alerts = await self.read_until_ok()
        try:
            await self.record(self.feed.source, alerts)
        except Exception:
            log.exception("%s: could not record a read", self.feed.source.value)

    async def run(self) -> None:
        """Poll until cancelled."""
        while True:
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug in a parser must not end the watcher
                log.exception("%s: unexpected failure", self.feed.source.value)
            await asyncio.sleep(self.pace.interval)
