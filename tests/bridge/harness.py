"""The bot with both adapters on one App and database: Matrix on the session's Synapse (the
Matrix tests' harness, extended), Slack in HTTP mode against the spec-checking fake. People on
Slack speak as Slack would: signed Events API `message` callbacks and slash commands."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from fake_slack_api import BOT_TOKEN, FakeSlack
from fake_slack_state import TEAM
from pydantic import SecretStr
from slack_harness import seed_workspace
from slack_requests import SIGNING_SECRET, signed_headers, slash_body
from slack_sdk.signature import SignatureVerifier

from bot.bootstrap import build_app, slack_platform
from bot.clock import ManualClock
from bot.domain.roster import FunctionRef, Roster
from bot.platforms.slack import EVENTS_PATH, SlackPlatform
from bot.settings import MatrixSettings, Settings, SlackSettings
from tests.matrix.harness import START, MatrixHarness
from tests.matrix.synapse_server import SynapseServer


def event_headers(body: str, retry: int | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp,
                                                                     body=body)
    assert signature is not None
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
               "X-Slack-Signature": signature}
    if retry is not None:  # Slack's retry of an event it thinks was not received
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return headers


class BridgeHarness(MatrixHarness):
    def __init__(self, server: SynapseServer, tmp: Path, roster: Roster, *,
                 slack: FakeSlack) -> None:
        super().__init__(server, tmp, roster)
        self.fake = slack
        self.slack: SlackPlatform | None = None
        self.users: dict[str, str] = {}  # person key -> Slack user id
        self.url = ""
        self._web: web.AppRunner | None = None
        self._ts = itertools.count(1)
        self._events = itertools.count(1)

    async def start(self) -> None:
        settings = Settings(
            database_url=self.db_url,
            matrix=MatrixSettings(homeserver=self.server.base_url,
                                  user_id=self.bot_user.user_id,
                                  access_token=self.bot_user.access_token,
                                  device_id=self.bot_user.device_id),
            slack=SlackSettings(bot_token=SecretStr(BOT_TOKEN), api_url=self.fake.base_url,
                                signing_secret=SecretStr(SIGNING_SECRET)))
        self.app = await build_app(settings, clock=ManualClock(START), roster=self.roster)
        slack = slack_platform(self.app)
        assert slack is not None
        web_app = web.Application()
        slack.add_routes(web_app)
        self._web = web.AppRunner(web_app, handle_signals=False)
        await self._web.setup()
        site = web.TCPSite(self._web, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}{EVENTS_PATH}"
        if not self.users:  # the workspace outlives a restart of the bot
            self.users, _ = seed_workspace(self.fake, self.app, set())
        await slack.start()
        self.slack = slack
        await self.start_bot()

    async def restart_with(self, between: Any) -> None:
        """A process restart, with `between(engine)` run on the database while nothing runs
        (what a crash leaves behind)."""
        self.app.relay.active = False
        self.app.relay.stop_waking()
        await self.app.relay.wait_idle(self.wait_s)
        await self.stop_bot()
        await between(self.app.engine)
        await self.app.close()
        await self.start()
        self.app.relay.kick()

    async def stop_bot(self) -> None:
        """Both adapters stop (a restart of the process stops both)."""
        await super().stop_bot()
        if self.slack is not None:
            await self.slack.stop()
            self.app.platforms.remove(self.slack)
            self.slack = None
        if self._web is not None:
            await self._web.cleanup()
            self._web = None

    # -- Slack people ------------------------------------------------------------------------
    def slack_user(self, who: str) -> str:
        key = self.app.roster.holder(FunctionRef.parse(who), self.app.clock.now()) \
            if "@" in who else who
        return self.users[key]

    async def _post(self, body: str, headers: dict[str, str]) -> None:
        async with aiohttp.ClientSession() as session, \
                session.post(self.url, data=body.encode(), headers=headers) as resp:
            assert resp.status == 200, await resp.text()

    async def slack_event(self, event: dict[str, Any], *, retry: int | None = None,
                          event_id: str | None = None) -> str:
        """An Events API `message` callback, as Slack sends it; returns its event id."""
        event_id = event_id or f"Ev{next(self._events):08d}"
        body = json.dumps({
            "token": "verification-token-unused", "team_id": TEAM, "api_app_id": "A000000001",
            "event": {"type": "message", "event_ts": event.get("ts", "1.0"), **event},
            "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT000001", "is_bot": True,
                                "is_enterprise_install": False}],
            "is_ext_shared_channel": False})
        await self._post(body, event_headers(body, retry))
        return event_id

    async def slack_says(self, who: str, channel: str, text: str, **extra: Any) -> str:
        """A person's message in a Slack channel (in the fake's history too); its ts."""
        ts = f"17100{next(self._ts):05d}.000200"
        message = {"type": "message", "user": self.slack_user(who), "text": text, "ts": ts,
                   **extra}
        self.fake.ws.channels[channel].messages.append(message)
        await self.slack_event({**message, "channel": channel, "channel_type": "group"})
        return ts

    async def slack_command(self, who: str, text: str, channel: str) -> str:
        """`/samverkan <text>` in `channel`; returns the response_url key."""
        key = f"r{next(self._events)}"
        body = slash_body("/samverkan", text, user=self.slack_user(who), channel=channel,
                          trigger=self.fake.ws.new_trigger(),
                          response_url=self.fake.response_url(key))
        await self._post(body, signed_headers(body))
        return key

    async def both_settled(self, limit_s: float = 30.0) -> None:
        """Every Slack listener done and every outbox item performed."""
        assert self.slack is not None
        await self.slack.wait_idle(limit_s)
        await self.settle_all(limit_s)
        await self.slack.wait_idle(limit_s)
        await self.settle_all(limit_s)

    def slack_messages(self, channel: str) -> list[dict[str, Any]]:
        return list(self.fake.ws.channels[channel].messages)

    async def wait(self, check: Any, limit_s: float = 20.0) -> Any:
        """Poll `check()` (sync or async) until it returns something truthy (bounded)."""
        async with asyncio.timeout(limit_s):
            while True:
                found = check()
                if asyncio.iscoroutine(found):
                    found = await found
                if found:
                    return found
                await asyncio.sleep(0.05)
