"""aktivera, eskalera, avaktivera: the life of an activation."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.effects import CloseWarRoom, OpenWarRoom, RoomRef
from bot.domain.errors import Conflict, Forbidden
from bot.domain.exercises import EXERCISE_PREFIX
from bot.domain.record import Activation, ActivationStatus, EntryKind, Event
from bot.domain.roster import Forum, FunctionRef, Mode
from bot.grammar.commands import Activate, Deactivate, Escalate
from bot.grammar.words import fold
from bot.handlers.calling import (
    acting_function,
    call_functions,
    called_list,
    forum_calls,
    invite_order,
    scenario_forum,
)
from bot.handlers.conference import plan_scenario_rhythm
from bot.handlers.context import Ctx
from bot.handlers.protocol import build_protocol
from bot.handlers.rooms import moderators, topic
from bot.handlers.scenarios import checklist_text, scenario_of
from bot.handlers.types import Reply
from bot.texts.markup import inline
from bot.texts.schedule import every


async def activate(ctx: Ctx, body: Activate) -> Reply:
    """A new activation, unless the forum has an active one with the same folded title
    (Conflict "activation.duplicate" pointing to it; `--ny` goes on deliberately). The
    database's partial unique index on (forum, title_key) of active activations refuses the
    second of two simultaneous ones, which is then answered the same way."""
    forum = scenario_forum(ctx, body.forum, body.scenario)
    as_ref = acting_function(ctx, forum)
    title_key = fold(body.title)
    duplicate = await _same_title(ctx, forum, title_key)
    if duplicate is not None and not body.again:
        raise _duplicate(ctx, duplicate, forum)
    event = await ctx.uow.events.add(
        Event(None, body.title, body.scenario, ctx.now, exercise=ctx.exercise)
    )
    assert event.id is not None
    try:
        activation = await _open(ctx, forum, event_id=event.id, title=body.title,
                                 scenario=body.scenario, as_ref=as_ref, parent=None,
                                 title_key=None if duplicate else title_key)
    except Conflict as err:  # another officer's activation committed in between
        duplicate = await _same_title(ctx, forum, title_key)
        if err.code != "activation.concurrent" or duplicate is None:
            raise
        raise _duplicate(ctx, duplicate, forum) from err
    ctx.activation = activation
    reply = await _announce(ctx, activation, forum, as_ref, code="activation.opened")
    scenario = scenario_of(ctx, activation)
    if scenario is None:
        return reply
    parts = [reply.text, ctx.t("activation.scenario", scenario=scenario.name)]
    first = await plan_scenario_rhythm(ctx, activation)
    if first is not None:
        hours = scenario.conference_every_hours or 0
        parts.append(ctx.t("activation.first_conference", at=ctx.local(first),
                           every=every(ctx.lang, timedelta(hours=hours))))
    return ctx.reply_text(" ".join(parts))


async def _same_title(ctx: Ctx, forum: Forum, title_key: str) -> Activation | None:
    for other in await ctx.uow.activations.active_titled(forum.key, title_key):
        if fold(other.title) == title_key:
            return other
    return None


def _duplicate(ctx: Ctx, other: Activation, forum: Forum) -> Conflict:
    mark = ctx.t("exercise.mark") if other.exercise else ""
    return Conflict("activation.duplicate", forum=forum.name, id=other.id,
                    title=inline(other.title),
                    since=ctx.local(other.created_at), room=f"{mark}{other.id} {other.title}",
                    again=f"aktivera --ny {forum.key} {other.title}" if ctx.speaker_lang == "sv"
                    else f"activate --new {forum.key} {other.title}")


async def escalate(ctx: Ctx, body: Escalate) -> Reply:
    current = ctx.need_activation()
    row = await ctx.as_participant()
    if not await ctx.is_convener_side(row):
        raise Forbidden("auth.escalate", chair=ctx.label(current.chair))
    forum_key = body.forum or ctx.roster.forum(current.forum).escalates_to
    if forum_key is None:
        raise Conflict("activation.no_escalation", forum=ctx.roster.forum(current.forum).name)
    forum = ctx.roster.forum(forum_key)
    for other in await ctx.uow.activations.of_event(current.event_id):
        if other.forum == forum.key and other.is_active:
            raise Conflict("activation.already_active", forum=forum.name, id=other.id)
    as_ref = FunctionRef.parse(row.function)
    new = await _open(ctx, forum, event_id=current.event_id, title=current.title,
                      scenario=current.scenario, as_ref=as_ref, parent=current)
    await ctx.log(EntryKind.ESCALATED, ctx.t("log.escalated", forum=forum.name, id=new.id),
                  function=row.function, actor=row.actor, activation=current)
    ctx.post_war_room(ctx.t("room.escalated", forum=forum.name, id=new.id), current.id)
    ctx.activation = new
    return await _announce(ctx, new, forum, as_ref, code="activation.escalated", parent=current)


async def _open(
    ctx: Ctx,
    forum: Forum,
    *,
    event_id: int,
    title: str,
    scenario: str | None,
    as_ref: FunctionRef,
    parent: Activation | None,
    title_key: str | None = None,
) -> Activation:
    year = ctx.now.astimezone(ctx.tz).year
    mark = EXERCISE_PREFIX if ctx.exercise and not ctx.sandbox else ""
    activation = Activation(
        id=await ctx.uow.activations.next_id(year, mark),
        event_id=event_id,
        forum=forum.key,
        level=forum.level.value,
        title=title,
        scenario=scenario,
        status=ActivationStatus.ACTIVE,
        chair=_first_chair(ctx, forum),
        initiated_by=ctx.person,
        initiated_as=str(as_ref),
        created_at=ctx.now,
        parent_id=parent.id if parent else None,
        exercise=ctx.exercise,
        title_key=title_key,
    )
    await ctx.uow.activations.add(activation)
    return activation


def _first_chair(ctx: Ctx, forum: Forum) -> str:
    """Länsstyrelsen (the convener) leads the first meeting of an activated forum; an
    ordinary forum keeps its standing chair (the roster's `chair`), DOMAIN.md §Levels."""
    if forum.mode is Mode.ORDINARY and forum.chair:
        return forum.chair
    return str(ctx.roster.region.convener_ref)


async def _announce(
    ctx: Ctx,
    act: Activation,
    forum: Forum,
    as_ref: FunctionRef,
    *,
    code: str,
    parent: Activation | None = None,
) -> Reply:
    rows, _ = await call_functions(ctx, act, forum_calls(ctx, forum, act.scenario))
    actors = len({r.actor for r in rows})
    await ctx.log(EntryKind.ACTIVATED,
                  ctx.t("log.activated", forum=forum.name, title=act.title),
                  function=str(as_ref), actor=as_ref.actor, activation=act,
                  data={"parent": parent.id if parent else None})
    await ctx.log(EntryKind.CALLED,
                  ctx.t("log.called", n=len(rows), who=", ".join(ctx.label(r.function)
                                                                 for r in rows)),
                  function=str(as_ref), actor=as_ref.actor, activation=act,
                  data={"functions": [r.function for r in rows]})
    mark = ctx.t("exercise.mark") if act.exercise else ""
    ctx.emit(OpenWarRoom(
        activation_id=act.id,
        name=f"{mark}{act.id} {act.title}",
        topic=topic(ctx, act, forum),
        invite=invite_order(ctx.roster, act, rows),
        moderators=moderators(ctx, act),
        link_to=parent.id if parent else None,
        by=ctx.person,
        notify=[await ctx.origin_room()],
    ))
    summary = ctx.t("room.summary", mark=mark, id=act.id, title=inline(act.title),
                    forum=forum.name,
                    chair=ctx.label(act.chair), n=len(rows), actors=actors,
                    who=called_list(ctx, rows))
    ctx.post_war_room(summary, act.id)
    scenario = scenario_of(ctx, act)
    if scenario is not None and scenario.checklist:
        ctx.post_war_room(checklist_text(ctx, scenario), act.id)
    if not act.exercise or ctx.sandbox:  # an exercise in rooms never notifies standing rooms
        ctx.post(RoomRef("forum", forum.key), ctx.t("forum.notice", mark=mark, id=act.id,
                                                     title=inline(act.title), forum=forum.name,
                                                     by=ctx.label(as_ref)),
                 said_in_answer=True)  # the answer says it where the command was given
    return ctx.reply(code, mark=mark, id=act.id, title=inline(act.title), forum=forum.name,
                     n=len(rows),
                     actors=actors, chair=ctx.label(act.chair),
                     parent=parent.id if parent else "")


async def deactivate(ctx: Ctx, body: Deactivate) -> Reply:
    act = ctx.need_activation()
    row = await ctx.as_participant()
    if not await ctx.is_convener_side(row):
        raise Forbidden("auth.deactivate", chair=ctx.label(act.chair))
    await close(ctx, act, row.function, body.summary)
    return ctx.reply("activation.closed", id=act.id, title=inline(act.title))


async def close(ctx: Ctx, act: Activation, function: str, summary: str | None,
                appendix: str = "") -> None:
    """Close `act` as `function`: timeline entry, protocol (with `appendix` at its end, e.g.
    an exercise report) stored and posted by the close effect."""
    act.status = ActivationStatus.CLOSED
    act.closed_at = ctx.now
    act.summary = summary
    await ctx.log(EntryKind.CLOSED, ctx.t("log.closed", summary=summary or "–"),
                  function=function, actor=FunctionRef.parse(function).actor, activation=act)
    act.protocol = await build_protocol(ctx, act) + appendix
    await ctx.uow.activations.update(act)
    ctx.emit(CloseWarRoom(activation_id=act.id, protocol=act.protocol))
    if ctx.archive is not None:  # the same protocol as PDF, HTML and Markdown files
        links = " · ".join(f"[{fmt.upper()}]({url})"
                           for fmt, url in ctx.archive.links(act.id).items())
        ctx.post_war_room(ctx.t("protocol.files", links=links), act.id)
