"""hjälp: the command list, or one command's usage and example, in the speaker's language."""

from __future__ import annotations

from bot.grammar.commands import Help
from bot.grammar.words import COMMANDS, command
from bot.handlers.context import Ctx
from bot.handlers.scenarios import scenario_lines
from bot.handlers.types import Reply


async def help_(ctx: Ctx, body: Help) -> Reply:
    lang = ctx.lang
    if body.topic == "scenarier":
        return Reply("\n".join(scenario_lines(ctx)), lang=lang, private=True)
    if body.topic is not None:
        word = command(body.topic)
        text = ctx.t("help.one", name=word.name(lang), summary=word.summary(lang),
                     usage=word.usage(lang), example=word.example(lang))
        return Reply(text, lang=lang, private=True)
    lines = [ctx.t("help.header")]
    lines += [f"- `{w.usage(lang)}` — {w.summary(lang)}" for w in COMMANDS]
    lines.append(ctx.t("help.footer"))
    return Reply("\n".join(lines), lang=lang, private=True)
