"""Running the bot: `samverkan run` (every configured platform, the HTTP server, and — in the
leader only — the scheduler, the Matrix sync and the outbox), the terminal chat (also what
`run` starts when no platform is configured), and exports.

`bot.cli` parses the command line and calls in here; nothing here imports `bot.cli`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from bot.bootstrap import App, build_app, matrix_platform, slack_platform
from bot.domain.errors import DomainError
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.platforms.matrix.platform import MatrixPlatform
    from bot.scheduling.runtime import SchedulingRuntime
    from bot.watchers.runtime import WatcherRuntime

log = logging.getLogger(__name__)


class SchedulerSeat:
    """The scheduler of the process that holds leadership: a fresh runtime per election."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.runtime: SchedulingRuntime | None = None

    async def elected(self) -> None:
        from bot.scheduling.runtime import SchedulingRuntime
        from storage.database import sync_url

        runtime = SchedulingRuntime(self.app, self.app.service,
                                    sync_url(self.app.settings.database_url))
        await runtime.start()
        self.runtime = runtime

    async def lost(self) -> None:
        if self.runtime is not None:
            runtime, self.runtime = self.runtime, None
            await runtime.close()


class Leader(SchedulerSeat):
    """What only the leader runs: the scheduler, the Matrix sync, the outbox relay and the
    watchers of public warnings (SMHI, VMA, Krisinformation)."""

    def __init__(self, app: App, matrix: MatrixPlatform | None) -> None:
        from bot.watchers.runtime import WatcherRuntime

        super().__init__(app)
        self.matrix = matrix
        self.poller: asyncio.Task[None] | None = None
        self.watchers: WatcherRuntime = WatcherRuntime(app, app.settings.watchers)

    async def elected(self) -> None:
        log.info("elected leader: scheduler, Matrix sync, outbox and watchers run here")
        await super().elected()
        if self.matrix is not None:
            await self.matrix.start()
        self.app.relay.active = True
        self.poller = asyncio.create_task(self.app.relay.poll(), name="outbox-poll")
        await self.watchers.start()

    async def lost(self) -> None:
        log.warning("leadership ended: stopping scheduler, Matrix sync, outbox and watchers")
        await self.watchers.close()
        self.app.relay.active = False
        if self.poller is not None:
            self.poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.poller
            self.poller = None
        if self.matrix is not None:
            await self.matrix.stop()
        await super().lost()


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def run(settings: Settings) -> int:
    settings.check()
    if not settings.matrix.enabled and not settings.slack.enabled:
        return await console(settings, exercise=False, start=None)
    return await serve(settings)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> int:
    from bot.archive.serve import mount_protocols, protocol_links
    from bot.http import make_web_app
    from bot.scheduling.feed import mount_calendar
    from storage.leadership import leadership

    app = await build_app(settings)
    app.relay.active = False  # until elected
    web_app = make_web_app(app)
    mount_calendar(web_app, app)
    mount_protocols(web_app, app)
    app.service.archive = await protocol_links(app, settings.public_base_url)
    slack = slack_platform(app)
    if slack is not None:
        slack.add_routes(web_app)
    matrix = matrix_platform(app) if settings.matrix.enabled else None
    if matrix is not None:
        app.add_platform(matrix)
    runner = web.AppRunner(web_app)
    await runner.setup()
    await web.TCPSite(runner, settings.http_host, settings.http_port).start()
    leader = Leader(app, matrix)
    election = asyncio.create_task(
        leadership(settings.database_url).run(leader.elected, leader.lost), name="leadership")
    try:
        if slack is not None:
            await slack.start()
        log.info("Samverkansboten runs on http://%s:%s", settings.http_host, settings.http_port)
        stopping = asyncio.create_task((stop or _stop_event()).wait())
        await asyncio.wait({election, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if election.done():
            election.result()  # e.g. AlreadyRunning: a second process on one SQLite file
    finally:
        election.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await election
        await leader.lost()
        if slack is not None:
            await slack.stop()
        await runner.cleanup()
        await app.close()
    return 0


async def export_ics(settings: Settings, forum: str | None, out: Path) -> int:
    """`samverkan export ics`: the calendar to the file `out`, or to standard output when
    `out` is `-` (then nothing else is printed there). `forum` is read as in commands (key,
    name or alias, any case; `alla` or None: every forum); an unknown one is 2 with the
    refusal's line on stderr."""
    from bot.grammar.names import Names
    from bot.grammar.words import fold
    from bot.handlers.service import render_error
    from bot.scheduling.calendar import export_ics as build_ics
    from bot.scheduling.feed import ALL

    app = await build_app(settings)
    try:
        try:
            every = forum is None or fold(forum) in (ALL, "all")  # as the feed's `alla`
            key = None if every else Names(app.roster).forum(str(forum))
        except DomainError as err:
            print(render_error(err, "sv"), file=sys.stderr)
            return 2
        data = await build_ics(app, key)
        if str(out) == "-":
            await asyncio.to_thread(_to_stdout, data)
            return 0
        await asyncio.to_thread(out.write_bytes, data)
    finally:
        await app.close()
    print(f"Kalendern är skriven: {out}")
    return 0


def _to_stdout(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


async def _stdin_lines() -> AsyncIterator[str]:
    while True:
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            return
        yield line


async def console(settings: Settings, *, exercise: bool, start: datetime | None) -> int:
    from bot.bootstrap import build_app
    from bot.clock import ManualClock, SystemClock
    from bot.platforms.console.platform import ConsolePlatform
    from bot.platforms.console.session import ConsoleSession
    from bot.scheduling.runtime import install_exercise_clock
    from storage.database import is_sqlite
    from storage.leadership import leadership, single_process

    clock = ManualClock(start or datetime.now(UTC)) if exercise else SystemClock()
    with single_process(settings.database_url):
        app = await build_app(settings, clock=clock, exercise=exercise)
        seat = SchedulerSeat(app)
        election: asyncio.Task[None] | None = None
        try:
            platform = ConsolePlatform(app.roster, app.uow, sys.stdout)
            app.add_platform(platform)
            await app.relay.drain()  # effects left pending by an earlier crash
            if exercise:  # the simulated clock fires what falls due at `:clock`
                install_exercise_clock(app, app.service)
            elif is_sqlite(settings.database_url):  # we hold the file: the only process
                await seat.elected()
            else:  # PostgreSQL: the real scheduler only while this process is the leader
                election = asyncio.create_task(
                    leadership(settings.database_url).run(seat.elected, seat.lost))
            await ConsoleSession(app, platform).run(_stdin_lines())
        finally:
            if election is not None:
                election.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await election
            await seat.lost()
            await app.close()
    return 0


async def demo_matrix(settings: Settings, shared_secret: str) -> int:
    """`samverkan demo matrix`: accounts, standing rooms and the bot's exemption on the
    homeserver of SAMVERKAN_MATRIX__* (see `bot.platforms.matrix.demo`). The people's and the
    admin's passwords come from SAMVERKAN_DEMO_PASSWORD and SAMVERKAN_DEMO_ADMIN_PASSWORD."""
    import os

    from bot.platforms.matrix.demo import DemoConfig, set_up_demo, wait_for_homeserver
    from bot.roster.loader import default_roster_path, load_roster

    matrix = settings.matrix
    if not (matrix.homeserver and matrix.user_id and matrix.password):
        print("demo matrix behöver SAMVERKAN_MATRIX__HOMESERVER, __USER_ID och __PASSWORD",
              file=sys.stderr)
        return 2
    config = DemoConfig(
        homeserver=matrix.homeserver, server_name=matrix.user_id.split(":", 1)[1],
        shared_secret=shared_secret, bot_user_id=matrix.user_id,
        bot_password=matrix.password.get_secret_value(),
        person_password=os.environ.get("SAMVERKAN_DEMO_PASSWORD", "demo"),
        admin_password=os.environ.get("SAMVERKAN_DEMO_ADMIN_PASSWORD", "demo-admin"),
    )
    roster = load_roster(settings.roster or default_roster_path())
    await wait_for_homeserver(config.homeserver)
    report = await set_up_demo(config, roster)
    print(f"Konton: {len(report.registered)} nya, {len(report.existing)} fanns. "
          f"Stående rum: {len(report.rooms_created)} nya, {len(report.rooms_existing)} fanns. "
          f"Boten {config.bot_user_id} är undantagen från hastighetsgränserna.")
    return 0
