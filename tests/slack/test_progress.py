"""The war room's one status message on Slack while Slack makes the invitations wait (issue 9,
item 2): posted once the bot has waited for Slack, edited with chat.update (checked against
the spec by the rate-limited fake), final with every invitation; none when nothing waited."""

from __future__ import annotations

import pytest
from slack_harness import Harness

from bot.platforms.slack import progress

HEAD = "*Inbjudningar:*"


def status_messages(bot: Harness, channel: str) -> list[dict[str, object]]:
    return [m for m in bot.fake.ws.channels[channel].messages
            if str(m["text"]).startswith(HEAD)]


async def test_status_is_posted_and_edited_while_slack_holds_invitations_back(
        bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "STATUS_AFTER_S", 0.3)
    monkeypatch.setattr(progress, "STATUS_EVERY_S", 0.4)
    monkeypatch.setattr(progress, "TICK_S", 0.05)
    # Slack answers the next conversations.invite calls 429, Retry-After 0.5 s, four times:
    # the bot waits about 2 s (in the client) before the 46 holders are invited at once.
    bot.fake.rate_limit("conversations.invite", times=4, retry_after=0.5)
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", "samordnande oväder Snöstorm Gorm",
                             channel=bot.channels["samordnande"])
    assert sent.status == 200
    await bot.settle()
    channel = await bot.war_room("2026-001")
    (status,) = status_messages(bot, channel)  # one message, not one per event
    async with bot.app.uow() as uow:
        called = await uow.participants.of_activation("2026-001")
    invited = {bot.users[r.person] for r in called if r.person in bot.users}
    assert invited <= set(bot.fake.ws.channels[channel].members)

    posted = [c for c in bot.fake.calls_to("chat.postMessage")
              if str(c.args.get("text", "")).startswith(HEAD)]
    invite_ok = [c for c in bot.fake.calls_to("conversations.invite") if c.status == 200]
    assert len(posted) == 1 and posted[0].at < invite_ok[0].at  # shown while waiting
    assert "0 av" in str(posted[0].args["text"])
    assert "bjuds in strax" in str(posted[0].args["text"])  # who is still to come

    updates = bot.fake.calls_to("chat.update")
    assert len(updates) >= 2  # at least one edit while waiting, and the final state
    assert all(u.status == 200 and u.args["ts"] == status["ts"] for u in updates)
    assert any(u.at < invite_ok[0].at for u in updates)  # edited as it went
    people = len({r.person for r in called})
    final = str(status["text"])
    assert final == str(updates[-1].args["text"])
    assert f"{len(invited)} av {people} inbjudna" in final
    acked = sum(1 for r in called if r.acked_at is not None)
    assert f"{acked} av {len(called)} har kvitterat" in final and "bjuds in strax" not in final
    assert "Har inte kvitterat:" in final


async def test_no_status_message_when_nothing_waited(bot: Harness) -> None:
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", "samordnande oväder Snöstorm Gorm",
                             channel=bot.channels["samordnande"])
    assert sent.status == 200
    await bot.settle()
    channel = await bot.war_room("2026-001")
    assert status_messages(bot, channel) == []
    assert bot.fake.calls_to("chat.update") == []
