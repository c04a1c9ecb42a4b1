"""Time phrases end up in the record as meant (issue 10, item 5): the conference series
stored for each everyday phrase starts when the duty officer meant; a phrase that could be
misread stores nothing; times in the repeated autumn hour carry their UTC offset in the
stored timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import App
from bot.clock import ManualClock
from bot.domain.record import EntryKind
from bot.scheduling.engine import ScheduleEngine
from tests.scheduling.helpers import advance, say

TZ = ZoneInfo("Europe/Stockholm")
TIB = "tib@lansstyrelsen"
ACT = "2026-001"
# The fixture's clock: Monday 2026-11-23 13:00 in Stockholm.


def local(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


STORED = [
    ("ikväll 19:00", local(11, 23, 19)),
    ("i kväll kl 19", local(11, 23, 19)),
    ("i morgon bitti", local(11, 24, 7)),
    ("nästa tisdag 09:00", local(11, 24, 9)),
    ("kl 14", local(11, 23, 14)),
    ("tonight 19:00", local(11, 23, 19)),
    ("tomorrow morning", local(11, 24, 8)),
    ("next tuesday 09:00", local(11, 24, 9)),
    ("at 14", local(11, 23, 14)),
    ("julafton 10:00", local(12, 24, 10)),
    ("fredag 25 december 10:00", local(12, 25, 10)),
    ("om 2 timmar", local(11, 23, 15)),
]
REFUSED = [
    ("jul 10:00", "parse.ambiguous_jul"),
    ("juli 10:00", "parse.month_without_day"),
    ("torsdag 25 december 10:00", "parse.weekday_mismatch"),
    ("30 februari 10:00", "parse.no_such_date"),
    ("i morgon 24:00", "parse.bad_clock"),
    ("25:00", "parse.bad_clock"),
    ("idag 09:00", "parse.time_past"),
    ("1/12 10:00", "parse.ambiguous_date"),
    ("2026-09-01 10:00", "parse.time_past"),
]


async def _series(app: App) -> list[datetime]:
    async with app.uow() as uow:
        return [s.first_at for s in await uow.conferences.all()]


async def _activate(app: App) -> None:
    assert (await say(app, TIB, "aktivera samordnande Vattenläcka Norrmalm")).ok


@pytest.mark.parametrize(("phrase", "expected"), STORED)
async def test_everyday_phrases_store_the_time_meant(app: App, phrase: str,
                                                     expected: datetime) -> None:
    await _activate(app)
    reply = await say(app, TIB, f"konferens #{ACT} {phrase}")
    assert reply.ok, reply.text
    assert await _series(app) == [expected]


@pytest.mark.parametrize(("phrase", "code"), REFUSED)
async def test_misreadable_phrases_store_nothing(app: App, phrase: str, code: str) -> None:
    await _activate(app)
    reply = await say(app, TIB, f"konferens #{ACT} {phrase}")
    assert not reply.ok and reply.code == code, reply.text
    assert await _series(app) == []


async def test_the_repeated_hour_is_recorded_with_its_offset(
        app: App, engine: ScheduleEngine) -> None:
    clock = app.clock
    assert isinstance(clock, ManualClock)
    clock.set(datetime(2026, 10, 24, 22, 0, tzinfo=TZ))
    await _activate(app)
    ambiguous = await say(app, TIB, f"konferens #{ACT} 2026-10-25 02:30")
    assert ambiguous.code == "parse.time_ambiguous"
    assert "02:30+02:00" in ambiguous.text and "02:30+01:00" in ambiguous.text
    reply = await say(app, TIB, f"konferens #{ACT} 2026-10-25 02:30+01:00")
    assert reply.ok, reply.text
    assert await _series(app) == [datetime(2026, 10, 25, 1, 30, tzinfo=UTC)]
    await advance(app, timedelta(hours=6))  # 03:00 winter time
    async with app.uow() as uow:
        act = await uow.activations.get(ACT)
        assert act is not None
        entries = await uow.timeline.of_event(act.event_id)
    started = [e.text for e in entries if e.kind is EntryKind.CONFERENCE and "status" in e.data]
    assert len(started) == 1 and "02:30+01:00" in started[0], started
