"""Slack's request signing through the real HTTP route, and re-deliveries."""

from __future__ import annotations

import pytest
from aiohttp import web
from pydantic import SecretStr
from slack_harness import Harness

from bot.platforms.slack.platform import SlackPlatform, SlackStartError
from bot.settings import SlackSettings

TEXT = "samordnande oväder Snöstorm Gorm"


async def _activations(bot: Harness) -> list[str]:
    async with bot.app.uow() as uow:
        return [a.id for a in await uow.activations.active()]


async def test_signed_command_is_handled(bot: Harness) -> None:
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", TEXT,
                             channel=bot.channels["samordnande"])
    assert sent.status == 200
    await bot.settle()
    assert await _activations(bot) == ["2026-001"]
    (answer,) = bot.fake.responses_to(sent.key)
    assert "#2026-001" in answer["text"]


async def test_wrong_signature_is_refused_and_changes_nothing(bot: Harness) -> None:
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", TEXT,
                             channel=bot.channels["samordnande"], secret="not-the-secret")
    assert sent.status == 401
    await bot.settle()
    assert await _activations(bot) == []
    assert bot.fake.responses == []
    assert [c.method for c in bot.fake.calls] == ["auth.test"]  # only start()'s check


async def test_stale_timestamp_is_refused_and_changes_nothing(bot: Harness) -> None:
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", TEXT,
                             channel=bot.channels["samordnande"], age=5 * 60 + 1)
    assert sent.status == 401
    await bot.settle()
    assert await _activations(bot) == []
    assert bot.fake.responses == []


async def test_timestamp_just_inside_five_minutes_is_accepted(bot: Harness) -> None:
    sent = await bot.command("tib@lansstyrelsen", "/samverkan", "status",
                             channel=bot.channels["samordnande"], age=5 * 60 - 5)
    assert sent.status == 200


async def test_retry_of_the_same_command_activates_once(bot: Harness) -> None:
    channel = bot.channels["samordnande"]
    first = await bot.command("tib@lansstyrelsen", "/aktivera", TEXT, channel=channel)
    retry = await bot.command("tib@lansstyrelsen", "/aktivera", TEXT, channel=channel,
                              trigger=first.trigger, retry=1)
    again = await bot.command("tib@lansstyrelsen", "/aktivera", TEXT, channel=channel,
                              trigger=first.trigger)
    assert (first.status, retry.status, again.status) == (200, 200, 200)
    await bot.settle()
    assert await _activations(bot) == ["2026-001"]
    assert len(bot.fake.calls_to("conversations.create")) == 1
    (dup,) = bot.fake.responses_to(retry.key)
    assert "redan" in dup["text"] and dup["response_type"] == "ephemeral"


async def test_no_route_without_signing_secret(bot: Harness) -> None:
    """Socket Mode only: an HTTP endpoint that cannot verify signatures is not served."""
    settings = SlackSettings(bot_token=SecretStr("xoxb-x"), app_token=SecretStr("xapp-x"),
                             api_url=bot.fake.base_url)
    platform = SlackPlatform(settings, bot.app.service, bot.app.uow)
    web_app = web.Application()
    platform.add_routes(web_app)
    assert len(web_app.router.routes()) == 0
    bot.platform.add_routes(web_app)
    assert [r.method for r in web_app.router.routes()] == ["POST"]


async def test_refused_token_stops_the_start_with_a_reason(bot: Harness) -> None:
    settings = SlackSettings(bot_token=SecretStr("xoxb-revoked"), signing_secret=SecretStr("s"),
                             api_url=bot.fake.base_url)
    platform = SlackPlatform(settings, bot.app.service, bot.app.uow)
    with pytest.raises(SlackStartError, match="token gäller inte"):
        await platform.start()
