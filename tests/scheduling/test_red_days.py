"""Röda dagar (issue 10, item 7): meetings that fall on a Swedish public holiday or a common
day off are flagged in `möte lista`, `status` and the reminder with a suggested working day;
`möte flytta` holds one occurrence at another time, stored, and the calendar shows it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.bootstrap import App
from bot.clock import ManualClock
from bot.domain.red_days import alternative, is_working_day, red_day
from bot.domain.schedule import Meeting
from bot.scheduling.calendar import export_ics
from bot.scheduling.engine import ScheduleEngine
from tests.scheduling.helpers import RecordingPlatform, say

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

TZ = ZoneInfo("Europe/Stockholm")
TIB = "tib@lansstyrelsen"

RED = [  # every kind of red day the bot knows, over three years
    (date(2026, 12, 24), "Julafton"), (date(2026, 12, 25), "Juldagen"),
    (date(2026, 12, 26), "Annandag jul"), (date(2026, 12, 31), "Nyårsafton"),
    (date(2027, 1, 1), "Nyårsdagen"), (date(2027, 1, 6), "Trettondedag jul"),
    (date(2027, 3, 26), "Långfredagen"), (date(2027, 3, 28), "Påskdagen"),
    (date(2027, 3, 29), "Annandag påsk"), (date(2027, 5, 1), "Första maj"),
    (date(2027, 5, 6), "Kristi himmelsfärdsdag"), (date(2027, 5, 16), "Pingstdagen"),
    (date(2027, 6, 6), "Nationaldagen"), (date(2027, 6, 25), "Midsommarafton"),
    (date(2027, 6, 26), "Midsommardagen"), (date(2027, 11, 6), "Alla helgons dag"),
    (date(2028, 6, 23), "Midsommarafton"), (date(2028, 12, 24), "Julafton"),
]
NOT_RED = [date(2026, 12, 23), date(2026, 12, 28), date(2027, 1, 7), date(2026, 11, 29),
           date(2027, 6, 24), date(2027, 4, 30)]
ALTERNATIVE = [  # red day, today → the nearest working day (earlier on a tie)
    (date(2026, 12, 25), date(2026, 11, 30), date(2026, 12, 23)),
    (date(2026, 12, 24), date(2026, 11, 30), date(2026, 12, 23)),
    (date(2026, 12, 31), date(2026, 11, 30), date(2026, 12, 30)),
    (date(2027, 6, 25), date(2027, 1, 1), date(2027, 6, 24)),
    (date(2027, 3, 29), date(2027, 1, 1), date(2027, 3, 30)),  # Easter Monday: Tuesday
    (date(2026, 12, 25), date(2026, 12, 24), date(2026, 12, 28)),  # not before today
]


@pytest.mark.parametrize(("day", "name"), RED)
def test_red_days_come_from_the_holiday_library(day: date, name: str) -> None:
    assert red_day(day) == name
    assert not is_working_day(day)


@pytest.mark.parametrize("day", NOT_RED)
def test_ordinary_days_are_not_red(day: date) -> None:
    assert red_day(day) is None


@pytest.mark.parametrize(("day", "today", "expected"), ALTERNATIVE)
def test_the_suggestion_is_the_nearest_working_day(day: date, today: date,
                                                   expected: date) -> None:
    got = alternative(day, today)
    assert got == expected and is_working_day(got)


async def _meeting(app: App, forum: str) -> Meeting:
    async with app.uow() as uow:
        return next(m for m in await uow.meetings.all() if m.forum == forum)


def _local(y: int, m: int, d: int, h: int, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=TZ).astimezone(UTC)


async def test_list_and_status_flag_christmas_with_a_suggestion(
        app: App, engine: ScheduleEngine) -> None:
    listed = await say(app, TIB, "möte lista")
    chefs = await _meeting(app, "chefsgruppen")
    assert listed.ok
    assert "fre 25 dec" in listed.text and "Juldagen" in listed.text
    assert f"`möte flytta {chefs.id} 2026-12-23`" in listed.text
    assert "Julafton" in listed.text and "Nyårsafton" in listed.text  # Thursdays 24 and 31
    status = await say(app, TIB, "status")
    assert "Juldagen" in status.text and "2026-12-23" in status.text


async def test_moving_one_occurrence_is_stored_and_followed(
        app: App, engine: ScheduleEngine) -> None:
    await say(app, TIB, "möte lista")
    chefs = await _meeting(app, "chefsgruppen")
    reply = await say(app, TIB, f"möte flytta {chefs.id} 2026-12-23")
    assert reply.ok, reply.text
    moved = await _meeting(app, "chefsgruppen")
    assert [(m.original, m.moved_to) for m in moved.moves] == [
        (_local(2026, 12, 25, 10), _local(2026, 12, 23, 10))]
    assert moved.next_at == chefs.next_at == _local(2026, 11, 27, 10)  # the cursor stays
    assert "Juldagen" not in (await say(app, TIB, "möte lista")).text
    clock = app.clock
    assert isinstance(clock, ManualClock)
    clock.set(datetime(2026, 11, 27, 10, 30, tzinfo=TZ))
    await app.service.tick()
    assert (await _meeting(app, "chefsgruppen")).next_at == _local(2026, 12, 23, 10)
    again = await say(app, TIB, f"möte flytta {chefs.id} 2026-12-25 till 2026-12-22 13:00")
    assert again.ok, again.text  # named by the rule's day; the cursor follows
    moved = await _meeting(app, "chefsgruppen")
    assert moved.next_at == _local(2026, 12, 22, 13) and not moved.jobs_planned
    assert [m.moved_to for m in moved.moves] == [_local(2026, 12, 22, 13)]


async def test_the_calendar_shows_the_moved_occurrence(app: App, engine: ScheduleEngine) -> None:
    await say(app, TIB, "möte lista")
    chefs = await _meeting(app, "chefsgruppen")
    assert (await say(app, TIB, f"möte flytta {chefs.id} 2026-12-23")).ok
    cal = Calendar.from_ical(await export_ics(app, "chefsgruppen"))
    uid = f"meeting-{chefs.id}@samverkansboten"
    events = [e for e in cal.walk("VEVENT") if str(e["uid"]) == uid]
    overrides = [e for e in events if "recurrence-id" in e]
    assert len(events) == 2 and len(overrides) == 1
    override = overrides[0]
    assert override["recurrence-id"].params["TZID"] == "Europe/Stockholm"
    assert override.decoded("recurrence-id").replace(tzinfo=None) == datetime(2026, 12, 25, 10)
    assert override.decoded("dtstart").replace(tzinfo=None) == datetime(2026, 12, 23, 10)


async def test_the_reminder_flags_a_red_day(app: App, engine: ScheduleEngine,
                                            chat: RecordingPlatform) -> None:
    await app.service.tick()
    clock = app.clock
    assert isinstance(clock, ManualClock)
    clock.set(datetime(2026, 12, 24, 8, 50, tzinfo=TZ))  # Thursday: the weekly conference
    await app.service.tick()
    await app.relay.wait_idle()
    reminders = [p.text for p in chat.posts("forum", "veckokonferens") if "⏰" in p.text]
    flagged = [r for r in reminders if "🔴" in r]
    assert len(reminders) > 5 and flagged == reminders[-1:]  # 08:45 on the 24th, only
    assert "tor 24 dec 09:00 är Julafton" in flagged[0]
    assert "`möte flytta 1 2026-12-28`" in flagged[0]  # the 23rd is past by then


REFUSED = [
    ("chefsgruppen", "2026-10-01", "meeting.no_occurrence"),
    ("chefsgruppen", "2026-12-25 till 2027-01-30", "meeting.move_order"),
    ("chefsgruppen", "2026-11-23 08:00", "meeting.move_past"),
    ("chefsgruppen", "2026-12-24 till 2026-12-23", "meeting.no_occurrence"),
    ("chefsgruppen", "2027-03-28 02:30", "parse.time_gap"),
    ("samordnande", "2026-12-01", "meeting.move_which"),  # Tue 24 Nov and 8 Dec, 7 days each
]


@pytest.mark.parametrize(("forum", "args", "code"), REFUSED)
async def test_a_move_that_cannot_be_meant_changes_nothing(
        app: App, engine: ScheduleEngine, forum: str, args: str, code: str) -> None:
    assert (await say(app, TIB, "möte ny samordnande varannan tisdag 09:00")).ok
    before = await _meeting(app, forum)
    reply = await say(app, TIB, f"möte flytta {before.id} {args}")
    assert not reply.ok and reply.code == code, reply.text
    assert await _meeting(app, forum) == before
    unknown = await say(app, TIB, "möte flytta 999 2026-12-23")
    assert unknown.code == "meeting.unknown"


def test_the_library_knows_the_common_days_off() -> None:
    """julafton, midsommarafton and nyårsafton are days off by custom, not statute: the
    library lists them in its `de_facto` category; without it they would not be flagged."""
    assert {red_day(date(2026, 12, 24)), red_day(date(2026, 6, 19)),
            red_day(date(2026, 12, 31))} == {"Julafton", "Midsommarafton", "Nyårsafton"}
