"""Fixtures of the watchers: the local fixture server, and an App on a fresh database whose
watcher settings point at it, with a recording platform."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.settings import Settings, WatcherSettings
from tests.scheduling.helpers import RecordingPlatform
from tests.watchers.feeds import KRIS_PATH, SMHI_PATH, VMA_PATH, FeedServer

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def watcher_settings(feeds: FeedServer) -> WatcherSettings:
    return WatcherSettings(smhi_url=feeds.base + SMHI_PATH, vma_url=feeds.base + VMA_PATH,
                           krisinformation_url=feeds.base + KRIS_PATH + "?counties=x",
                           interval=0.05, backoff_max=0.2, timeout=2.0)


async def make_app(database_url: str, feeds: FeedServer, *, migrate: bool = True) -> App:
    settings = Settings(database_url=database_url, watchers=watcher_settings(feeds))
    return await build_app(settings, clock=ManualClock(NOW), migrate=migrate)


@pytest.fixture
async def app(database_url: str, feeds: FeedServer) -> AsyncIterator[App]:
    built = await make_app(database_url, feeds)
    try:
        yield built
    finally:
        await built.close()


@pytest.fixture
def chat(app: App) -> RecordingPlatform:
    platform = RecordingPlatform()
    app.add_platform(platform)
    return platform
