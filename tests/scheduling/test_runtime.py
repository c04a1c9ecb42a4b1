"""The APScheduler runtime on a real clock and SQLite: commands' series reach the job store
without a restart, deactivation removes their jobs, the ack-deadline job escalates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.bootstrap import App, build_app
from bot.scheduling.runtime import SchedulingRuntime
from bot.settings import Settings
from storage.database import sync_url
from tests.conftest import sqlite_url
from tests.scheduling.helpers import RecordingPlatform, roster_without_rhythms, say, with_schedule

TIB = "tib@lansstyrelsen"


Running = tuple[App, SchedulingRuntime, RecordingPlatform]


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    url = sqlite_url(tmp_path)
    app = await build_app(Settings(database_url=url), roster=roster_without_rhythms())
    with_schedule(app)
    chat = RecordingPlatform()
    app.add_platform(chat)
    runtime = SchedulingRuntime(app, app.service, sync_url(url), reconcile_every=0.3,
                                acks_every=3600)
    await runtime.start()
    try:
        yield app, runtime, chat
    finally:
        await runtime.close()
        await app.close()


async def _eventually(check: Callable[[], object], seconds: float = 10) -> None:
    async with asyncio.timeout(seconds):
        while not await check():  # type: ignore[misc]  # noqa: ASYNC110 - polls the store
            await asyncio.sleep(0.1)


async def test_a_commanded_conference_gets_its_jobs_and_loses_them_at_deactivation(
        running: Running) -> None:
    app, runtime, _chat = running
    assert (await say(app, TIB, "aktivera samordnande oväder Snöstorm Gorm")).ok
    assert (await say(app, TIB, "konferens om 1 timme var 3:e timme")).ok

    async def three_jobs() -> bool:
        held = await runtime.aps.job_ids()
        return len([j for j in held if j.startswith("fire:conference:")]) == 3
    await _eventually(three_jobs)
    ids = await runtime.aps.job_ids()
    assert {"reconcile:interval", "reconcile:full", "acks:interval"} <= ids
    assert sorted(j.rsplit(":", 1)[1] for j in ids if j.startswith("fire:conference:")) == \
        ["0", "300", "900"]

    assert (await say(app, TIB, "avaktivera")).ok

    async def no_jobs() -> bool:
        return not [j for j in await runtime.aps.job_ids() if j.startswith("fire:conference:")]
    await _eventually(no_jobs)
    async with app.uow() as uow:
        series = await uow.conferences.all()  # type: ignore[attr-defined]
    assert series[0].cancelled_at is not None


async def test_the_ack_deadline_job_escalates_at_the_deadline(
        running: Running) -> None:
    app, runtime, chat = running
    assert (await say(app, TIB, "aktivera samordnande oväder Snöstorm Gorm")).ok
    soon = datetime.now(UTC) + timedelta(seconds=1.5)
    async with app.uow() as uow:
        rows = await uow.participants.of_activation("2026-001")
        police = next(p for p in rows if p.function == "vakthavande-befal@polisen")
        police.deadline = soon
        await uow.participants.update(police)
        await uow.commit()
    await runtime.check_acks()
    assert "acks:next" in await runtime.aps.job_ids()

    async def escalated() -> bool:
        return any("har inte kvitterat" in t and "Polisen" in t for t in chat.texts())
    await _eventually(escalated)
    async with app.uow() as uow:
        rows = await uow.participants.of_activation("2026-001")
    police = next(p for p in rows if p.function == "vakthavande-befal@polisen")
    assert police.stage.value != "innehavare"
