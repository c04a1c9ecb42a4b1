"""Slash commands through the HTTP route: acked, run by the core, answered via response_url,
and the war room they open."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
from fake_slack_api import APP_TOKEN, BOT_TOKEN
from slack_harness import Harness
from slack_requests import SIGNING_SECRET

from bot.domain.roster import FunctionRef
from bot.handlers.types import Origin, Reply
from bot.platforms.slack import commands as slack_commands

TEXT = "samordnande oväder Snöstorm Gorm"


async def activate(bot: Harness) -> str:
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", TEXT,
                             channel=bot.channels["samordnande"])
    assert sent.status == 200
    await bot.settle()
    return await bot.war_room("2026-001")


def expected_refs(bot: Harness) -> set[FunctionRef]:
    """What the roster says `aktivera samordnande oväder` calls (forum + scenario functions)."""
    roster = bot.app.roster
    extra = roster.scenarios_by_key["ovader"].extra_calls
    return {*roster.forum("samordnande").call_refs,
            *(FunctionRef.parse(c) for c in extra if "@" in c)}


async def test_activation_opens_a_private_channel_and_invites_the_holders(bot: Harness) -> None:
    channel = await activate(bot)
    (create,) = bot.fake.calls_to("conversations.create")
    assert create.args == {"name": "akt-2026-001-snostorm-gorm", "is_private": "1"}
    room = bot.fake.ws.channels[channel]
    assert room.is_private and room.name == "akt-2026-001-snostorm-gorm"
    async with bot.app.uow() as uow:
        rows = await uow.participants.of_activation("2026-001")
    refs = {FunctionRef.parse(r.function) for r in rows}
    assert refs >= expected_refs(bot)
    now = bot.app.clock.now()
    holders = {bot.app.roster.holder(ref, now) for ref in refs}  # the roster's current holders
    assert {r.person for r in rows} == holders
    invites = bot.fake.calls_to("conversations.invite")
    invited = {u for c in invites for u in c.args["users"].split(",")}
    assert invited == {bot.users[p] for p in holders}
    assert len(bot.fake.calls_to("conversations.invite")) == 1  # one call for all of them
    assert "samordnande" in room.topic and "2026-001" in room.purpose
    assert "Krisrum för aktivering #2026-001" in room.messages[0]["text"]


async def test_activation_is_announced_in_the_standing_channel(bot: Harness) -> None:
    await activate(bot)
    standing = bot.fake.ws.channels[bot.channels["samordnande"]]
    assert bot.fake.calls_to("conversations.join")[0].args == {"channel": standing.id}
    assert any("#2026-001" in m["text"] for m in standing.messages)


async def test_a_command_is_acknowledged_once_it_is_recorded(
        bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack never sends a slash command again: an ack before the commit would let a crash
    in between lose a command that the person believes was taken. (The command is made to
    take 0.3 s, so that an ack sent first would come back before the commit.)"""
    handle = bot.app.service.handle_command

    async def slower(text: Any, origin: Origin) -> Reply:
        await asyncio.sleep(0.3)
        return await handle(text, origin)

    monkeypatch.setattr(bot.app.service, "handle_command", slower)
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", TEXT,
                             channel=bot.channels["samordnande"])
    assert (sent.status, sent.body) == (200, "")
    async with bot.app.uow() as uow:  # read at the ack, before the answer is sent
        act = await uow.activations.get("2026-001")
        called = await uow.participants.of_activation("2026-001")
    assert act is not None and act.title == "Snöstorm Gorm" and called
    await bot.settle()
    (answer,) = bot.fake.responses_to(sent.key)
    assert "#2026-001" in answer["text"]


