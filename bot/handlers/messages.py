"""budskap and godkänn: common public messages, proposed by one actor, approved by others.

A message is approved once the chair's actor and at least one actor other than the
proposer's have approved it (the proposer's actor approves by proposing). Every approval is
kept, so the protocol shows who stands behind the message.
"""

from __future__ import annotations

from bot.domain.errors import Conflict, NotFound
from bot.domain.record import Approval, EntryKind, PublicMessage
from bot.domain.roster import FunctionRef
from bot.grammar.commands import Approve, Propose
from bot.handlers.context import Ctx
from bot.handlers.types import Reply
from bot.texts.markup import block


async def propose(ctx: Ctx, body: Propose) -> Reply:
    act = ctx.need_activation()
    row = await ctx.as_participant()
    number = len(await ctx.uow.messages.of_event(act.event_id)) + 1
    await ctx.uow.messages.add(PublicMessage(
        id=None, event_id=act.event_id, activation_id=act.id, number=number, text=body.text,
        actor=row.actor, person=ctx.person, created_at=ctx.now,
        approvals=[Approval(row.actor, ctx.person, ctx.now)],
    ))
    await ctx.log(EntryKind.MESSAGE_PROPOSED, ctx.t("log.message", n=number, text=body.text),
                  function=row.function, actor=row.actor, data={"number": number})
    ctx.post_war_room(ctx.t("room.message", n=number, text=block(body.text),
                            by=ctx.label(row.function)))
    return ctx.reply("message.proposed", n=number, id=act.id)


async def approve(ctx: Ctx, body: Approve) -> Reply:
    act = ctx.need_activation()
    row = await ctx.as_participant()
    messages = await ctx.uow.messages.of_event(act.event_id)
    msg = _pick(messages, body.number)
    if any(a.actor == row.actor for a in msg.approvals):
        raise Conflict("message.already_approved", n=msg.number, actor=ctx.actor_name(row.actor))
    msg.approvals.append(Approval(row.actor, ctx.person, ctx.now))
    chair_actor = FunctionRef.parse(act.chair).actor
    actors = {a.actor for a in msg.approvals}
    done = chair_actor in actors and bool(actors - {msg.actor})
    if done:
        msg.approved_at = ctx.now
    await ctx.uow.messages.update(msg)
    await ctx.log(EntryKind.MESSAGE_APPROVED,
                  ctx.t("log.approved", n=msg.number, actor=ctx.actor_name(row.actor)),
                  function=row.function, actor=row.actor,
                  data={"number": msg.number, "final": done})
    names = ", ".join(ctx.actor_name(a.actor) for a in msg.approvals)
    if done:
        ctx.post_war_room(ctx.t("room.message_approved", n=msg.number, text=block(msg.text),
                                actors=names))
        return ctx.reply("message.approved", n=msg.number, actors=names, id=act.id)
    return ctx.reply("message.endorsed", n=msg.number, actors=names,
                     chair=ctx.actor_name(chair_actor), id=act.id)


def _pick(messages: list[PublicMessage], number: int | None) -> PublicMessage:
    if number is not None:
        for msg in messages:
            if msg.number == number:
                return msg
        if not messages:  # nothing to list: say how to propose one
            raise NotFound("message.none_pending")
        raise NotFound("message.unknown", n=number,
                       known=", ".join(str(m.number) for m in messages))
    pending = [m for m in messages if m.approved_at is None]
    if not pending:
        raise NotFound("message.none_pending")
    if len(pending) > 1:
        raise Conflict("message.which", numbers=", ".join(str(m.number) for m in pending))
    return pending[0]
