"""`/samverkan övning <scenario>` in Slack: an exercise with its own private channel and
numbering, every message marked ÖVNING, the forum's standing channel never told, and the
exercise clock moved by its leader (`klocka +30m`) firing its conference in its channel."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fake_slack_api import FakeSlack
from slack_harness import Harness, slack_bot


@pytest.fixture
async def bot(slack_fake: FakeSlack, database_url: str) -> AsyncIterator[Harness]:
    async with slack_bot(slack_fake, database_url) as harness:
        yield harness


def _texts(bot: Harness, channel: str) -> list[str]:
    return [m["text"] for m in bot.fake.ws.channels[channel].messages]


@pytest.mark.long
async def test_exercise_in_slack(bot: Harness) -> None:
    standing = bot.channels["samordnande"]
    before = len(_texts(bot, standing))
    started = await bot.say("tib@lansstyrelsen", "övning oväder Stormövning", channel=standing)
    assert "#Ö2026-001" in started["text"] and started["text"].startswith("ÖVNING")
    channel = await bot.war_room("Ö2026-001")
    names = [c.args["name"] for c in bot.fake.calls_to("conversations.create")]
    assert names == ["akt-ovning-o2026-001-stormovning"]
    ack = await bot.say("vakthavande-befal@polisen", "kvittera", channel=channel)
    assert "#Ö2026-001" in ack["text"]
    moved = await bot.say("tib@lansstyrelsen", "klocka +30m", channel=channel)
    assert "13:30" in moved["text"], moved["text"]
    posted = _texts(bot, channel)
    assert any("Samverkanskonferens 13:30" in t for t in posted)  # oväder: first at 13:30
    assert all("ÖVNING" in t for t in posted), posted
    assert len(_texts(bot, standing)) == before  # the real standing channel heard nothing
    status = await bot.say("tib@lansstyrelsen", "status", channel=standing)
    assert status["text"].splitlines()[0].rstrip("*").endswith(": 0")  # no real activation
    assert "Ö2026-001" in status["text"].split("övningar")[1]
    ended = await bot.say("tib@lansstyrelsen", "övning slut", channel=channel)
    assert "avslutad" in ended["text"]
    await bot.settle()
    assert any("Övningsrapport" in t for t in _texts(bot, channel))
