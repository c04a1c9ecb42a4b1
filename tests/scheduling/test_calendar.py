"""The iCalendar export parses with icalendar and gives the right next occurrences; the feed
refuses a wrong token."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from dateutil.rrule import rrulestr
from icalendar import Calendar

from bot.bootstrap import App
from bot.domain.recurrence import rule_occurrences
from bot.scheduling.calendar import export_ics
from bot.scheduling.engine import ScheduleEngine
from bot.scheduling.feed import feed_path, feed_token, mount_calendar
from tests.scheduling.helpers import say

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
        meetings = {m.forum: m for m in await uow.meetings.all()}  # type: ignore[attr-defined]
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
    assert "UNTIL=" in events["conference-1@samverkansboten"]["rrule"].to_ical().decode()
    weekly = Calendar.from_ical(await export_ics(app, "veckokonferens"))
    assert len(_events(weekly)) == 1


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
