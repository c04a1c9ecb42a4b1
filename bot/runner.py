"""`samverkan run`: start every configured platform; with none, the terminal chat."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings


async def run(settings: Settings) -> int:
    settings.check()
    if not settings.matrix.enabled and not settings.slack.enabled:
        from bot.cli import console

        return await console(settings, exercise=False, start=None)
    raise NotImplementedError("platform runner is wired in by the Matrix/Slack integration")


async def export_ics(settings: Settings, forum: str | None, out: Path) -> int:
    raise NotImplementedError("calendar export comes with the scheduling integration")
