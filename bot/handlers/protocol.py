"""The protocol of an activation: the whole record of its event, in order, as Markdown.

Every free text in it goes through `bot.texts.markup` (`inline` / `block`): what people typed
is text inside its own entry, never a heading or a list item of the protocol."""

from __future__ import annotations

from bot.domain.record import Activation, Participant
from bot.handlers.context import Ctx
from bot.handlers.picture import report_line
from bot.texts.markup import block, inline


def _participant_line(ctx: Ctx, p: Participant) -> str:
    if p.acked_at:
        acked = ctx.t("protocol.acked", at=ctx.local(p.acked_at), by=ctx.name(p.acked_by or ""))
    elif p.covered_by:
        acked = ctx.t("protocol.covered", by=ctx.label(p.covered_by))
    else:
        acked = ctx.t("protocol.not_acked")
    stage = "" if p.holder is None else ctx.t("protocol.stage", stage=p.stage.value,
                                              holder=ctx.name(p.holder))
    return f"- {ctx.label(p.function)}: {ctx.name(p.person)}{stage} — {acked}"


async def build_protocol(ctx: Ctx, act: Activation) -> str:
    forum = ctx.roster.forum(act.forum)
    activations = await ctx.uow.activations.of_event(act.event_id)
    mark = ctx.t("exercise.mark") if act.exercise else ""
    out = [
        ctx.t("protocol.title", mark=mark, id=act.id, title=inline(act.title)),
        ctx.t("protocol.meta", forum=forum.name, level=forum.level.value,
              opened=ctx.local(act.created_at, date=True),
              closed=ctx.local(act.closed_at or ctx.now, date=True),
              by=ctx.name(act.initiated_by), as_=ctx.label(act.initiated_as),
              chair=ctx.label(act.chair),
              others=", ".join(f"#{a.id} ({ctx.roster.forum(a.forum).name})"
                               for a in activations if a.id != act.id) or "–"),
        "", ctx.t("protocol.participants"),
    ]
    out += [_participant_line(ctx, p) for p in await ctx.uow.participants.of_activation(act.id)]
    out += ["", ctx.t("protocol.reports")]
    reports = await ctx.uow.reports.of_event(act.event_id)
    out += [report_line(ctx, r) for r in reports] or [ctx.t("protocol.none")]
    out += ["", ctx.t("protocol.decisions")]
    decisions = await ctx.uow.decisions.of_event(act.event_id)
    out += [f"{d.number}. {block(d.text, len(f'{d.number}. '))} — "
            f"{ctx.roster.forum(d.forum).name}, {ctx.label(d.function)}, "
            f"{ctx.local(d.created_at)}" for d in decisions] or [ctx.t("protocol.none")]
    out += ["", ctx.t("protocol.commitments")]
    commitments = await ctx.uow.commitments.of_event(act.event_id)
    out += [f"- **{ctx.actor_name(c.actor)}**: {block(c.text, 2)} ({ctx.label(c.function)}, "
            f"{ctx.local(c.created_at)})" for c in commitments] or [ctx.t("protocol.none")]
    out += ["", ctx.t("protocol.messages")]
    messages = await ctx.uow.messages.of_event(act.event_id)
    if not messages:
        out.append(ctx.t("protocol.none"))
    for m in messages:
        state = (ctx.t("protocol.approved", at=ctx.local(m.approved_at)) if m.approved_at
                 else ctx.t("protocol.pending"))
        by = ", ".join(ctx.actor_name(a.actor) for a in m.approvals)
        text = block(m.text, len(f"{m.number}. "))
        out.append(f"{m.number}. \"{text}\" — {state}; {ctx.t('protocol.approvals', by=by)}")
    out += ["", ctx.t("protocol.timeline")]
    for e in await ctx.uow.timeline.of_event(act.event_id):
        who = ctx.name(e.person) if e.person else ctx.t("log.system")
        as_ = f" ({ctx.label(e.function)})" if e.function else ""
        out.append(f"- {ctx.local(e.at, date=True)} #{e.activation_id} [{e.kind.value}] "
                   f"{who}{as_}: {block(e.text, 2)}")
    if act.summary:
        out += ["", ctx.t("protocol.summary"), block(act.summary)]
    return "\n".join(out)
