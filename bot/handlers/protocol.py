"""The protocol of an activation: the whole record of its event, in order, as Markdown.

Every free text in it goes through `bot.texts.markup` (`inline` / `block`): what people typed
is text inside its own entry, never a heading or a list item of the protocol."""

from __future__ import annotations

from bot.domain.record import Activation, Decision, Participant, TimelineEntry
from bot.domain.roster import Mode
from bot.handlers.context import Ctx
from bot.handlers.followups import follow_ups_of
from bot.handlers.picture import report_line
from bot.handlers.resources import protocol_section
from bot.handlers.scenarios import progress, scenario_of
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


def _decision(ctx: Ctx, d: Decision, entries: list[TimelineEntry]) -> list[str]:
    forum = ctx.roster.forum(d.forum)
    mode = f" ({ctx.t('protocol.mode')})" if forum.mode is Mode.ORDINARY else ""
    out = [f"{d.number}. {block(d.text, len(f'{d.number}. '))} — {forum.name}{mode}, "
           f"{ctx.label(d.function)}, "
           f"{ctx.local(d.created_at, date=mode != '')}"]
    out += [ctx.t("protocol.followup", at=ctx.local(e.at, date=True),
                  text=block(str(e.data.get("text", e.text)), 5),
                  by=ctx.label(e.function) if e.function else "–")
            for e in follow_ups_of(entries, d.number)]
    return out


async def _checklist(ctx: Ctx, act: Activation) -> list[str]:
    progress_ = await progress(ctx, act)
    scenario = scenario_of(ctx, act)
    if progress_ is None or scenario is None:
        return []
    done = progress_[0]
    return ["", ctx.t("protocol.checklist")] + [
        f"- [{'x' if n in done else ' '}] {n}. {item}" + (f" — {done[n]}" if n in done else "")
        for n, item in enumerate(scenario.checklist, start=1)]


async def build_protocol(ctx: Ctx, act: Activation) -> str:
    forum = ctx.roster.forum(act.forum)
    activations = await ctx.uow.activations.of_event(act.event_id)
    mark = ctx.t("exercise.mark") if act.exercise else ""
    out = [
        ctx.t("protocol.title", mark=mark, id=act.id, title=inline(act.title)),
        ctx.t("protocol.meta", forum=forum.name, level=forum.level.value,
              opened=ctx.local(act.created_at, date=True),
              closed=(ctx.local(act.closed_at, date=True) if act.closed_at
                      else ctx.t("protocol.still_open")),
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
    entries = await ctx.uow.timeline.of_event(act.event_id)
    out += [line for d in decisions for line in _decision(ctx, d, entries)] or [
        ctx.t("protocol.none")]
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
    out += await attendance_section(ctx, [a.id for a in activations])
    out += await _checklist(ctx, act)
    out += ["", *await protocol_section(ctx, act)]
    out += ["", ctx.t("protocol.timeline")]
    for e in entries:
        who = ctx.name(e.person) if e.person else ctx.t("log.system")
        as_ = f" ({ctx.label(e.function)})" if e.function else ""
        out.append(f"- {ctx.local(e.at, date=True)} #{e.activation_id} [{e.kind.value}] "
                   f"{who}{as_}: {block(e.text, 2)}")
    if act.summary:
        out += ["", ctx.t("protocol.summary"), block(act.summary)]
    return "\n".join(out)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes and line breaks cannot end the cell."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


async def attendance_section(ctx: Ctx, activation_ids: list[str]) -> list[str]:
    """`## Närvaro per samverkanskonferens`: per roll call (conference occurrence) a table of
    who answered — actor, function, person, when — in the order they answered."""
    roll_calls = await ctx.uow.roll_calls.of_activations(activation_ids)
    out = ["", ctx.t("protocol.attendance")]
    if not roll_calls:
        return [*out, ctx.t("protocol.none")]
    for roll in roll_calls:
        assert roll.id is not None
        out += ["", ctx.t("protocol.conference", at=ctx.local(roll.occurrence, date=True),
                          id=roll.activation_id), ""]
        present = await ctx.uow.roll_calls.attendees(roll.id)
        if not present:
            out.append(ctx.t("protocol.nobody"))
            continue
        out += [ctx.t("protocol.attendance_head"), "|---|---|---|---|"]
        out += [f"| {_cell(ctx.actor_name(a.actor) if a.actor else '–')} "
                f"| {_cell(ctx.label(a.function) if a.function else '–')} "
                f"| {_cell(ctx.name(a.person))} | {ctx.local(a.at)} |" for a in present]
    return out
