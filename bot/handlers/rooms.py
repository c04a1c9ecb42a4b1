"""Who moderates a war room and what its topic says: shared by activation and composition."""

from __future__ import annotations

from bot.domain.record import Activation
from bot.domain.roster import Forum, FunctionRef
from bot.handlers.context import Ctx


def moderators(ctx: Ctx, act: Activation) -> list[str]:
    """The chair and Länsstyrelsen's TiB moderate the war room."""
    refs = [FunctionRef.parse(act.chair), ctx.roster.region.convener_ref]
    return list(dict.fromkeys(ctx.roster.holder(r, ctx.now) for r in refs))


def topic(ctx: Ctx, act: Activation, forum: Forum) -> str:
    return ctx.t("room.topic", forum=forum.name, level=forum.level.value,
                 chair=ctx.label(act.chair))
