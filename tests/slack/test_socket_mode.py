"""Socket Mode: with an app-level token the adapter opens the WebSocket (apps.connections.open
on the fake), acknowledges an envelope at once, and runs the command."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from fake_slack_api import APP_TOKEN, BOT_TOKEN, FakeSlack
from slack_harness import Harness, slack_bot
from slack_requests import slash_body

from tests.conftest import sqlite_url


@pytest.fixture
async def socket_bot(slack_fake: FakeSlack, tmp_path: Path,
                     caplog: pytest.LogCaptureFixture) -> AsyncIterator[Harness]:
    caplog.set_level(logging.DEBUG)  # from the start: connecting is where the app token is used
    async with slack_bot(slack_fake, sqlite_url(tmp_path), socket_mode=True) as harness:
        yield harness


async def test_slash_command_over_socket_mode(socket_bot: Harness,
                                              caplog: pytest.LogCaptureFixture) -> None:
    bot = socket_bot
    assert len(bot.fake.calls_to("apps.connections.open")) == 1
    trigger = bot.fake.ws.new_trigger()
    body = slash_body("/aktivera", "samordnande oväder Snöstorm Gorm",
                      user=bot.user("tib@lansstyrelsen"), channel=bot.channels["samordnande"],
                      trigger=trigger, response_url=bot.fake.response_url("socket"))
    envelope = {"envelope_id": "env-1", "type": "slash_commands",
                "accepts_response_payload": True, "payload": dict(parse_qsl(body))}
    await bot.fake.send_envelope(envelope)
    await bot.fake.wait_for(lambda: any(a.get("envelope_id") == "env-1"
                                        for a in bot.fake.socket_acks))
    await bot.fake.wait_for(lambda: bool(bot.fake.responses_to("socket")))
    await bot.settle()
    async with bot.app.uow() as uow:
        assert [a.id for a in await uow.activations.active()] == ["2026-001"]
    assert "#2026-001" in bot.fake.responses_to("socket")[0]["text"]
    assert bot.fake.ws.channel_by_name("akt-2026-001-snostorm-gorm") is not None
    records = [*caplog.get_records("setup"), *caplog.records]
    logged = "\n".join(r.getMessage() for r in records)
    assert "apps.connections.open" in logged and "env-1" in logged  # debug logs were captured
    assert APP_TOKEN not in logged and BOT_TOKEN not in logged
