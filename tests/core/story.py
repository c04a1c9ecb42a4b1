"""Playing a story of the model in the terminal, in process: the console session's own
`:as`, `:room`, `:clock` lines on an exercise (sandbox) app with a simulated clock."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.platforms.console.platform import ConsolePlatform
from bot.platforms.console.session import ConsoleSession
from bot.scheduling.runtime import install_exercise_clock
from bot.settings import Settings


@dataclass
class Played:
    app: App
    out: str

    def room(self, name: str) -> list[str]:
        """The text posted in console room `name` (continuation lines joined)."""
        posts: list[str] = []
        for line in self.out.splitlines():
            if line.startswith(f"[{name}]   ") and posts:
                posts[-1] += "\n" + line[len(name) + 5:]
            elif line.startswith(f"[{name}] "):
                posts.append(line[len(name) + 3:])
        return posts


async def _lines(script: str) -> AsyncIterator[str]:
    for line in script.splitlines():
        yield line


async def play(database_url: str, start: datetime, script: str) -> Played:
    """Run `script` in a terminal exercise starting at `start`; the caller closes `app`."""
    app = await build_app(Settings(database_url=database_url), clock=ManualClock(start),
                          exercise=True)
    out = io.StringIO()
    platform = ConsolePlatform(app.roster, app.uow, out)
    app.add_platform(platform)
    install_exercise_clock(app, app.service)
    await app.service.tick()  # the standing meetings exist from the start
    await ConsoleSession(app, platform).run(_lines(script))
    await app.relay.wait_idle()
    return Played(app, out.getvalue())
