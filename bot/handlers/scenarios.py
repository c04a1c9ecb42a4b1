"""klar, budskap mall, hjälp scenarier: the playbook of an activation at work.

The checklist of the activation's scenario is posted in the war room at activation; `klar 3`
ticks item 3 (a timeline entry, so `status` and the protocol show it). `budskap mall <namn>`
proposes the scenario's message template, filled in, through the ordinary approval of
common messages.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.errors import Conflict, NotFound
from bot.domain.record import Activation, EntryKind
from bot.domain.roster import Scenario
from bot.domain.scenarios import fill, find_template, ticked
from bot.grammar.commands import ChecklistDone, Propose, ProposeTemplate
from bot.handlers import messages
from bot.handlers.context import Ctx
from bot.handlers.types import Reply
from bot.texts.schedule import every


def scenario_of(ctx: Ctx, act: Activation) -> Scenario | None:
    """The playbook the activation was started with, or None."""
    return ctx.roster.scenarios_by_key.get(act.scenario or "")


def checklist_text(ctx: Ctx, scenario: Scenario, done: set[int] | None = None) -> str:
    """The checklist as posted: numbered, ticked items marked."""
    lines = [ctx.t("checklist.header", scenario=scenario.name)]
    for n, item in enumerate(scenario.checklist, start=1):
        box = "☑" if done and n in done else "☐"
        lines.append(f"{box} {n}. {item}")
    return "\n".join(lines)


async def progress(ctx: Ctx, act: Activation) -> tuple[dict[int, str], int] | None:
    """(ticked item → who and when, number of items), or None without a checklist."""
    scenario = scenario_of(ctx, act)
    if scenario is None or not scenario.checklist:
        return None
    entries = ticked(await ctx.uow.timeline.of_kind(act.event_id, EntryKind.CHECKLIST), act.id)
    by = {n: ctx.t("checklist.by", who=ctx.name(e.person or ""), at=ctx.local(e.at))
          for n, e in entries.items()}
    return by, len(scenario.checklist)


async def checklist_done(ctx: Ctx, body: ChecklistDone) -> Reply:
    """`klar <nr>`: tick item nr (1-based) once, as a called participant; bare: the list.
    Refusals: checklist.none (no scenario or checklist), checklist.no_item,
    checklist.already (with who and when)."""
    act = ctx.need_activation()
    row = await ctx.as_participant()
    scenario = scenario_of(ctx, act)
    state = await progress(ctx, act)
    if scenario is None or state is None:
        raise Conflict("checklist.none", id=act.id)
    done, total = state
    if body.number is None:
        return ctx.reply_text(checklist_text(ctx, scenario, set(done)))
    n = body.number
    if n > total:
        raise NotFound("checklist.no_item", n=n, total=total)
    if n in done:
        raise Conflict("checklist.already", n=n, by=done[n])
    item = scenario.checklist[n - 1]
    await ctx.log(EntryKind.CHECKLIST, ctx.t("log.checklist", n=n, item=item),
                  function=row.function, actor=row.actor, data={"item": n})
    ctx.post_war_room(ctx.t("checklist.ticked", n=n, item=item, by=ctx.label(row.function),
                            done=len(done) + 1, total=total))
    return ctx.reply("checklist.done", n=n, item=item, done=len(done) + 1, total=total)


async def propose_template(ctx: Ctx, body: ProposeTemplate) -> Reply:
    """`budskap mall <namn>`: propose the template filled in (local date and time), approved
    like any common message; bare: list the templates. Refusals: template.none,
    template.unknown (naming the templates there are)."""
    act = ctx.need_activation()
    scenario = scenario_of(ctx, act)
    if scenario is None or not scenario.templates:
        raise Conflict("template.none", id=act.id)
    names = ", ".join(f"`{t.key}`" for t in scenario.templates)
    if body.name is None:
        lines = [ctx.t("template.list", scenario=scenario.name)]
        lines += [f"- `{t.key}` — {t.name}: {t.text}" for t in scenario.templates]
        return ctx.reply_text("\n".join(lines))
    template = find_template(scenario, body.name)
    if template is None:
        raise NotFound("template.unknown", name=body.name, names=names)
    local = ctx.now.astimezone(ctx.tz)
    text = fill(template, {"rubrik": act.title, "forum": ctx.roster.forum(act.forum).name,
                           "datum": f"{local:%Y-%m-%d}", "tid": f"{local:%H:%M}",
                           "region": ctx.roster.region.name})
    return await messages.propose(ctx, Propose(text))


def scenario_lines(ctx: Ctx) -> list[str]:
    """`hjälp scenarier`: every playbook with what it does."""
    lines = [ctx.t("scenarios.header", n=len(ctx.roster.scenarios))]
    for sc in ctx.roster.scenarios:
        hours = sc.conference_every_hours
        rhythm = (ctx.t("scenarios.rhythm", every=every(ctx.lang, timedelta(hours=hours)))
                  if hours else "")
        forum = ctx.roster.forums_by_key.get(sc.forum)
        lines.append(ctx.t("scenarios.line", key=sc.key, name=sc.name,
                           aliases=", ".join(sc.aliases) or "–",
                           forum=forum.name if forum else sc.forum, rhythm=rhythm,
                           extra=len(sc.extra_calls), checklist=len(sc.checklist),
                           templates=", ".join(t.key for t in sc.templates) or "–"))
    lines.append(ctx.t("scenarios.footer"))
    return lines