async def test_a_command_still_running_is_acknowledged_within_slacks_limit(
        bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack's three seconds win: a command that takes longer is acknowledged after
    ACK_WITHIN_S and answered when it is done."""
    monkeypatch.setattr(slack_commands, "ACK_WITHIN_S", 0.2)
    release = asyncio.Event()
    handle = bot.app.service.handle_command

    async def slow(text: Any, origin: Origin) -> Reply:
        await release.wait()
        return await handle(text, origin)

    monkeypatch.setattr(bot.app.service, "handle_command", slow)
    sent = await bot.command("tib@lansstyrelsen", "/samverkan", "status",
                             channel=bot.channels["samordnande"])
    assert sent.status == 200 and 0.2 <= sent.elapsed < 2.0, sent.elapsed
    assert bot.fake.responses_to(sent.key) == []
    release.set()
    await bot.settle()
    (answer,) = bot.fake.responses_to(sent.key)
    assert answer["text"]


async def test_accepted_action_in_war_room_is_shown_to_the_channel(bot: Harness) -> None:
    channel = await activate(bot)
    answer = await bot.say("vakthavande-befal@polisen", "kvittera", channel=channel)
    assert answer["response_type"] == "in_channel"
    report = await bot.say("vakthavande-befal@polisen", "läge Fler trafikolyckor än normalt",
                           channel=channel)
    assert report["response_type"] == "in_channel"


async def test_errors_and_private_answers_are_ephemeral(bot: Harness) -> None:
    channel = await activate(bot)
    bad = await bot.say("vakthavande-befal@polisen", "frobnicera allt", channel=channel)
    assert bad["response_type"] == "ephemeral" and "frobnicera" in bad["text"]
    outside = await bot.say("tib@lansstyrelsen", "status", channel=bot.channels["samordnande"])
    assert outside["response_type"] == "ephemeral"


@pytest.mark.parametrize(("command", "text", "expect"), [
    ("/sv", "hjälp", "aktivera"),
    ("/kvittera", "", "kvitter"),
    ("/lage", "Lugnt i vårt område", "läge"),
    ("/activate", "", None),  # bare: opens the form
])
async def test_ascii_aliases(bot: Harness, command: str, text: str, expect: str | None) -> None:
    channel = await activate(bot)
    sent = await bot.command("tib@stockholm", command, text, channel=channel)
    assert sent.status == 200
    await bot.settle()
    if expect is None:
        assert len(bot.fake.calls_to("views.open")) == 1
        return
    (answer, *_) = bot.fake.responses_to(sent.key)
    assert expect in answer["text"].lower()


async def test_slack_escaping_is_undone_before_the_core(bot: Harness) -> None:
    channel = await activate(bot)
    sent = await bot.command("tib@stockholm", "/lage", "Vind &gt; 25 m/s &amp; snödjup &lt; 1 m",
                             channel=channel)
    assert sent.status == 200
    await bot.settle()
    async with bot.app.uow() as uow:
        reports = await uow.reports.of_event(1)
    assert [r.text for r in reports] == ["Vind > 25 m/s & snödjup < 1 m"]


async def test_slack_user_outside_the_roster_is_refused(bot: Harness) -> None:
    stranger = bot.fake.ws.add_user("Okänd Person", "okand@example.org")
    bot.users["stranger"] = stranger
    sent = await bot.command("stranger", "/aktivera", TEXT, channel=bot.channels["samordnande"])
    await bot.settle()
    (answer,) = bot.fake.responses_to(sent.key)
    assert answer["response_type"] == "ephemeral"
    assert bot.fake.calls_to("conversations.create") == []
    async with bot.app.uow() as uow:
        assert await uow.activations.active() == []


async def test_web_api_error_is_told_in_swedish_and_logged(
        bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    bot.fake.fail_next("users.info", "account_inactive")
    with caplog.at_level(logging.WARNING, logger="bot.platforms.slack"):
        sent = await bot.command("tib@lansstyrelsen", "/aktivera", TEXT,
                             channel=bot.channels["samordnande"])
        await bot.settle()
    (answer,) = bot.fake.responses_to(sent.key)
    assert "inaktiverat" in answer["text"] and "account_inactive" in answer["text"]
    assert any("account_inactive" in r.getMessage() for r in caplog.records)


async def test_failed_room_creation_is_told_to_the_chair_and_retried(
        bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    bot.fake.fail_next("conversations.create", "restricted_action")
    with caplog.at_level(logging.ERROR):
        await activate(bot)
    chair = bot.user("tib@lansstyrelsen")
    dm = next(c for c in bot.fake.ws.channels.values() if c.im_user == chair)
    assert any("tillåter inte åtgärden" in m["text"] for m in dm.messages)
    assert any("restricted_action" in r.getMessage() for r in caplog.records)
    # the outbox tried again: the room exists, once
    creates = bot.fake.calls_to("conversations.create")
    assert [c.error for c in creates] == ["restricted_action", None]
    assert bot.fake.ws.channel_by_name("akt-2026-001-snostorm-gorm") is not None


async def test_rate_limited_call_waits_for_retry_after(bot: Harness) -> None:
    bot.fake.rate_limit("conversations.create", times=1, retry_after=1)
    started = time.monotonic()
    await activate(bot)
    assert time.monotonic() - started >= 1.0
    assert [c.status for c in bot.fake.calls_to("conversations.create")] == [429, 200]


async def test_tokens_never_reach_the_logs(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        channel = await activate(bot)
        await bot.say("tib@lansstyrelsen", "lägesbild", channel=channel)
        bot.fake.fail_next("chat.postMessage", "not_in_channel")
        await bot.say("tib@lansstyrelsen", "beslut Skolor stängs", channel=channel)
    assert len(caplog.records) > 20  # slack_sdk's debug logging was on
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, BOT_TOKEN.split("-")[-1]):
        assert secret not in logged
