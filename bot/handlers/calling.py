"""Calling functions into an activation: by function and mandate, resolved to current holders."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.errors import Forbidden, NotFound
from bot.domain.record import Activation, Participant, Stage
from bot.domain.roster import Forum, FunctionRef, Level, Roster
from bot.grammar.commands import Target
from bot.handlers.context import Ctx


def duty_function(roster: Roster, actor: str) -> FunctionRef:
    """An actor called without a function: its 24/7 fallback, else its first function."""
    a = roster.actor(actor)
    return FunctionRef(a.fallback or a.functions[0].key, actor)


def target_ref(roster: Roster, target: Target) -> FunctionRef:
    if target.function is None:
        return duty_function(roster, target.actor)
    return FunctionRef(target.function, target.actor)


def forum_calls(ctx: Ctx, forum: Forum, scenario: str | None) -> list[FunctionRef]:
    """The forum's composition, the scenario's extra calls and always the convener (TiB)."""
    refs = [ctx.roster.region.convener_ref, *forum.call_refs]
    if scenario is not None:
        for extra in ctx.roster.scenarios_by_key[scenario].extra_calls:
            if "@" in extra:
                refs.append(FunctionRef.parse(extra))
            else:
                refs.append(duty_function(ctx.roster, extra))
    return list(dict.fromkeys(refs))


async def call_functions(
    ctx: Ctx, activation: Activation, refs: list[FunctionRef]
) -> tuple[list[Participant], list[FunctionRef]]:
    """Adds a row per function not yet called; returns (new rows, refs already called)."""
    existing = {p.function for p in await ctx.uow.participants.of_activation(activation.id)}
    rows: list[Participant] = []
    skipped: list[FunctionRef] = []
    for ref in refs:
        if str(ref) in existing:
            skipped.append(ref)
            continue
        existing.add(str(ref))
        minutes = ctx.roster.ack_minutes(ref)
        row = Participant(
            id=None,
            activation_id=activation.id,
            function=str(ref),
            actor=ref.actor,
            person=ctx.roster.holder(ref, ctx.now),
            stage=Stage.HOLDER,
            called_at=ctx.now,
            deadline=ctx.now + timedelta(minutes=minutes),
            called_by=ctx.person,
        )
        if row.person == ctx.person:  # whoever calls has obviously been reached
            row.acked_at, row.acked_by, row.deadline = ctx.now, ctx.person, None
        rows.append(row)
    return await ctx.uow.participants.add_many(rows), skipped


def acting_function(ctx: Ctx, forum: Forum) -> FunctionRef:
    """The function whose mandate lets the speaker activate `forum`, or a refusal saying why."""
    mine = ctx.roster.functions_of_person.get(ctx.person, [])
    if forum.may_activate:
        allowed = [ref for ref in mine if any(_matches(ref, rule) for rule in forum.may_activate)]
    else:
        allowed = [ref for ref in mine if Level(forum.level) in ctx.roster.function(ref).mandate]
    if not allowed:
        raise Forbidden(
            "auth.no_mandate",
            forum=forum.name,
            functions=", ".join(ctx.label(r) for r in mine) or "–",
        )
    held_now = [r for r in allowed if ctx.roster.holder(r, ctx.now) == ctx.person]
    return (held_now or allowed)[0]


def _matches(ref: FunctionRef, rule: str) -> bool:
    want = FunctionRef.parse(rule)
    return want.function in ("*", ref.function) and want.actor in ("*", ref.actor)


def scenario_forum(ctx: Ctx, forum: str | None, scenario: str | None) -> Forum:
    if forum is not None:
        return ctx.roster.forum(forum)
    if scenario is None:
        raise NotFound("activation.no_forum")
    return ctx.roster.forum(ctx.roster.scenarios_by_key[scenario].forum)


def people_of(rows: list[Participant]) -> list[str]:
    return list(dict.fromkeys(p.person for p in rows))


def called_list(ctx: Ctx, rows: list[Participant]) -> str:
    return "\n".join(f"- {ctx.label(p.function)}: <@{p.person}>" for p in rows)
