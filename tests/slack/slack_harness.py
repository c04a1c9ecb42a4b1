"""The whole bot with its Slack adapter, served over real HTTP on 127.0.0.1, talking to the
spec-checking fake Web API; a workspace seeded from the roster (users by roster e-mail,
the forums' standing channels)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Set
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web
from fake_slack_api import APP_TOKEN, BOT_TOKEN, FakeSlack
from fake_slack_limits import TIME_SCALE
from pydantic import SecretStr
from slack_requests import SIGNING_SECRET, signed_headers, slash_body

from bot.bootstrap import App, build_app, slack_platform
from bot.clock import ManualClock
from bot.domain.roster import FunctionRef
from bot.platforms.slack import EVENTS_PATH, SlackPlatform
from bot.settings import Settings, SlackSettings

START = datetime(2026, 11, 21, 13, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
# Seconds a step may take: more when Slack's rate limits run at (near) real speed, where one
# full minute of a tier is waited out.
SETTLE = 30 + 240 * TIME_SCALE


@dataclass
class Sent:
    status: int
    body: str
    key: str  # response_url key of this command
    trigger: str
    elapsed: float


@dataclass
class Harness:
    app: App
    platform: SlackPlatform
    fake: FakeSlack
    url: str
    session: aiohttp.ClientSession
    users: dict[str, str]  # person key -> Slack user id
    channels: dict[str, str] = field(default_factory=dict)  # standing channel name -> id
    _keys: itertools.count[int] = field(default_factory=itertools.count)

    def holder(self, ref: str) -> str:
        return self.app.roster.holder(FunctionRef.parse(ref), self.app.clock.now())

    def user(self, who: str) -> str:
        """Slack user id of a person key or of the current holder of `funktion@aktör`."""
        return self.users[self.holder(who) if "@" in who else who]

    async def post(self, body: str, headers: dict[str, str]) -> tuple[int, str, float]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with self.session.post(self.url, data=body.encode(), headers=headers) as resp:
            text = await resp.text()
            return resp.status, text, loop.time() - started

    async def command(self, who: str, command: str, text: str = "", *, channel: str,
                      trigger: str | None = None, retry: int | None = None,
                      age: int = 0, secret: str = SIGNING_SECRET) -> Sent:
        key = f"r{next(self._keys)}"
        trigger = trigger or self.fake.ws.new_trigger()
        body = slash_body(command, text, user=self.user(who), channel=channel, trigger=trigger,
                          response_url=self.fake.response_url(key))
        status, answer, elapsed = await self.post(
            body, signed_headers(body, secret=secret, age=age, retry=retry))
        return Sent(status, answer, key, trigger, elapsed)

    async def say(self, who: str, text: str, *, channel: str) -> dict[str, Any]:
        """`/samverkan <text>` as `who`; waits until handled; the single answer."""
        sent = await self.command(who, "/samverkan", text, channel=channel)
        assert sent.status == 200, sent.body
        await self.settle()
        (answer,) = self.fake.responses_to(sent.key)[:1]
        return answer

    async def settle(self, within: float = SETTLE) -> None:
        """Until commands are answered and the outbox has been performed on Slack."""
        async with asyncio.timeout(within):
            while True:
                await self.platform.wait_idle(within)
                await self.app.relay.wait_idle(within)
                async with self.app.uow() as uow:
                    pending = await uow.outbox.pending(1)
                if not len(self.platform.inflight) and not pending:
                    return
                await asyncio.sleep(0.01)

    async def war_room(self, activation_id: str) -> str:
        async with self.app.uow() as uow:
            channel = await uow.rooms.room("activation", activation_id, "slack")
        assert channel is not None, f"no Slack channel bound for #{activation_id}"
        return channel


async def open_form(bot: Harness) -> tuple[Sent, str, dict[str, Any]]:
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", channel=bot.channels["samordnande"])
    assert sent.status == 200 and sent.body == ""
    await bot.settle()
    (call,) = bot.fake.calls_to("views.open")
    assert call.args["trigger_id"] == sent.trigger
    ((view_id, view),) = bot.fake.ws.views.items()
    return sent, view_id, view


def seed_workspace(fake: FakeSlack, app: App,
                   absent: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    users = {p.key: fake.ws.add_user(p.name, p.email) for p in app.roster.people
             if p.email and p.key not in absent}
    channels = {}
    for forum in app.roster.forums:
        name = forum.standing_room.slack
        if name and fake.ws.channel_by_name(name) is None:
            channels[name] = fake.ws.add_channel(name, private=False)
    return users, channels


@asynccontextmanager
async def slack_bot(fake: FakeSlack, database_url: str, *, absent: Set[str] = frozenset(),
                    socket_mode: bool = False) -> AsyncIterator[Harness]:
    """HTTP mode (signing secret) by default; Socket Mode only (app token) if asked."""
    slack = SlackSettings(
        bot_token=SecretStr(BOT_TOKEN), api_url=fake.base_url,
        signing_secret=None if socket_mode else SecretStr(SIGNING_SECRET),
        app_token=SecretStr(APP_TOKEN) if socket_mode else None)
    app = await build_app(Settings(database_url=database_url, slack=slack),
                          clock=ManualClock(START))
    platform = slack_platform(app)
    assert platform is not None
    web_app = web.Application()
    platform.add_routes(web_app)
    runner = web.AppRunner(web_app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    users, channels = seed_workspace(fake, app, set(absent))
    await platform.start()
    try:
        async with aiohttp.ClientSession() as session:
            yield Harness(app, platform, fake, f"http://127.0.0.1:{port}{EVENTS_PATH}", session,
                          users, channels)
    finally:
        await platform.stop()
        await runner.cleanup()
        await app.close()
