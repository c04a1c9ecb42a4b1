"""The composition root: the one place where the bot is built from Settings.

Nothing here runs at import time; `build_app` does the work when called.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import SystemClock
from bot.domain.ports import ChatPlatform, Clock, UnitOfWorkFactory
from bot.domain.roster import Roster
from bot.handlers import meetings
from bot.handlers.bridge import Bridge
from bot.handlers.service import CommandService
from bot.outbox import OutboxRelay
from bot.roster.loader import default_roster_path, load_roster
from bot.scheduling.runtime import install_exercise_hook
from bot.settings import Settings
from storage.database import make_engine
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWorkFactory

if TYPE_CHECKING:
    from bot.platforms.matrix.platform import MatrixPlatform
    from bot.platforms.slack.platform import SlackPlatform


@dataclass
class App:
    settings: Settings
    roster: Roster
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    clock: Clock
    tz: ZoneInfo
    service: CommandService
    relay: OutboxRelay
    bridge: Bridge
    closers: list[object] = field(default_factory=list)

    @property
    def platforms(self) -> list[ChatPlatform]:
        return self.relay.platforms

    def add_platform(self, platform: ChatPlatform) -> None:
        self.relay.platforms.append(platform)

    def platform_names(self) -> list[str]:
        """The names of the platforms the outbox performs effects on (the bridge's peers)."""
        return [p.name for p in self.relay.platforms]

    async def close(self) -> None:
        self.relay.stop_waking()
        try:
            await self.relay.wait_idle()
        finally:
            await self.engine.dispose()


async def build_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    roster: Roster | None = None,
    exercise: bool = False,
    migrate: bool = True,
) -> App:
    """Validate settings and roster, migrate the database, wire the core. A broken roster or
    half-configured platform raises here, so the bot never starts on bad configuration."""
    settings.check()
    roster = roster or load_roster(settings.roster or default_roster_path(), settings.scenarios)
    tz = ZoneInfo(settings.timezone)
    if migrate:
        await upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    uow = SqlUnitOfWorkFactory(engine)  # the core's repositories + the schedule's
    relay = OutboxRelay(uow)
    try:
        await relay.prepare()  # items a crashed process left pending are performed as repeats
    except BaseException:
        await engine.dispose()  # no connection left open behind a start that failed
        raise
    clock = clock or SystemClock()
    service = CommandService(roster=roster, uow=uow, clock=clock, tz=tz, relay=relay,
                             exercise=exercise)
    meetings.register(service)  # konferens, närvarande, möte, ärende
    app = App(settings=settings, roster=roster, engine=engine, uow=uow, clock=clock, tz=tz,
              service=service, relay=relay, bridge=Bridge(roster, uow, relay.kick))
    install_exercise_hook(app, service)  # exercises in rooms run on their own clock
    return app


def matrix_platform(app: App, **options: Any) -> MatrixPlatform:
    """The Matrix adapter for a built App (settings.matrix, roster, database, service);
    `options` go to `MatrixPlatform` (e.g. `poll_timeout_ms`). The caller starts it."""
    from bot.platforms.matrix.platform import MatrixPlatform

    platform = MatrixPlatform(app.settings.matrix, app.roster, app.uow, app.service,
                              kick=app.relay.kick, **options)
    platform.bridge_in, platform.peers_fn = app.bridge, app.platform_names
    return platform


def slack_platform(app: App) -> SlackPlatform | None:
    """The Slack adapter for a built App, registered with its outbox relay; None when Slack
    is not configured. The caller adds the routes to its aiohttp app and calls start()."""
    if not app.settings.slack.enabled:
        return None
    from bot.platforms.slack.platform import SlackPlatform

    platform = SlackPlatform(app.settings.slack, app.service, app.uow)
    platform.bridge_in, platform.peers_fn = app.bridge, app.platform_names
    app.add_platform(platform)
    return platform
