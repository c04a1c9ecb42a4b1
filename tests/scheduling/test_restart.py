"""Restart with the real APScheduler and its SQLAlchemy job store on the bot's SQLite file:
what fell due while the bot was down is sent once, marked late within the grace, and
reported as missed beyond it; nothing is sent twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.bootstrap import App, build_app
from bot.domain.guards import DeliveryStatus
from bot.domain.schedule import ConferenceSeries, Firing
from bot.scheduling.planning import Timing
from bot.scheduling.runtime import SchedulingRuntime
from bot.settings import Settings
from storage.database import sync_url
from tests.conftest import sqlite_url
from tests.scheduling.helpers import RecordingPlatform, roster_without_rhythms, say, with_schedule

U = 1.5  # seconds per time unit of the scenario
TIMING = Timing(reminders=(timedelta(seconds=4 * U), timedelta(seconds=2 * U)),
                late_after=timedelta(seconds=0.5 * U), grace=timedelta(seconds=2 * U))


async def _start(url: str, chat: RecordingPlatform) -> tuple[App, SchedulingRuntime]:
    app = await build_app(Settings(database_url=url), roster=roster_without_rhythms())
    with_schedule(app)
    app.add_platform(chat)
    runtime = SchedulingRuntime(app, app.service, sync_url(url), timing=TIMING)
    await runtime.start()
    return app, runtime


async def _stop(app: App, runtime: SchedulingRuntime) -> None:
    await runtime.close()
    await app.close()


async def _sleep_until(t: datetime) -> None:
    await asyncio.sleep(max(0.0, (t - datetime.now(UTC)).total_seconds()))


async def _series(app: App, activation_id: str, first_at: datetime) -> int:
    async with app.uow() as uow:
        series = await uow.conferences.add(ConferenceSeries(  # type: ignore[attr-defined]
            id=None, activation_id=activation_id, first_at=first_at, every=None,
            created_by=None, created_at=datetime.now(UTC), next_at=first_at,
            planned_from=datetime.now(UTC)))
        await uow.commit()
    assert series.id is not None
    return int(series.id)


@pytest.mark.long
async def test_restart_sends_due_once_late_within_grace_missed_beyond(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    chat = RecordingPlatform()
    app, runtime = await _start(url, chat)
    assert (await say(app, "tib@lansstyrelsen", "aktivera samordnande oväder Snöstorm Gorm")).ok
    await runtime.stop()  # the series below are picked up by the next start's full rebuild
    t0 = datetime.now(UTC)
    b = await _series(app, "2026-001", t0 + timedelta(seconds=3.5 * U))  # starts in the outage
    a = await _series(app, "2026-001", t0 + timedelta(seconds=9 * U))
    await runtime.start()

    await _sleep_until(t0 + timedelta(seconds=2.5 * U))
    await _stop(app, runtime)  # down from 2.5 to 6
    before = [p.text for p in chat.notices()]
    assert len(before) == 1 and "om 2 min" not in before[0]  # B's reminder, on time

    await _sleep_until(t0 + timedelta(seconds=6 * U))
    app, runtime = await _start(url, chat)
    try:
        await _sleep_until(t0 + timedelta(seconds=10 * U))
        await app.relay.wait_idle()
        async with app.uow() as uow:
            rows = {key: await uow.deliveries.get(key)  # type: ignore[attr-defined]
                    for key in await _keys(app, (a, b))}
    finally:
        await _stop(app, runtime)

    statuses = {key: row.status for key, row in rows.items() if row is not None}
    four, two = int(4 * U), int(2 * U)  # the reminder offsets in seconds, as in the keys
    assert statuses == {
        f"conference:{b}:{_stamp(t0, 3.5)}:{two}": DeliveryStatus.SENT,
        f"conference:{b}:{_stamp(t0, 3.5)}:0": DeliveryStatus.MISSED,
        f"conference:{a}:{_stamp(t0, 9)}:{four}": DeliveryStatus.LATE,
        f"conference:{a}:{_stamp(t0, 9)}:{two}": DeliveryStatus.SENT,
        f"conference:{a}:{_stamp(t0, 9)}:0": DeliveryStatus.SENT,
    }
    texts = [p.text for p in chat.notices()]
    assert len(texts) == 5, texts  # one post per firing, none twice
    assert sum("försenad" in t for t in texts) == 1
    assert sum("kunde inte inledas i tid" in t for t in texts) == 1
    assert sum(t.startswith("**Samverkanskonferens") for t in texts) == 1


def _stamp(t0: datetime, units: float) -> str:
    at = t0 + timedelta(seconds=units * U)
    return Firing.of("conference", 0, at, timedelta(0)).key.split(":")[2]


async def _keys(app: App, series_ids: tuple[int, ...]) -> list[str]:
    """Every delivery key of the given series (read straight from the table)."""
    from sqlalchemy import text

    async with app.engine.connect() as connection:
        result = await connection.execute(text("SELECT key FROM deliveries"))
        keys = [str(k) for (k,) in result]
    return [k for k in keys if int(k.split(":")[1]) in series_ids]
