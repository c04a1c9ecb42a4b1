"""Fixtures for the core: an App on a fresh database with a manual clock, and a way to speak
as the current holder of a function."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.roster import FunctionRef
from bot.handlers.types import Origin, Reply
from bot.settings import Settings
from tests.core.story import Played, play

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 21, 13, 0, tzinfo=STOCKHOLM)


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    built = await build_app(Settings(database_url=database_url), clock=ManualClock(START),
                            exercise=True)
    try:
        yield built
    finally:
        await built.close()


def holder(app: App, ref: str) -> str:
    return app.roster.holder(FunctionRef.parse(ref), app.clock.now())


async def say(app: App, who: str | None, text: str, *, room: str | None = None) -> Reply:
    """`who` is a function ref ('tib@lansstyrelsen'), a person key, or None (not in roster)."""
    person = None if who is None else (holder(app, who) if "@" in who else who)
    return await app.service.handle(text, Origin("console", person, room, user=person or "x"))


@pytest.fixture
async def played(request: pytest.FixtureRequest, database_url: str) -> AsyncIterator[Played]:
    """The requesting story module's SCRIPT played from its START in a terminal exercise
    (`tests.core.story.play`); the app is closed afterwards."""
    story = await play(database_url, request.module.START, request.module.SCRIPT)
    try:
        yield story
    finally:
        await story.app.close()
