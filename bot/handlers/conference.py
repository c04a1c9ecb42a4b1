"""konferens and närvarande: samverkanskonferenser of an activation and their roll call.

A handler only records the series; reminders, the agenda and the roll call are posted by
the time side when they fall due (bot.scheduling), whatever process is the leader then.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.domain.errors import Conflict
from bot.domain.ports import UnitOfWork
from bot.domain.record import Activation, EntryKind
from bot.domain.roster import FunctionRef
from bot.domain.schedule import Attendance, ConferenceSeries, RollCall
from bot.grammar.commands import Ack, Conference, Present
from bot.handlers.composition import acknowledge
from bot.handlers.context import Ctx
from bot.handlers.types import Reply
from bot.texts.schedule import every, when

MIN_INTERVAL = timedelta(minutes=30)
ROLL_CALL_OPEN = timedelta(hours=3)  # how long after its start a conference takes answers
LIST_MAX = 5
RHYTHM_LEAD = timedelta(minutes=30)


def reminders(ctx: Ctx) -> dict[str, Any]:
    """The roster's reminder minutes as text params: `reminders` `15 och 5` / `15 and 5`, and
    `last` (5), the count the word minut/minuter agrees with."""
    minutes = sorted(ctx.roster.region.reminder_minutes, reverse=True)
    values = [str(m) for m in minutes]
    joiner = " och " if ctx.lang == "sv" else " and "
    text = joiner.join([", ".join(values[:-1]), values[-1]]) if len(values) > 1 else "".join(values)
    return {"reminders": text, "last": minutes[-1] if minutes else 0}


def _every(ctx: Ctx, interval: timedelta | None) -> str:
    return ctx.t("conference.every", every=every(ctx.lang, interval)) if interval else ""


async def conference(ctx: Ctx, body: Conference) -> Reply:
    act = ctx.need_activation()
    uow = ctx.uow
    if body.at is None:
        return await _upcoming(ctx, uow, everything=body.everything)
    row = await ctx.as_participant()
    at = body.at.replace(second=0, microsecond=0)  # `om 2 timmar` means the whole minute
    at_text = when(ctx.lang, at, ctx.tz, ctx.now)
    refused_at = when(ctx.speaker_lang, at, ctx.tz, ctx.now)
    if at <= ctx.now:
        raise Conflict("conference.past", when=refused_at)
    if body.every is not None and body.every < MIN_INTERVAL:
        raise Conflict("conference.too_often", every=every(ctx.speaker_lang, body.every),
                       minimum=int(MIN_INTERVAL.total_seconds() // 60))
    for series in await uow.conferences.of_activation(act.id):
        if series.next_at == at:
            raise Conflict("conference.duplicate", when=refused_at, id=act.id)
    series = await uow.conferences.add(ConferenceSeries(
        id=None, activation_id=act.id, first_at=at, every=body.every,
        created_by=ctx.person, created_at=ctx.now, next_at=at, planned_from=ctx.now))
    interval = _every(ctx, body.every)
    await ctx.log(EntryKind.CONFERENCE, ctx.t("conference.log", when=at_text, every=interval),
                  function=row.function, actor=row.actor,
                  data={"conference": series.id, "at": at.isoformat(),
                        "every_seconds": int(body.every.total_seconds()) if body.every else None})
    ctx.post_war_room(ctx.t("conference.planned_room", when=at_text, every=interval,
                            by=ctx.label(row.function)))
    return ctx.reply("conference.planned", id=act.id, when=at_text, every=interval,
                     **reminders(ctx))


async def plan_scenario_rhythm(ctx: Ctx, act: Activation) -> datetime | None:
    """The scenario's conference rhythm (`conference_every_hours`), for the activation handler
    to call: the first samverkanskonferens at the first quarter hour at least 30 minutes
    ahead, then every N hours. Returns the first time (for the reply), or None."""
    scenario = ctx.roster.scenarios_by_key.get(act.scenario or "")
    if scenario is None or not scenario.conference_every_hours:
        return None
    soonest = (ctx.now + RHYTHM_LEAD).replace(second=0, microsecond=0)
    first = soonest + timedelta(minutes=-soonest.minute % 15)
    await ctx.uow.conferences.add(ConferenceSeries(
        id=None, activation_id=act.id, first_at=first,
        every=timedelta(hours=scenario.conference_every_hours), created_by=ctx.person,
        created_at=ctx.now, next_at=first, planned_from=ctx.now))
    return first


async def _upcoming(ctx: Ctx, uow: UnitOfWork, *, everything: bool) -> Reply:
    """The next conference of each series, soonest first: the first LIST_MAX, or all with
    `konferens alla`; a shortened list says how many more there are and how to see them."""
    act = ctx.need_activation()
    running = await uow.conferences.of_activation(act.id)
    if not running:
        return ctx.reply("conference.none", id=act.id)
    lines = [ctx.t("conference.list", id=act.id)]
    upcoming = sorted((s.next_at, s) for s in running if s.next_at is not None)
    shown = upcoming if everything else upcoming[:LIST_MAX]
    for next_at, series in shown:
        lines.append(ctx.t("conference.line", when=when(ctx.lang, next_at, ctx.tz, ctx.now),
                           every=_every(ctx, series.every)))
    if len(upcoming) > len(shown):
        lines.append(ctx.t("conference.more", n=len(upcoming) - len(shown), id=act.id))
    return Reply("\n".join(lines), lang=ctx.lang, activation_id=act.id)


async def present(ctx: Ctx, body: Present) -> Reply:
    act = ctx.need_activation()
    roll = await open_roll_call(ctx)
    if roll is None:
        raise Conflict("present.no_roll_call", id=act.id)
    at_text = when(ctx.lang, roll.occurrence, ctx.tz, ctx.now)
    who = await attend(ctx, roll)
    if who is None:
        return ctx.reply("present.already", when=at_text, id=act.id)
    return ctx.reply("present.done", when=at_text, id=act.id, who=who)


async def acknowledge_or_attend(ctx: Ctx, body: Ack) -> Reply:
    """`kvittera` also answers a running roll call, as the conference's agenda says."""
    reply = await acknowledge(ctx, body)
    roll = await open_roll_call(ctx)
    if roll is None:
        return reply
    who = await attend(ctx, roll)
    if who is None:
        return reply
    extra = ctx.t("present.done", when=when(ctx.lang, roll.occurrence, ctx.tz, ctx.now),
                  id=roll.activation_id, who=who)
    return Reply(f"{reply.text}\n{extra}", ok=reply.ok, lang=reply.lang,
                 mentions=reply.mentions, private=reply.private,
                 activation_id=reply.activation_id)


