"""status and vem: what is going on and who holds a function now."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.domain.record import Activation
from bot.domain.roster import FunctionRef
from bot.grammar.commands import Status, Who
from bot.handlers.calling import target_ref
from bot.handlers.context import Ctx
from bot.handlers.scenarios import progress
from bot.handlers.types import Reply
from bot.texts.markup import inline

StatusSection = Callable[[Ctx], Awaitable[list[str]]]

# Sections added by other parts (conferences, meetings) without the core knowing them.
STATUS_SECTIONS: list[StatusSection] = []


async def status(ctx: Ctx, body: Status) -> Reply:
    """Running activations; exercises in rooms apart, never counted among them."""
    everything = await ctx.uow.activations.active()
    active = [a for a in everything if ctx.sandbox or not a.exercise]
    drills = [a for a in everything if a not in active]
    lines = [ctx.t("status.header", n=len(active))]
    lines += [await _line(ctx, act) for act in sorted(active, key=lambda a: a.created_at)]
    if not active:
        lines.append(ctx.t("status.none"))
    if drills:
        lines.append(ctx.t("status.exercises", n=len(drills)))
        lines += [await _line(ctx, act) for act in sorted(drills, key=lambda a: a.created_at)]
    for section in STATUS_SECTIONS:
        lines += await section(ctx)
    return Reply("\n".join(lines), lang=ctx.lang)


async def _line(ctx: Ctx, act: Activation) -> str:
    rows = await ctx.uow.participants.of_activation(act.id)
    acked = sum(1 for p in rows if p.answered)
    mark = ctx.t("exercise.mark") if act.exercise else ""
    line = ctx.t("status.line", mark=mark, id=act.id, title=inline(act.title),
                 forum=ctx.roster.forum(act.forum).name, chair=ctx.label(act.chair),
                 acked=acked, n=len(rows), since=ctx.local(act.created_at, date=True))
    state = await progress(ctx, act)
    if state is None:
        return line
    return line + ctx.t("checklist.status", done=len(state[0]), total=state[1])


async def who(ctx: Ctx, body: Who) -> Reply:
    if body.target.function is None:
        actor = ctx.roster.actor(body.target.actor)
        refs = [FunctionRef(f.key, actor.key) for f in actor.functions]
        lines = [ctx.t("who.actor_header", actor=actor.name)]
    else:
        refs = [target_ref(ctx.roster, body.target)]
        lines = []
    for ref in refs:
        lines.append(_holder_line(ctx, ref))
    return Reply("\n".join(lines), lang=ctx.lang)


def _holder_line(ctx: Ctx, ref: FunctionRef) -> str:
    holder = ctx.roster.person(ctx.roster.holder(ref, ctx.now))
    deputy_key = ctx.roster.deputy(ref, ctx.now)
    deputy = ctx.roster.person(deputy_key).name if deputy_key else "–"
    handles = ", ".join(h for h in (holder.matrix_id, holder.email, holder.phone) if h)
    return ctx.t("who.line", function=ctx.label(ref), person=holder.name, handles=handles or "–",
                 deputy=deputy)
