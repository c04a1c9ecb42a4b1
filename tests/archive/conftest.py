"""Fixtures for the archived protocol: an App on a fresh database with the exercise clock
and the schedule, so a story can hold conferences with roll calls before it is closed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.scheduling.engine import ScheduleEngine
from bot.scheduling.runtime import install_exercise_clock
from bot.settings import Settings
from tests.scheduling.helpers import roster_without_rhythms, with_schedule

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 23, 13, 0, tzinfo=STOCKHOLM)


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    built = await build_app(Settings(database_url=database_url), clock=ManualClock(START),
                            exercise=True, roster=roster_without_rhythms())
    with_schedule(built)
    try:
        yield built
    finally:
        await built.close()


@pytest.fixture
def engine(app: App) -> ScheduleEngine:
    return install_exercise_clock(app, app.service)
