"""läge, lägesbild, beslut, åtagande, logg: the shared record of an event."""

from __future__ import annotations

from bot.domain.errors import Forbidden
from bot.domain.record import Commitment, Decision, EntryKind, SituationReport
from bot.grammar.commands import Commit, Decide, Log, Picture, Report
from bot.handlers.context import Ctx
from bot.handlers.picture import called_actors, compile_picture
from bot.handlers.types import Reply
from bot.texts.markup import block, inline


async def report(ctx: Ctx, body: Report) -> Reply:
    act = ctx.need_activation()
    row = await ctx.as_participant()
    await ctx.uow.reports.add(SituationReport(
        id=None, event_id=act.event_id, activation_id=act.id, actor=row.actor,
        person=ctx.person, function=row.function, text=body.text, created_at=ctx.now,
        fields=dict(body.fields),
    ))
    await ctx.log(EntryKind.REPORT, body.text, function=row.function, actor=row.actor,
                  data={"fields": dict(body.fields)} if body.fields else None)
    version = await ctx.uow.reports.count(act.event_id)
    return ctx.reply("report.done", actor=ctx.actor_name(row.actor), version=version, id=act.id)


async def picture(ctx: Ctx, body: Picture) -> Reply:
    act = ctx.need_activation()
    await ctx.as_participant()
    return Reply(await compile_picture(ctx, act), lang=ctx.lang, activation_id=act.id)


async def decide(ctx: Ctx, body: Decide) -> Reply:
    act = ctx.need_activation()
    row = await ctx.as_participant()
    number = len(await ctx.uow.decisions.of_event(act.event_id)) + 1
    await ctx.uow.decisions.add(Decision(
        id=None, event_id=act.event_id, activation_id=act.id, forum=act.forum, number=number,
        text=body.text, person=ctx.person, function=row.function, created_at=ctx.now,
    ))
    forum = ctx.roster.forum(act.forum).name
    await ctx.log(EntryKind.DECISION, ctx.t("log.decision", n=number, forum=forum, text=body.text),
                  function=row.function, actor=row.actor, data={"number": number})
    return ctx.reply("decision.done", n=number, forum=forum, id=act.id)


async def commit(ctx: Ctx, body: Commit) -> Reply:
    """Records a commitment for the speaker's own actor (each actor decides in its own
    organisation, DOMAIN.md). Only the chair and Länsstyrelsen, who document the meeting, may
    name another called actor. Errors: `commit.own_actor` (Forbidden) for anyone else naming
    another actor, `commit.actor_not_called` (Forbidden) for an actor not called."""
    act = ctx.need_activation()
    row = await ctx.as_participant()
    actor = body.actor or row.actor
    if actor != row.actor:
        if not await ctx.is_convener_side(row):
            raise Forbidden("commit.own_actor", own=ctx.actor_name(row.actor),
                            actor=ctx.actor_name(actor))
        if actor not in await called_actors(ctx, act.event_id):
            raise Forbidden("commit.actor_not_called", actor=ctx.actor_name(actor))
    await ctx.uow.commitments.add(Commitment(
        id=None, event_id=act.event_id, activation_id=act.id, actor=actor, text=body.text,
        person=ctx.person, function=row.function, created_at=ctx.now,
    ))
    await ctx.log(EntryKind.COMMITMENT,
                  ctx.t("log.commitment", actor=ctx.actor_name(actor), text=body.text),
                  function=row.function, actor=row.actor, data={"actor": actor})
    return ctx.reply("commit.done", actor=ctx.actor_name(actor), id=act.id)


async def log(ctx: Ctx, body: Log) -> Reply:
    act = ctx.need_activation()
    await ctx.as_participant()
    entries = await ctx.uow.timeline.last(act.event_id, body.n)
    lines = [ctx.t("log.header", id=act.id, title=inline(act.title), n=len(entries))]
    for e in entries:
        who = ctx.name(e.person) if e.person else ctx.t("log.system")
        as_ = f" ({ctx.label(e.function)})" if e.function else ""
        lines.append(f"- {ctx.local(e.at)} #{e.activation_id} {who}{as_}: {block(e.text, 2)}")
    return Reply("\n".join(lines), lang=ctx.lang, activation_id=act.id)
