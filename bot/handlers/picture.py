"""The compiled regional lägesbild: each actor's latest report, and who has not reported."""

from __future__ import annotations

from bot.domain.record import Activation, SituationReport
from bot.handlers.context import Ctx
from bot.handlers.resources import picture_section
from bot.texts import has
from bot.texts.markup import block, inline


async def called_actors(ctx: Ctx, event_id: int) -> list[str]:
    """Actors called into any activation of the event, in the order they were called."""
    actors: dict[str, None] = {}
    for act in await ctx.uow.activations.of_event(event_id):
        for row in await ctx.uow.participants.of_activation(act.id):
            actors.setdefault(row.actor, None)
    return list(actors)


def field_label(ctx: Ctx, key: str) -> str:
    """The label of a report field as people read it (`handelse` → `Händelse`); a key from
    an older record without a text is shown as it is stored."""
    code = f"report.field.{key}"
    return ctx.t(code) if has(code) else inline(key)


def report_line(ctx: Ctx, rep: SituationReport) -> str:
    """One report as a list item; its text and fields are user text (`bot.texts.markup`)."""
    fields = "".join(f"\n  - {field_label(ctx, k)}: {block(v, 4)}" for k, v in rep.fields.items())
    return (f"- **{ctx.actor_name(rep.actor)}** ({ctx.label(rep.function)}, "
            f"{ctx.local(rep.created_at)}): {block(rep.text, 2)}{fields}")


async def compile_picture(ctx: Ctx, act: Activation) -> str:
    latest = await ctx.uow.reports.latest_per_actor(act.event_id)
    version = await ctx.uow.reports.count(act.event_id)
    reported = {r.actor for r in latest}
    missing = [a for a in await called_actors(ctx, act.event_id) if a not in reported]
    mark = ctx.t("exercise.mark") if act.exercise else ""
    lines = [ctx.t("picture.header", mark=mark, version=version, id=act.id,
                   title=inline(act.title),
                   at=ctx.local(ctx.now, date=True))]
    if latest:
        lines += [report_line(ctx, r) for r in sorted(latest, key=lambda r: r.created_at)]
    else:
        lines.append(ctx.t("picture.empty"))
    if missing:
        names = ", ".join(ctx.actor_name(a) for a in missing)
        lines.append(ctx.t("picture.missing", n=len(missing), names=names))
    else:
        lines.append(ctx.t("picture.all_reported"))
    lines += await picture_section(ctx, act)
    return "\n".join(lines)
