"""Fixtures of the time side: an App on a fresh database (SQLite, and PostgreSQL when it
answers) with a manual clock, the schedule commands and the exercise-clock tick hook."""

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
from tests.scheduling.helpers import RecordingPlatform, roster_without_rhythms, with_schedule

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 23, 13, 0, tzinfo=STOCKHOLM)  # a Monday


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


@pytest.fixture
def chat(app: App) -> RecordingPlatform:
    platform = RecordingPlatform()
    app.add_platform(platform)
    return platform
