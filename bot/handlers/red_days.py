"""Röda dagar in the meeting commands: the flag on a meeting that falls on a Swedish holiday
or common day off (in `möte lista`, `status` and the reminder), and `möte flytta`, which holds
one occurrence at another time (`bot.domain.red_days`, `Meeting.moves`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from bot.domain.errors import Conflict, NotFound
from bot.domain.red_days import RedOccurrence, red_occurrences
from bot.domain.schedule import MOVE_LOOKBACK, Meeting, MovedOccurrence
from bot.grammar import commands as c
from bot.grammar.commands import Lang
from bot.grammar.times import wall_time
from bot.handlers.context import Ctx
from bot.texts import t
from bot.texts.schedule import day_text, when

HORIZON = timedelta(days=92)  # how far ahead `möte lista` and `status` look for red days
MAX_OCCURRENCES = 60  # bound on the occurrences one command looks through
NEAR = timedelta(days=35)  # `möte flytta <id> <dag>` moves the occurrence nearest the day


def red_flags(lang: Lang, meeting: Meeting, tz: ZoneInfo, now: datetime) -> list[str]:
    """One line per occurrence within HORIZON that falls on a red day, with a suggestion."""
    upcoming = [at for at in islice(meeting.occurrences(tz, now), MAX_OCCURRENCES)
                if at <= now + HORIZON]
    today = now.astimezone(tz).date()
    return [flag(lang, meeting, red, tz) for red in red_occurrences(upcoming, tz, today)]


def flag(lang: Lang, meeting: Meeting, red: RedOccurrence, tz: ZoneInfo) -> str:
    """The flag line of one occurrence on a red day (always with its date)."""
    params = {"when": when(lang, red.at, tz), "name": red.name, "mid": meeting.id}
    if red.suggestion is None:
        return t(lang, "red.flag_no_suggestion", **params)
    return t(lang, "red.flag", suggestion=day_text(lang, red.suggestion),
             day=red.suggestion.isoformat(), **params)


def occurrence_flag(lang: Lang, meeting: Meeting, at: datetime, tz: ZoneInfo,
                    now: datetime) -> str:
    """The flag for the occurrence held at `at` ("" on a working day), for the reminder."""
    today = now.astimezone(tz).date()
    found = red_occurrences([at], tz, today)
    return "\n" + flag(lang, meeting, found[0], tz) if found else ""


async def move(ctx: Ctx, meeting: Meeting, body: c.MeetingMove) -> str:
    """Holds one occurrence of `meeting` at `body`'s day (and time; default the rule's) and
    stores it; returns the reply text. Refuses (NotFound/Conflict, codes `meeting.*`) a day
    with no occurrence near it, two equally near ones, a time past or beyond a neighbour."""
    tz, now = ctx.tz, ctx.now
    pairs = list(islice(meeting.held(tz, now - MOVE_LOOKBACK), MAX_OCCURRENCES))
    i = _chosen(meeting, pairs, body, tz, now)
    original, held = pairs[i]
    clock = body.to_clock or time(meeting.rule.hour, meeting.rule.minute)
    new = wall_time(body.to_day, clock, tz, None, f"{body.to_day} {clock:%H:%M}")
    if new <= now:
        raise Conflict("meeting.move_past", new=when(ctx.speaker_lang, new, tz, now))
    before = pairs[i - 1][1] if i > 0 else None
    after = pairs[i + 1][1] if i + 1 < len(pairs) else None
    if (before is not None and new <= before) or (after is not None and new >= after):
        lang = ctx.speaker_lang
        raise Conflict("meeting.move_order", new=when(lang, new, tz, now),
                       before=when(lang, before, tz, now) if before else "–",
                       after=when(lang, after, tz, now) if after else "–")
    meeting.moves = [m for m in meeting.moves if m.original != original]
    if new != original:
        meeting.moves.append(MovedOccurrence(original, new, ctx.person or None, now))
    if meeting.next_at == held:  # the cursor: the scheduler plans the new time
        meeting.next_at = new
        meeting.planned_from = max(meeting.planned_from, now)
        meeting.jobs_planned = False
    await ctx.uow.meetings.update(meeting)
    forum = ctx.roster.forums_by_key.get(meeting.forum)
    params = {"mid": meeting.id, "forum": forum.name if forum else meeting.forum,
              "new": when(ctx.lang, new, tz, now)}
    if new == original:
        return ctx.t("meeting.moved_back", **params)
    return ctx.t("meeting.moved", old=when(ctx.lang, held, tz, now), rule=meeting.rule.text,
                 flag=occurrence_flag(ctx.lang, meeting, new, tz, now), **params)


def _chosen(meeting: Meeting, pairs: list[tuple[datetime, datetime]], body: c.MeetingMove,
            tz: ZoneInfo, now: datetime) -> int:
    """The index in `pairs` of the occurrence to move (one held after `now`)."""
    upcoming = [i for i, (_o, held) in enumerate(pairs) if held > now]
    if body.from_day is not None:
        for i in upcoming:
            original, held = pairs[i]
            if body.from_day in (_day(original, tz), _day(held, tz)):
                return i
        raise NotFound("meeting.no_occurrence", mid=meeting.id, day=body.from_day.isoformat())
    near = sorted((abs(_day(pairs[i][1], tz) - body.to_day), i) for i in upcoming
                  if abs(_day(pairs[i][1], tz) - body.to_day) <= NEAR)
    if not near:
        raise NotFound("meeting.no_occurrence", mid=meeting.id, day=body.to_day.isoformat())
    if len(near) > 1 and near[0][0] == near[1][0]:
        first, second = (pairs[near[k][1]][1] for k in (0, 1))
        raise Conflict("meeting.move_which", mid=meeting.id, day=body.to_day.isoformat(),
                       first=when("sv", first, tz, now), second=when("sv", second, tz, now),
                       example=_day(first, tz).isoformat())
    return near[0][1]


def _day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()

