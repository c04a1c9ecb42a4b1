"""The iCalendar export parses with icalendar and gives the right next occurrences; the feed
refuses a wrong token."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from dateutil.rrule import rrulestr
from icalendar import Calendar

from bot.bootstrap import App
from bot.clock import ManualClock
from bot.domain.recurrence import rule_occurrences
from bot.scheduling.calendar import export_ics
from bot.scheduling.engine import ScheduleEngine
from bot.scheduling.feed import feed_path, feed_token, mount_calendar
from tests.scheduling.helpers import say

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

TZ = ZoneInfo("Europe/Stockholm")
TIB = "tib@lansstyrelsen"


def _events(cal: Calendar) -> dict[str, Any]:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def _expand(event: Any, after: datetime, n: int) -> list[datetime]:
    start = event.decoded("dtstart")
    rule = event["rrule"].to_ical().decode()
    return list(islice(rrulestr(rule, dtstart=start).xafter(after), n))


async def _setup(app: App) -> None:
    await app.service.tick()  # standing meetings
    assert (await say(app, TIB, "aktivera samordnande oväder Snöstorm Gorm")).ok
    assert (await say(app, TIB, "konferens 14:30 var 3:e timme")).ok


async def test_ics_has_every_meeting_and_conference_with_right_occurrences(
        app: App, engine: ScheduleEngine) -> None:
    await _setup(app)
    cal = Calendar.from_ical(await export_ics(app, None))
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Stockholm"]
    events = _events(cal)
    assert set(events) == {"meeting-1@samverkansboten", "meeting-2@samverkansboten",
                           "meeting-3@samverkansboten", "conference-1@samverkansboten"}
    weekly = next(e for e in events.values() if "Veckovis" in str(e["summary"]))
    assert weekly["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=TH"
    assert weekly["dtstart"].params["TZID"] == "Europe/Stockholm"
    # Across the March 2027 change: the calendar and the bot agree, 09:00 local every time.
    after = datetime(2027, 3, 15, tzinfo=TZ)
    from_ics = _expand(weekly, after, 4)
    assert [(d.astimezone(TZ).hour, d.astimezone(TZ).weekday()) for d in from_ics] == [(9, 3)] * 4
    async with app.uow() as uow:
        meetings = {m.forum: m for m in await uow.meetings.all()}
    week = meetings["veckokonferens"]
    ours = list(islice(rule_occurrences(week.rule, TZ, after, week.anchor), 4))
    assert [d.astimezone(UTC) for d in from_ics] == ours

    monthly = next(e for e in events.values() if "chefsgruppen" in str(e["summary"]))
    days = [d.date().isoformat() for d in _expand(monthly, datetime(2027, 1, 1, tzinfo=TZ), 3)]
    assert days == ["2027-01-29", "2027-02-26", "2027-03-26"]

    conference = events["conference-1@samverkansboten"]
    assert conference["rrule"].to_ical() == b"FREQ=HOURLY;INTERVAL=3"
    assert conference.decoded("dtstart") == datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    nxt = _expand(conference, datetime(2026, 11, 23, 16, tzinfo=UTC), 2)
    assert [d.astimezone(TZ).strftime("%H:%M") for d in nxt] == ["17:30", "20:30"]


async def test_ics_for_one_forum_and_ended_series(app: App, engine: ScheduleEngine) -> None:
    await _setup(app)
    assert (await say(app, TIB, "avaktivera")).ok
    await app.service.tick()
    only = Calendar.from_ical(await export_ics(app, "samordnande"))
    events = _events(only)
    assert set(events) == {"conference-1@samverkansboten"}
    assert events["conference-1@samverkansboten"]["status"] == "CANCELLED"  # closed first
    weekly = Calendar.from_ical(await export_ics(app, "veckokonferens"))
    assert len(_events(weekly)) == 1


# (the conference, hours from 13:00 until `avaktivera`, cancelled in the calendar, UNTIL)
ENDED: list[tuple[str, int, bool, bool]] = [
    ("konferens 14:30 var 3:e timme", 0, True, False),  # closed before the first: never held
    ("konferens 14:30 var 3:e timme", 5, False, True),  # two held (14:30, 17:30), then ended
    ("konferens 14:30", 0, True, False),  # a one-off after the close
    ("konferens 14:30", 2, False, False),  # a one-off held before the close
]


@pytest.mark.parametrize("case", ENDED, ids=lambda c: f"{c[0]}-{c[1]}h")
@pytest.mark.usefixtures("engine")
async def test_conferences_end_with_the_activation_in_the_calendar(
        app: App, case: tuple[str, int, bool, bool]) -> None:
    """A conference the close came before is exported cancelled (calendars strike it out),
    never as an event whose end of repetition lies before its start."""
    planned, hours, cancelled, until = case
    assert (await say(app, TIB, "aktivera samordnande Snöstorm Gorm")).ok
    assert (await say(app, TIB, planned)).ok
    assert isinstance(app.clock, ManualClock)
    app.clock.advance(timedelta(hours=hours))
    assert (await say(app, TIB, "avaktivera")).ok
    (event,) = _events(Calendar.from_ical(await export_ics(app, "samordnande"))).values()
    assert (str(event.get("status", "")) == "CANCELLED") is cancelled
    rule = event["rrule"].to_ical().decode() if "rrule" in event else ""
    assert ("UNTIL=" in rule) is until, rule
    if until:
        held = list(rrulestr(rule, dtstart=event.decoded("dtstart")))
        assert [h.astimezone(TZ).strftime("%H:%M") for h in held] == ["14:30", "17:30"]


async def test_feed_refuses_a_wrong_token(app: App, engine: ScheduleEngine) -> None:
    await _setup(app)
    web_app = web.Application()
    mount_calendar(web_app, app)
    async with TestClient(TestServer(web_app, host="127.0.0.1")) as client:
        good = await feed_path(app, "veckokonferens")
        response = await client.get(good)
        assert response.status == 200
        assert response.content_type == "text/calendar"
        cal = Calendar.from_ical(await response.read())
        assert len(_events(cal)) == 1
        wrong = good.split("token=")[0] + "token=" + "0" * 32
        assert (await client.get(wrong)).status == 403
        assert (await client.get("/calendar/veckokonferens.ics")).status == 403
        other = good.replace("veckokonferens", "chefsgruppen")  # a token is per forum
        assert (await client.get(other)).status == 403
        assert (await client.get("/calendar/okand.ics?token=x")).status == 404
        everything = await client.get(await feed_path(app, None))
        assert everything.status == 200 and len(_events(
            Calendar.from_ical(await everything.read()))) == 4
    assert feed_token(b"a", "x") != feed_token(b"b", "x")  # the secret matters


# -- calendars agree with the bot (issue 10, item 6) -----------------------------------------
AGREE = [  # (clock, rule): the first date falls in a clock change where it can
    (datetime(2027, 3, 27, 12, 0, tzinfo=TZ), "varje söndag 02:30"),  # spring-forward gap
    (datetime(2027, 3, 27, 12, 0, tzinfo=TZ), "every sunday 02:00"),
    (datetime(2027, 3, 1, 12, 0, tzinfo=TZ), "sista söndagen i månaden 02:30"),
    (datetime(2026, 10, 24, 12, 0, tzinfo=TZ), "varje söndag 02:30"),  # the repeated hour
    (datetime(2027, 3, 27, 12, 0, tzinfo=TZ), "varannan söndag 09:00"),
    (datetime(2026, 11, 23, 12, 0, tzinfo=TZ), "första måndagen i månaden 13:00"),
]


@pytest.mark.parametrize(("now", "rule"), AGREE)
async def test_the_exported_rule_keeps_the_rules_wall_clock_time(
        app: App, engine: ScheduleEngine, now: datetime, rule: str) -> None:
    clock = app.clock
    assert isinstance(clock, ManualClock)
    clock.set(now)
    reply = await say(app, TIB, f"möte ny samordnande {rule}")
    assert reply.ok, reply.text
    async with app.uow() as uow:
        meeting = next(m for m in await uow.meetings.all()
                       if m.forum == "samordnande")
    event = _events(Calendar.from_ical(await export_ics(app, "samordnande")))[
        f"meeting-{meeting.id}@samverkansboten"]
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert (start.hour, start.minute) == (meeting.rule.hour, meeting.rule.minute)
    ours = list(islice(rule_occurrences(meeting.rule, TZ, now, meeting.anchor), 8))
    assert start.date() == ours[0].astimezone(TZ).date()
    theirs = [start, *_expand(event, start, 7)]
    assert [d.astimezone(UTC) for d in theirs] == ours  # the same instants, every week
    later = [d.astimezone(TZ) for d in ours[1:]]
    assert all((d.hour, d.minute) == (meeting.rule.hour, meeting.rule.minute) for d in later)


async def test_a_fresh_database_exports_the_standing_meetings(app: App) -> None:
    events = _events(Calendar.from_ical(await export_ics(app, None)))
    forums = {app.roster.forums_by_key[f].name for f in ("veckokonferens", "chefsgruppen")}
    summaries = " ".join(str(e["summary"]) for e in events.values())
    assert len(events) == 3 and all(name in summaries for name in forums)
    async with app.uow() as uow:  # stored, so the bot and the calendar hold the same ones
        assert len(await uow.meetings.all()) == 3


def test_export_to_standard_output_on_a_fresh_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "export", "ics", "--out", "-"],
                            capture_output=True, timeout=60, cwd=tmp_path, env=env, check=False)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    cal = Calendar.from_ical(result.stdout)
    assert len(_events(cal)) == 3
    assert not (tmp_path / "-").exists() and not (tmp_path / "samverkan.ics").exists()


async def test_exercise_conferences_are_marked(database_url: str) -> None:
    """Found by a new user: an exercise's conferences looked real in the calendar."""
    from bot.bootstrap import build_app
    from bot.settings import Settings
    from tests.scheduling.conftest import START

    live = await build_app(Settings(database_url=database_url), clock=ManualClock(START))
    try:
        assert (await say(live, TIB, "aktivera samordnande Gasläcka Kista")).ok
        assert (await say(live, TIB, "konferens #2026-001 14:30")).ok
        assert (await say(live, TIB, "övning it-störning Cyberövning")).ok
        assert (await say(live, TIB, "konferens #Ö2026-001 15:30")).ok
        events = list(Calendar.from_ical(await export_ics(live, None)).walk("VEVENT"))
    finally:
        await live.close()
    conferences = {str(e["summary"]): e for e in events if "konferens #" in str(e["summary"])}
    assert set(conferences) == {"Samverkanskonferens #2026-001 Gasläcka Kista",
                                "ÖVNING Samverkanskonferens #Ö2026-001 Cyberövning"}
    categories = {s: e["categories"].cats for s, e in conferences.items()}
    assert categories == {
        "Samverkanskonferens #2026-001 Gasläcka Kista": ["Samverkanskonferens"],
        "ÖVNING Samverkanskonferens #Ö2026-001 Cyberövning": ["Samverkanskonferens", "ÖVNING"]}