async def open_roll_call(ctx: Ctx) -> RollCall | None:
    act = ctx.need_activation()
    roll = await ctx.uow.roll_calls.latest(act.id)
    if roll is None or not roll.occurrence <= ctx.now <= roll.occurrence + ROLL_CALL_OPEN:
        return None
    return roll


async def attend(ctx: Ctx, roll: RollCall) -> str | None:
    """Records the speaker at `roll` with the functions they answer for; None if already
    recorded. Returns who, as which functions, for the reply."""
    assert roll.id is not None
    refs = [FunctionRef.parse(p.function) for p in await ctx.my_rows()]
    if not refs:
        refs = list(ctx.roster.functions_of_person.get(ctx.person, []))
    first = refs[0] if refs else None
    recorded = await ctx.uow.roll_calls.attend(Attendance(
        id=None, roll_call_id=roll.id, activation_id=roll.activation_id, person=ctx.person,
        function=str(first) if first else None, actor=first.actor if first else None,
        at=ctx.now))
    if not recorded:
        return None
    labels = ", ".join(dict.fromkeys(ctx.label(r) for r in refs))
    who = f"{ctx.name(ctx.person)} ({labels})" if labels else ctx.name(ctx.person)
    at_text = when("sv", roll.occurrence, ctx.tz)
    await ctx.log(EntryKind.ATTENDANCE, ctx.t("present.log", when=at_text, who=who),
                  function=str(first) if first else None, actor=first.actor if first else None,
                  data={"roll_call": roll.id, "occurrence": roll.occurrence.isoformat(),
                        "functions": [str(r) for r in refs]})
    return who
