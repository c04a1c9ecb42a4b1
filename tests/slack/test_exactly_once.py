"""Posts on Slack are exactly-once per outbox item: each message carries the item's key in
its metadata, and a repeat (after a crash) first looks for it in the channel's history."""

from __future__ import annotations

from slack_harness import Harness

from bot.domain.effects import Delivery, OpenWarRoom, Post, RoomRef, delivering
from bot.platforms.slack.rooms import OUTBOX_EVENT

PEOPLE = ["lst-tib-1", "stockholm-tib-1"]
LONG = "\n".join(f"Rad {n}: " + "läget är oförändrat " * 20 for n in range(400))  # ~3 messages


async def _room(bot: Harness) -> str:
    await bot.platform.open_war_room(OpenWarRoom("2026-007", "2026-007 Elavbrott", "Elavbrott",
                                                 PEOPLE, ["lst-tib-1"]))
    return await bot.war_room("2026-007")


async def _post(bot: Harness, text: str, key: str, *, repeat: bool) -> None:
    with delivering(Delivery(key, repeat=repeat)):
        await bot.platform.post(Post(RoomRef("activation", "2026-007"), text))


async def test_a_repeated_post_is_found_and_not_sent_again(bot: Harness) -> None:
    channel = bot.fake.ws.channels[await _room(bot)]
    before = len(channel.messages)
    await _post(bot, "Beslut 1: skolorna stängs", "n0nce.41", repeat=False)
    await _post(bot, "Beslut 1: skolorna stängs", "n0nce.41", repeat=True)  # after a crash
    texts = [m["text"] for m in channel.messages[before:]]
    assert texts == ["Beslut 1: skolorna stängs"]
    posted = bot.fake.calls_to("chat.postMessage")[-1].args
    assert "blocks" not in posted  # text only: escaped mrkdwn, nothing Slack would run
    assert posted["metadata"]["event_type"] == OUTBOX_EVENT
    assert posted["metadata"]["event_payload"]["key"].startswith("n0nce.41.")
    assert len(bot.fake.calls_to("conversations.history")) == 1  # only the repeat looks


async def test_a_long_post_cut_short_by_a_crash_is_completed_once(bot: Harness) -> None:
    channel = bot.fake.ws.channels[await _room(bot)]
    before = len(channel.messages)
    await _post(bot, LONG, "n0nce.42", repeat=False)
    parts = [m["text"] for m in channel.messages[before:]]
    assert len(parts) >= 3
    del channel.messages[-1]  # the crash came before the last part
    await _post(bot, LONG, "n0nce.42", repeat=True)
    assert [m["text"] for m in channel.messages[before:]] == parts


async def test_another_item_with_the_same_text_is_posted(bot: Harness) -> None:
    channel = bot.fake.ws.channels[await _room(bot)]
    before = len(channel.messages)
    await _post(bot, "Påminnelse: kvittera", "n0nce.43", repeat=False)
    await _post(bot, "Påminnelse: kvittera", "n0nce.44", repeat=True)
    assert [m["text"] for m in channel.messages[before:]] == ["Påminnelse: kvittera"] * 2
