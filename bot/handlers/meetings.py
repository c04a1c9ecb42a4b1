"""möte ny|lista|stopp|flytta and ärende: the ordinary mode's recurring meetings and their agenda.

Also the wiring of the time side's commands into the service (`register`), and their lines
in `status`.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.domain.errors import Conflict, DomainError, Forbidden, NotFound
from bot.domain.exercises import in_rooms
from bot.domain.ports import UnitOfWork
from bot.domain.recurrence import Recurrence, check_rule, next_rule_occurrence
from bot.domain.roster import Forum, FunctionRef, Mode, Roster
from bot.domain.schedule import AgendaItem, Meeting
from bot.grammar import commands as c
from bot.grammar.rules import parse_rule
from bot.handlers import conference, red_days
from bot.handlers.context import Ctx
from bot.handlers.info import STATUS_SECTIONS
from bot.handlers.routes import Route
from bot.handlers.types import Reply
from bot.texts.schedule import every, when

log = logging.getLogger(__name__)


async def ensure_standing(uow: UnitOfWork, roster: Roster, tz: ZoneInfo,
                          now: datetime) -> list[Meeting]:
    """The roster's ordinary forums with a `meeting_rule` get their standing meeting the first
    time anyone looks; one stopped with `möte stopp` stays stopped. Caller commits."""
    created: list[Meeting] = []
    for forum in roster.forums:
        if forum.mode is not Mode.ORDINARY or not forum.meeting_rule:
            continue
        if await uow.meetings.standing(forum.key) is not None:
            continue
        try:
            rule = parse_rule(forum.meeting_rule)
            first = next_rule_occurrence(rule, tz, now, now)
        except (DomainError, ValueError) as err:
            log.warning("forum %s: meeting_rule %r unusable: %r", forum.key,
                        forum.meeting_rule, err)
            continue
        added = await uow.meetings.add_standing(Meeting(
            id=None, forum=forum.key, rule=rule, anchor=now, created_by=None, created_at=now,
            next_at=first, planned_from=now, standing=True))
        if added is not None:
            created.append(added)
    return created


def may_change(ctx: Ctx, forum: Forum) -> bool:
    """Members of the forum (a function it calls), those who may activate it, the convener."""
    mine = set(ctx.roster.functions_of_person.get(ctx.person, []))
    allowed = [*forum.call_refs, ctx.roster.region.convener_ref]
    allowed += [FunctionRef.parse(m) for m in forum.may_activate]
    return any(_matches(pattern, ref) for pattern in allowed for ref in mine)


def _matches(pattern: FunctionRef, ref: FunctionRef) -> bool:
    return pattern.function in ("*", ref.function) and pattern.actor in ("*", ref.actor)


def _same_rule(a: Recurrence, b: Recurrence) -> bool:
    skip = {"text"}
    return all(getattr(a, f.name) == getattr(b, f.name)
               for f in dataclasses.fields(a) if f.name not in skip)


def rule_text(rule: Recurrence) -> str:
    return rule.text or rule.freq


async def _uow(ctx: Ctx) -> UnitOfWork:
    uow = ctx.uow
    await ensure_standing(uow, ctx.roster, ctx.tz, ctx.now)
    return uow


async def meeting_new(ctx: Ctx, body: c.MeetingNew) -> Reply:
    uow = await _uow(ctx)
    forum = ctx.roster.forum(body.forum)
    if not may_change(ctx, forum):
        raise Forbidden("meeting.no_right", forum=forum.name)
    try:
        if body.rule.freq == "hourly":
            raise ValueError("a meeting needs a weekly or monthly rule")
        check_rule(body.rule)
    except ValueError:
        raise Conflict("meeting.bad_rule", rule=rule_text(body.rule)) from None
    for other in await uow.meetings.running():
        if other.forum == forum.key and _same_rule(other.rule, body.rule):
            raise Conflict("meeting.duplicate", forum=forum.name, mid=other.id,
                           rule=rule_text(other.rule))
    first = next_rule_occurrence(body.rule, ctx.tz, ctx.now, ctx.now)
    meeting = await uow.meetings.add(Meeting(
        id=None, forum=forum.key, rule=body.rule, anchor=ctx.now, created_by=ctx.person,
        created_at=ctx.now, next_at=first, planned_from=ctx.now))
    return ctx.reply("meeting.created", mid=meeting.id, forum=forum.name,
                     rule=rule_text(body.rule), next=when(ctx.lang, first, ctx.tz, ctx.now),
                     **conference.reminders(ctx))


async def meeting_list(ctx: Ctx, body: c.MeetingList) -> Reply:
    uow = await _uow(ctx)
    running = await uow.meetings.running()
    if not running:
        return ctx.reply("meeting.none")
    lines = [ctx.t("meeting.list")]
    for meeting in running:
        assert meeting.next_at is not None
        n = len(await uow.agenda.pending(meeting.forum))
        lines.append(ctx.t("meeting.line", mid=meeting.id, forum=_forum_name(ctx, meeting.forum),
                           rule=rule_text(meeting.rule),
                           next=when(ctx.lang, meeting.next_at, ctx.tz, ctx.now),
                           items=ctx.t("meeting.items", n=n) if n else ""))
        lines += red_days.red_flags(ctx.lang, meeting, ctx.tz, ctx.now)
    return Reply("\n".join(lines), lang=ctx.lang)


async def _changeable(ctx: Ctx, meeting_id: int) -> Meeting:
    """The running meeting `meeting_id`, if the speaker may change it (NotFound/Forbidden)."""
    uow = await _uow(ctx)
    meeting = await uow.meetings.get(meeting_id, lock=True)
    if meeting is None or meeting.ended:
        raise NotFound("meeting.unknown", mid=meeting_id)
    forum = ctx.roster.forums_by_key.get(meeting.forum)
    if forum is not None and not may_change(ctx, forum):
        raise Forbidden("meeting.no_right", forum=forum.name)
    return meeting


async def meeting_stop(ctx: Ctx, body: c.MeetingStop) -> Reply:
    meeting = await _changeable(ctx, body.meeting_id)
    meeting.stopped_at, meeting.jobs_planned = ctx.now, False
    await ctx.uow.meetings.update(meeting)
    return ctx.reply("meeting.stopped", mid=meeting.id, forum=_forum_name(ctx, meeting.forum),
                     rule=rule_text(meeting.rule))


async def meeting_move(ctx: Ctx, body: c.MeetingMove) -> Reply:
    """`möte flytta <id> [<från> till] <dag> [tid]`: one occurrence at another time."""
    meeting = await _changeable(ctx, body.meeting_id)
    return Reply(await red_days.move(ctx, meeting, body), lang=ctx.lang)


async def item(ctx: Ctx, body: c.Item) -> Reply:
    uow = await _uow(ctx)
    forum = body.forum or await _forum_of_room(ctx) or await _next_meeting_forum(uow)
    if forum is None:
        raise Conflict("item.which_forum")
    mine = ctx.roster.functions_of_person.get(ctx.person, [])
    await uow.agenda.add(AgendaItem(id=None, forum=forum, text=body.text, person=ctx.person,
                                    actor=mine[0].actor if mine else None, created_at=ctx.now))
    n = len(await uow.agenda.pending(forum))
    upcoming = [m.next_at for m in await uow.meetings.running()
                if m.forum == forum and m.next_at is not None]
    params: dict[str, Any] = {"n": n, "forum": _forum_name(ctx, forum), "text": body.text}
    if not upcoming:
        return ctx.reply("item.no_meeting", **params)
    return ctx.reply("item.added", next=when(ctx.lang, min(upcoming), ctx.tz, ctx.now), **params)


async def _forum_of_room(ctx: Ctx) -> str | None:
    if ctx.origin.room is None:
        return None
    bound = await ctx.uow.rooms.lookup(ctx.origin.platform, ctx.origin.room)
    if bound is not None and bound[0] == "forum":
        return bound[1]
    for forum in ctx.roster.forums:  # the console names standing rooms directly
        if ctx.origin.platform == "console" and forum.standing_room.console == ctx.origin.room:
            return forum.key
    return None


async def _next_meeting_forum(uow: UnitOfWork) -> str | None:
    running = await uow.meetings.running()
    return running[0].forum if running else None


def _forum_name(ctx: Ctx, key: str) -> str:
    forum = ctx.roster.forums_by_key.get(key)
    return forum.name if forum else key


async def status_lines(ctx: Ctx) -> list[str]:
    """Upcoming conferences of running activations and upcoming meetings, for `status`."""
    uow = await _uow(ctx)
    lines: list[str] = []
    conferences = [s for s in await uow.conferences.running() if s.next_at is not None
                   and not in_rooms(s.activation_id)]
    if conferences:
        lines.append(ctx.t("status.conferences"))
        for s in conferences[:10]:
            assert s.next_at is not None
            interval = ctx.t("conference.every", every=every(ctx.lang, s.every)) if s.every else ""
            lines.append(ctx.t("status.conference_line", id=s.activation_id,
                               when=when(ctx.lang, s.next_at, ctx.tz, ctx.now), every=interval))
    meetings = await uow.meetings.running()
    if meetings:
        lines.append(ctx.t("status.meetings"))
        for m in meetings[:10]:
            assert m.next_at is not None
            lines.append(ctx.t("status.meeting_line", forum=_forum_name(ctx, m.forum),
                               when=when(ctx.lang, m.next_at, ctx.tz, ctx.now)))
            lines += red_days.red_flags(ctx.lang, m, ctx.tz, ctx.now)
    return lines


def routes() -> dict[type[Any], Route]:
    """The time side's commands, for the service's dispatch table."""
    return {
        c.Conference: Route(conference.conference, needs_activation=True),
        c.Present: Route(conference.present, needs_activation=True),
        c.Ack: Route(conference.acknowledge_or_attend, needs_activation=True),
        c.MeetingNew: Route(meeting_new),
        c.MeetingList: Route(meeting_list),
        c.MeetingStop: Route(meeting_stop),
        c.MeetingMove: Route(meeting_move),
        c.Item: Route(item),
    }


class Routable(Protocol):
    def add_route(self, body_type: type[Any], route: Route) -> None: ...


def register(service: Routable) -> None:
    """Adds the routes to `service` and the status lines to `status` (once)."""
    for body_type, route in routes().items():
        service.add_route(body_type, route)
    if status_lines not in STATUS_SECTIONS:
        STATUS_SECTIONS.append(status_lines)
