"""kalla, kvittera, ordförande: who is in the room and who leads it."""

from __future__ import annotations

from bot.domain.effects import InvitePeople, RoomRef, SetModerators, SetTopic
from bot.domain.errors import Conflict, Forbidden
from bot.domain.record import EntryKind
from bot.grammar.commands import Ack, Call, Chair
from bot.handlers.calling import call_functions, called_list, people_of, target_ref
from bot.handlers.context import Ctx
from bot.handlers.rooms import moderators, topic
from bot.handlers.types import Reply


async def call(ctx: Ctx, body: Call) -> Reply:
    act = ctx.need_activation()
    row = await ctx.as_participant()
    refs = [target_ref(ctx.roster, t) for t in body.targets]
    added, skipped = await call_functions(ctx, act, refs)
    if not added:
        raise Conflict("call.all_present", who=", ".join(ctx.label(r) for r in skipped))
    await ctx.log(EntryKind.CALLED,
                  ctx.t("log.called", n=len(added),
                        who=", ".join(ctx.label(p.function) for p in added)),
                  function=row.function, actor=row.actor,
                  data={"functions": [p.function for p in added]})
    origin = await ctx.origin_room()
    notify = [] if origin == RoomRef("activation", act.id) else [origin]
    ctx.emit(InvitePeople(activation_id=act.id, people=people_of(added), by=ctx.person,
                          notify=notify))
    ctx.post_war_room(ctx.t("room.called", by=ctx.label(row.function),
                            who=called_list(ctx, added)))
    already = ", ".join(ctx.label(r) for r in skipped)
    return ctx.reply("call.done", n=len(added), id=act.id,
                     who=", ".join(ctx.label(p.function) for p in added),
                     already=ctx.t("call.already", who=already) if skipped else "")


async def acknowledge(ctx: Ctx, body: Ack) -> Reply:
    act = ctx.need_activation()
    await ctx.as_participant()
    # The speaker's own unanswered rows: those assigned to them now, and those they held
    # before an escalation passed them on (a late answer still counts and stops the chase).
    open_rows = [p for p in await ctx.my_rows() if not p.answered]
    if not open_rows:
        return ctx.reply("ack.already", id=act.id)
    for row in open_rows:
        row.acked_at, row.acked_by, row.deadline = ctx.now, ctx.person, None
        await ctx.uow.participants.update(row)
        await ctx.log(EntryKind.ACKED, ctx.t("log.acked", function=ctx.label(row.function)),
                      function=row.function, actor=row.actor)
    labels = ", ".join(ctx.label(p.function) for p in open_rows)
    rows = await ctx.participants()
    missing = sum(1 for p in rows if not p.answered)
    return ctx.reply("ack.done", id=act.id, functions=labels, missing=missing)


async def chair(ctx: Ctx, body: Chair) -> Reply:
    """Hands the chair to a called function. Only the current chair and Länsstyrelsen may:
    the chair is decided at the meeting and Länsstyrelsen convenes (the regional model).
    Errors: `auth.not_participant`, `auth.chair` (Forbidden); `chair.not_called`,
    `chair.same` (Conflict)."""
    act = ctx.need_activation()
    row = await ctx.as_participant()
    if not await ctx.is_convener_side(row):
        raise Forbidden("auth.chair", chair=ctx.label(act.chair))
    ref = target_ref(ctx.roster, body.target)
    called = {p.function for p in await ctx.participants()}
    if str(ref) not in called:
        raise Conflict("chair.not_called", who=ctx.label(ref))
    if str(ref) == act.chair:
        raise Conflict("chair.same", who=ctx.label(ref))
    before = act.chair
    act.chair = str(ref)
    await ctx.uow.activations.update(act)
    await ctx.log(EntryKind.CHAIR,
                  ctx.t("log.chair", before=ctx.label(before), after=ctx.label(ref)),
                  function=row.function, actor=row.actor, data={"from": before, "to": str(ref)})
    forum = ctx.roster.forum(act.forum)
    ctx.emit(SetModerators(activation_id=act.id, moderators=moderators(ctx, act)))
    ctx.emit(SetTopic(activation_id=act.id, topic=topic(ctx, act, forum)))
    ctx.post_war_room(ctx.t("room.chair", who=ctx.label(ref)))
    return ctx.reply("chair.done", id=act.id, who=ctx.label(ref))
