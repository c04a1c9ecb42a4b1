"""`samverkan run` as a whole: the one HTTP server (Slack events, health, metrics, calendar
feed), leadership on SQLite, the scheduler and the outbox relay — against the Slack fake."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import aiohttp
from fake_slack_api import BOT_TOKEN, FakeSlack
from pydantic import SecretStr
from slack_harness import seed_workspace
from slack_requests import SIGNING_SECRET, signed_headers, slash_body

from bot.domain.roster import FunctionRef
from bot.roster.loader import default_roster_path, load_roster
from bot.runner import serve
from bot.settings import Settings, SlackSettings
from tests.conftest import sqlite_url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _until(check: Callable[[], Awaitable[bool]], within: float = 20.0) -> None:
    """Polls something outside this process (an HTTP server, the fake): bounded."""
    for _ in range(int(within / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"not true within {within} s")


async def test_run_serves_slack_health_metrics_and_calendar(
    slack_fake: FakeSlack, tmp_path: Path
) -> None:
    roster = load_roster(default_roster_path())
    users, channels = seed_workspace(slack_fake, SimpleNamespace(roster=roster), set())  # type: ignore[arg-type]
    port = _free_port()
    settings = Settings(
        database_url=sqlite_url(tmp_path), http_port=port,
        slack=SlackSettings(bot_token=SecretStr(BOT_TOKEN), api_url=slack_fake.base_url,
                            signing_secret=SecretStr(SIGNING_SECRET)))
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop))
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        async def healthy() -> bool:
            try:
                async with http.get(f"{base}/healthz") as resp:
                    return resp.status == 200
            except aiohttp.ClientConnectionError:
                return False

        await _until(healthy)
        tib = roster.holder(FunctionRef("tib", "lansstyrelsen"), datetime.now(UTC))
        body = slash_body("/aktivera", "samordnande oväder Snöstorm Gorm", user=users[tib],
                          channel=channels["samordnande"], trigger="t-serve-1",
                          response_url=slack_fake.response_url("serve"))
        async with http.post(f"{base}/slack/events", data=body.encode(),
                             headers=signed_headers(body)) as resp:
            assert resp.status == 200

        async def room_made() -> bool:
            return bool(slack_fake.calls_to("conversations.create")) and bool(
                slack_fake.calls_to("conversations.invite"))

        await _until(room_made)  # the leader's relay performed the effects
        async with http.get(f"{base}/metrics") as resp:
            text = await resp.text()
        assert 'samverkan_commands_total{command="aktivera",outcome="ok"} 1' in text
        async with http.get(f"{base}/calendar/samordnande.ics?token=fel") as resp:
            assert resp.status == 403
    stop.set()
    assert await asyncio.wait_for(running, 30) == 0
