"""The watchers as the leader runs them: one task per configured feed, one shared HTTP
session, started when elected and stopped when leadership ends (bot/runner.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

import aiohttp

from bot.domain.ports import AppCore
from bot.domain.watchers import Alert, Source
from bot.settings import WatcherSettings
from bot.watchers.poller import Feed, Pace, Watcher
from bot.watchers.record import Outcome, PostContext, record_read

log = logging.getLogger(__name__)
USER_AGENT = "Samverkansboten (read-only watcher)"


class Kicker(Protocol):
    def kick(self) -> None: ...


class WatcherApp(AppCore, Protocol):
    """What the watchers need of the composition root (`bot.bootstrap.App`)."""

    @property
    def relay(self) -> Kicker: ...


def feeds(settings: WatcherSettings) -> list[Feed]:
    """The configured feeds; an empty URL leaves that source out."""
    urls = {Source.SMHI: settings.smhi_url, Source.VMA: settings.vma_url,
            Source.KRISINFORMATION: settings.krisinformation_url}
    return [Feed(source, url) for source, url in urls.items() if url.strip()]


class WatcherRuntime:
    """`start()` the watchers of `settings`, `close()` them; both idempotent."""

    def __init__(self, app: WatcherApp, settings: WatcherSettings) -> None:
        self.app = app
        self.settings = settings
        self.session: aiohttp.ClientSession | None = None
        self.watchers: list[Watcher] = []
        self.tasks: list[asyncio.Task[None]] = []

    async def record(self, source: Source, alerts: list[Alert]) -> Outcome:
        ctx = PostContext(forum=self.settings.forum, tz=self.app.tz)
        outcome = await record_read(self.app.uow, self.app.clock, ctx, source, alerts)
        if outcome.posted:
            self.app.relay.kick()
        return outcome

    async def start(self) -> None:
        if not self.settings.enabled or self.tasks:
            return
        if self.settings.forum not in self.app.roster.forums_by_key:
            log.error("watchers not started: forum %r (SAMVERKAN_WATCHERS__FORUM) is not in "
                      "the roster", self.settings.forum)
            return
        self.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.settings.timeout),
            headers={"User-Agent": USER_AGENT})
        pace = Pace(interval=self.settings.interval, backoff_max=self.settings.backoff_max)
        for feed in feeds(self.settings):
            watcher = Watcher(feed, self.session, self.record, pace)
            self.watchers.append(watcher)
            self.tasks.append(asyncio.create_task(watcher.run(),
                                                  name=f"watch-{feed.source.value}"))
        log.info("watching %s", ", ".join(w.feed.source.value for w in self.watchers))

    async def close(self) -> None:
        tasks, self.tasks = self.tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.watchers = []
        if self.session is not None:
            session, self.session = self.session, None
            await session.close()
