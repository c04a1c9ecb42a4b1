"""iCalendar export of every meeting and conference (`samverkan export ics`, the feed).

- Ordinary meetings: DTSTART in Europe/Stockholm with TZID and an RRULE (BYDAY=TH,
  BYDAY=1MO, BYDAY=-1FR), so calendars keep 09:00 at 09:00 across clock changes.
- Conferences: DTSTART in UTC with FREQ=HOURLY/MINUTELY, because their interval counts
  elapsed time ("var 3:e timme" is three real hours, also on the night the clocks change).
- Ended series get UNTIL; the VTIMEZONE comes from icalendar 7's
  `Calendar.add_missing_timezones(first_date, last_date)`, which writes the zone's transitions
  for that span from the tz database (we give it ten years ahead).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from icalendar import Calendar, Event, vRecur

from bot.domain.ports import AppCore
from bot.domain.record import Activation
from bot.domain.recurrence import rrule_text, rule_occurrences
from bot.domain.roster import Roster
from bot.domain.schedule import ConferenceSeries, Meeting
from bot.handlers.meetings import ensure_standing
from bot.texts import t

PRODID = "-//Samverkansboten//Samverkan Stockholmsregionen//SV"
MEETING_LENGTH = timedelta(hours=1)
CONFERENCE_LENGTH = timedelta(minutes=30)
ZONE_YEARS_AHEAD = 10


class CalendarApp(AppCore, Protocol):
    """What the calendar needs of the composition root: the core parts (`AppCore`)."""


async def export_ics(app: CalendarApp, forum: str | None = None) -> bytes:
    """Every meeting and conference (of `forum`, if given) as an iCalendar file (bytes,
    RFC 5545). The roster's standing meetings are in it from the start: a fresh database
    gets them here, as at the bot's first start."""
    async with app.uow() as uow:
        await ensure_standing(uow, app.roster, app.tz, app.clock.now())
        await uow.commit()
        meetings = [m for m in await uow.meetings.all() if forum in (None, m.forum)]
        conferences: list[tuple[ConferenceSeries, Activation]] = []
        for series in await uow.conferences.all():
            act = await uow.activations.get(series.activation_id)
            if act is not None and forum in (None, act.forum):
                conferences.append((series, act))
    now = app.clock.now()
    cal = _calendar(app.roster, forum)
    for meeting in meetings:
        cal.add_component(_meeting_event(app, meeting, now))
        for moved in _moved_events(app, meeting, now):
            cal.add_component(moved)
    for series, act in conferences:
        cal.add_component(_conference_event(series, act, now))
    starts = [e.decoded("dtstart") for e in cal.walk("VEVENT")]
    first = min([s.date() for s in starts], default=now.date())
    cal.add_missing_timezones(date(first.year, 1, 1),
                              date(now.year + ZONE_YEARS_AHEAD, 1, 1))
    return bytes(cal.to_ical())


def _calendar(roster: Roster, forum: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = roster.forums_by_key[forum].name if forum in roster.forums_by_key else roster.region.name
    cal.add("x-wr-calname", f"Samverkan — {name}")
    cal.add("x-wr-timezone", roster.region.timezone)
    return cal


def _meeting_event(app: CalendarApp, meeting: Meeting, now: datetime) -> Event:
    forum = app.roster.forums_by_key.get(meeting.forum)
    name = forum.name if forum else meeting.forum
    first = next(rule_occurrences(meeting.rule, app.tz, meeting.anchor - timedelta(seconds=1),
                                  meeting.anchor))
    # The rule's own wall-clock time on the first date, even when that date falls in the
    # spring-forward gap (RFC 5545 §3.3.5: a calendar reads a nonexistent local time with
    # the offset before the gap, as the bot does); DTSTART at the shifted 03:30 would make
    # every later occurrence 03:30.
    start = datetime.combine(first.astimezone(app.tz).date(),
                             time(meeting.rule.hour, meeting.rule.minute), tzinfo=app.tz)
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@samverkansboten")
    event.add("dtstamp", now)
    event.add("summary", f"{name} — möte")
    event.add("dtstart", start)
    event.add("duration", MEETING_LENGTH)
    rule = rrule_text(meeting.rule)
    if meeting.stopped_at is not None:
        rule += f";UNTIL={_utc(meeting.stopped_at)}"
    event.add("rrule", vRecur.from_ical(rule))
    room = forum.standing_room if forum else None
    where = ", ".join(r for r in (room.matrix, room.slack) if r) if room else ""
    event.add("description", f"{meeting.rule.text or rule}. Anmäl ärenden med `ärende <text>`.")
    if where:
        event.add("location", where)
    return event


def _moved_events(app: CalendarApp, meeting: Meeting, now: datetime) -> list[Event]:
    """One occurrence held at another time (`möte flytta`): an override of the series with
    RECURRENCE-ID = the rule's time and DTSTART = the new one (RFC 5545 §3.8.4.4)."""
    forum = app.roster.forums_by_key.get(meeting.forum)
    name = forum.name if forum else meeting.forum
    events = []
    for move in meeting.moves:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@samverkansboten")
        event.add("dtstamp", now)
        event.add("recurrence-id", move.original.astimezone(app.tz))
        event.add("summary", f"{name} — möte (flyttat)")
        event.add("dtstart", move.moved_to.astimezone(app.tz))
        event.add("duration", MEETING_LENGTH)
        original = move.original.astimezone(app.tz)
        event.add("description", f"Flyttat från {original:%Y-%m-%d %H:%M}. "
                                 "Anmäl ärenden med `ärende <text>`.")
        events.append(event)
    return events


def _conference_event(series: ConferenceSeries, act: Activation, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"conference-{series.id}@samverkansboten")
    event.add("dtstamp", now)
    mark = t("sv", "exercise.mark") if act.exercise else ""  # "ÖVNING " first, as in rooms
    event.add("summary", f"{mark}Samverkanskonferens #{act.id} {act.title}")
    event.add("categories", ["Samverkanskonferens", *([mark.strip()] if mark else [])])
    event.add("dtstart", series.first_at.astimezone(UTC))
    event.add("duration", CONFERENCE_LENGTH)
    end = series.cancelled_at or act.closed_at  # conferences end with the activation
    if end is not None and end <= series.first_at:
        event.add("status", "CANCELLED")  # never held: a calendar shows it struck out
    elif series.every is not None:
        rule = _interval_rule(series.every)
        if end is not None:
            rule += f";UNTIL={_utc(end)}"
        event.add("rrule", vRecur.from_ical(rule))
    event.add("description", f"Aktivering #{act.id}: {act.title}. Dagordning och upprop "
                             "postas i krisrummet när konferensen börjar.")
    return event


def _interval_rule(every: timedelta) -> str:
    minutes = int(every.total_seconds() // 60)
    if minutes % 60 == 0:
        return f"FREQ=HOURLY;INTERVAL={minutes // 60}"
    return f"FREQ=MINUTELY;INTERVAL={minutes}"


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
