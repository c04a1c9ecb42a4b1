"""övning, övning slut, klocka: exercises in rooms with their own war room, numbering and clock.

An exercise is started like an activation of its scenario's forum, but marked: its id is
`Ö<år>-<nr>`, every message in its rooms says ÖVNING, it never notifies the forums' standing
rooms and is never counted among real activations. Its clock (see `bot.domain.exercises`)
stands still until the exercise leader moves it with `klocka +30m`; then deadlines, reminders
and conferences of the exercise that fell due fire in order (the service runs them after
commit through its exercise tick).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.collation import swedish_key
from bot.domain.effects import RoomRef
from bot.domain.errors import Conflict, Forbidden
from bot.domain.exercises import ExerciseReport, clock_key, exercise_report
from bot.domain.record import Activation, EntryKind
from bot.grammar.commands import Activate, ClockAdvance, ExerciseEnd, ExerciseStart
from bot.handlers import activation
from bot.handlers.context import Ctx
from bot.handlers.types import Reply
from bot.texts import t


async def start(ctx: Ctx, body: ExerciseStart) -> Reply:
    """Start an exercise of `body.scenario`; the speaker becomes the exercise leader."""
    scenario = ctx.roster.scenarios_by_key[body.scenario]
    title = body.title or ctx.t("exercise.default_title", scenario=scenario.name)
    ctx.exercise = True
    try:
        reply = await activation.activate(ctx, Activate(None, body.scenario, title))
    except Conflict as err:  # an exercise has no `--ny`: another one needs another title
        if err.code == "activation.duplicate":
            err.params["again"] = t(ctx.speaker_lang, "exercise.again", scenario=scenario.key,
                                    title=f"{title} 2")
        raise
    act = ctx.need_activation()
    await ctx.uow.kv.put(clock_key(act.event_id), ctx.now.isoformat())
    ctx.post_war_room(ctx.t("exercise.started", leader=ctx.name(ctx.person),
                            at=ctx.local(ctx.now, date=True)))
    return ctx.reply_text(reply.text + " " + ctx.t("exercise.how", id=act.id))


async def exercise_now(ctx: Ctx, event_id: int) -> datetime | None:
    """The exercise clock of `event_id`, or None if it has none (a sandboxed process)."""
    stored = await ctx.uow.kv.get(clock_key(event_id))
    return None if stored is None else datetime.fromisoformat(stored)


async def _need_exercise(ctx: Ctx) -> Activation:
    act = ctx.need_activation()
    if not act.exercise:
        raise Conflict("exercise.not_exercise", id=act.id)
    return act


async def _leader(ctx: Ctx, act: Activation) -> str:
    """The exercise leader: who started the exercise (the root activation of its event)."""
    acts = await ctx.uow.activations.of_event(act.event_id)
    root = next((a for a in acts if a.parent_id is None), act)
    return root.initiated_by


async def clock(ctx: Ctx, body: ClockAdvance) -> Reply:
    """Show the exercise clock, or move it on (the exercise leader or Länsstyrelsen)."""
    act = await _need_exercise(ctx)
    if body.delta is None:
        return ctx.reply("exercise.clock_now", at=ctx.local(ctx.now, date=True), id=act.id)
    leader = await _leader(ctx, act)
    if ctx.person != leader:
        raise Forbidden("exercise.not_leader", leader=ctx.name(leader))
    new = ctx.now + body.delta
    if not ctx.sandbox:
        await ctx.uow.kv.put(clock_key(act.event_id), new.isoformat())
    params = {"delta": _delta(body.delta), "at": ctx.local(new, date=True)}
    await ctx.log(EntryKind.NOTE, ctx.t("exercise.clock_moved", **params),
                  data={"exercise_clock": new.isoformat()})
    ctx.post(RoomRef("activation", act.id), ctx.t("exercise.clock_now_at", **params),
             after_advance=True)  # in time order: after what the jump causes
    ctx.advance_to = (act.event_id, new)
    return ctx.reply("exercise.clock_moving", **params)


def _delta(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 1440 == 0:
        return f"+{minutes // 1440} d"
    return f"+{minutes // 60} h" if minutes % 60 == 0 else f"+{minutes} min"


async def end(ctx: Ctx, body: ExerciseEnd) -> Reply:
    """Close every running activation of the exercise; protocol and exercise report."""
    act = await _need_exercise(ctx)
    leader = await _leader(ctx, act)
    row = await ctx.as_participant()
    if ctx.person != leader and not await ctx.is_convener_side(row):
        raise Forbidden("exercise.not_leader", leader=ctx.name(leader))
    acts = [a for a in await ctx.uow.activations.of_event(act.event_id) if a.is_active]
    rows = [p for a in await ctx.uow.activations.of_event(act.event_id)
            for p in await ctx.uow.participants.of_activation(a.id)]
    report = render_report(ctx, exercise_report(rows))
    ctx.post_war_room(report, act.id)
    for other in sorted(acts, key=lambda a: a.id != act.id):
        await activation.close(ctx, other, row.function, body.summary, "\n\n" + report)
    return ctx.reply("exercise.ended", id=act.id, title=act.title,
                     n=len(acts), others="".join(f", #{a.id}" for a in acts if a.id != act.id))


def render_report(ctx: Ctx, report: ExerciseReport) -> str:
    """The exercise report as Markdown (times on the exercise clock)."""
    out = [ctx.t("exercise.report_title"), "", ctx.t("exercise.report_acks")]
    out += [ctx.t("exercise.report_ack", function=ctx.label(p.function),
                  person=ctx.name(p.acked_by or p.person), at=ctx.local(p.acked_at, date=True),
                  id=p.activation_id)
            for p in report.acks if p.acked_at is not None] or [ctx.t("protocol.none")]
    out += ["", ctx.t("exercise.report_actors")]
    for a in sorted(report.actors, key=lambda a: (a.delay is None, a.delay or timedelta(0),
                                                   swedish_key(ctx.actor_name(a.actor)))):
        delay = (ctx.t("exercise.report_never") if a.delay is None
                 else ctx.t("exercise.report_minutes", minutes=f"{a.delay.total_seconds() / 60:g}"))
        out.append(f"- {ctx.actor_name(a.actor)}: {delay}")
    out += ["", ctx.t("exercise.report_silent")]
    out += [f"- {ctx.label(p.function)} ({ctx.name(p.person)}, #{p.activation_id})"
            for p in report.silent] or [ctx.t("protocol.none")]
    return "\n".join(out)
