"""uppföljning: the follow-up of a decision, e.g. at a later ordinary meeting.

Ordinary mode (DOMAIN.md story 1) keeps its record the same way as activated mode: a matter
that a forum takes on is an event, each forum that handles it (samordningsgruppen, then the
regional chefsgrupp) an activation of that ordinary forum, and its decisions are decisions of
that forum (whose level and mode the roster gives). A follow-up is an append-only timeline
entry that names the decision it follows up; the protocol lists it under the decision.
"""

from __future__ import annotations

from bot.domain.errors import NotFound
from bot.domain.record import EntryKind, TimelineEntry
from bot.grammar.commands import FollowUp
from bot.handlers.context import Ctx
from bot.handlers.types import Reply


async def follow_up(ctx: Ctx, body: FollowUp) -> Reply:
    """Record how decision `body.number` of the event is carried out."""
    act = ctx.need_activation()
    row = await ctx.as_participant()
    decisions = {d.number: d for d in await ctx.uow.decisions.of_event(act.event_id)}
    decision = decisions.get(body.number)
    if decision is None:
        raise NotFound("followup.no_decision", n=body.number, count=len(decisions))
    forum = ctx.roster.forum(decision.forum).name
    await ctx.log(EntryKind.FOLLOW_UP,
                  ctx.t("log.followup", n=body.number, forum=forum, text=body.text),
                  function=row.function, actor=row.actor,
                  data={"decision": body.number, "forum": act.forum, "text": body.text})
    ctx.post_war_room(ctx.t("room.followup", n=body.number, decision=decision.text,
                            text=body.text, by=ctx.label(row.function)))
    return ctx.reply("followup.done", n=body.number, id=act.id)


def follow_ups_of(entries: list[TimelineEntry], number: int) -> list[TimelineEntry]:
    """The follow-ups of decision `number` among an event's timeline entries, in order."""
    return [e for e in entries
            if e.kind is EntryKind.FOLLOW_UP and e.data.get("decision") == number]
