"""The ChatPlatform port on Slack, effect by effect: idempotent, batched, and honest about
people it cannot reach."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fake_slack_api import FakeSlack
from fake_slack_state import BOT_USER
from slack_harness import Harness, slack_bot
from slack_sdk.errors import SlackApiError

from bot.domain.effects import (
    CloseWarRoom,
    InvitePeople,
    OpenWarRoom,
    Post,
    RoomRef,
    SetModerators,
    SetTopic,
)
from bot.platforms.slack import invites
from tests.conftest import sqlite_url

PEOPLE = ["lst-tib-1", "lst-lagesbild-1", "stockholm-tib-1", "nacka-tib-1"]


def room(activation: str = "2026-007", name: str = "2026-007 Elavbrott Södertörn",
         people: list[str] = PEOPLE, link_to: str | None = None) -> OpenWarRoom:
    return OpenWarRoom(activation, name, "Elavbrott · ordförande: <@lst-tib-1>", people,
                       ["lst-tib-1"], link_to)


async def test_opening_twice_creates_one_channel(bot: Harness) -> None:
    await bot.platform.open_war_room(room())
    await bot.platform.open_war_room(room())  # re-delivered after a crash
    assert len(bot.fake.calls_to("conversations.create")) == 1
    assert len(bot.fake.calls_to("conversations.invite")) == 1
    channel = bot.fake.ws.channels[await bot.war_room("2026-007")]
    assert channel.name == "akt-2026-007-elavbrott-sodertorn"
    assert set(channel.members) == {BOT_USER, *(bot.users[p] for p in PEOPLE)}
    assert len(channel.messages) == 1  # the summary, once
    assert channel.topic == "Elavbrott · ordförande: Anna Lind (platshållare)"


async def test_taken_name_gets_a_suffix(bot: Harness) -> None:
    bot.fake.ws.add_channel("akt-2026-007-elavbrott-sodertorn", private=False)
    await bot.platform.open_war_room(room())
    channel = bot.fake.ws.channels[await bot.war_room("2026-007")]
    assert channel.name == "akt-2026-007-elavbrott-sodertorn-2" and channel.is_private
    assert [c.error for c in bot.fake.calls_to("conversations.create")] == ["name_taken", None]


async def test_channel_created_just_before_a_crash_is_adopted(bot: Harness) -> None:
    orphan = bot.fake.ws.add_channel("akt-2026-007-elavbrott-sodertorn", private=True,
                                     members=[BOT_USER])
    async with bot.app.uow() as uow:  # what _create recorded before the crash
        await uow.kv.put("slack:creating:2026-007", "akt-2026-007-elavbrott-sodertorn")
        await uow.commit()
    await bot.platform.open_war_room(room())
    assert await bot.war_room("2026-007") == orphan
    assert bot.fake.calls_to("conversations.create") == []


async def test_invitations_are_batched(bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(invites, "INVITE_BATCH", 3)
    people = [p.key for p in bot.app.roster.people[:10]]
    await bot.platform.open_war_room(room(people=people))
    calls = bot.fake.calls_to("conversations.invite")
    assert [len(c.args["users"].split(",")) for c in calls] == [3, 3, 3, 1]


async def test_someone_joining_meanwhile_is_not_an_error(bot: Harness) -> None:
    bot.fake.fail_next("conversations.invite", "already_in_channel")
    await bot.platform.open_war_room(room())
    invites = bot.fake.calls_to("conversations.invite")
    assert [c.error for c in invites] == ["already_in_channel", None]
    channel = bot.fake.ws.channels[await bot.war_room("2026-007")]
    assert {bot.users[p] for p in PEOPLE} <= set(channel.members)


async def test_later_invitations_add_only_the_new(bot: Harness) -> None:
    await bot.platform.open_war_room(room(people=PEOPLE[:2]))
    await bot.platform.invite(InvitePeople("2026-007", PEOPLE))
    last = bot.fake.calls_to("conversations.invite")[-1]
    assert set(last.args["users"].split(",")) == {bot.users[p] for p in PEOPLE[2:]}


@pytest.fixture
async def partial_bot(slack_fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Harness]:
    """A workspace where Nacka's TiB has no Slack account."""
    async with slack_bot(slack_fake, sqlite_url(tmp_path), absent={"nacka-tib-1"}) as harness:
        yield harness


async def test_people_without_slack_are_named_once(partial_bot: Harness) -> None:
    bot = partial_bot
    await bot.platform.open_war_room(room())
    await bot.platform.invite(InvitePeople("2026-007", PEOPLE))
    channel = bot.fake.ws.channels[await bot.war_room("2026-007")]
    notices = [m["text"] for m in channel.messages if "nås inte i Slack" in m["text"]]
    assert len(notices) == 1
    assert bot.app.roster.person("nacka-tib-1").name in notices[0]
    assert {bot.users[p] for p in PEOPLE if p != "nacka-tib-1"} <= set(channel.members)


async def test_posts_render_mentions_and_markdown(bot: Harness) -> None:
    await bot.platform.open_war_room(room())
    await bot.platform.post(Post(RoomRef("activation", "2026-007"),
                                 "**Beslut 1**: <@stockholm-tib-1> stänger skolorna"))
    channel = bot.fake.ws.channels[await bot.war_room("2026-007")]
    user = bot.users["stockholm-tib-1"]
    assert channel.messages[-1]["text"] == f"*Beslut 1*: <@{user}> stänger skolorna"


async def test_direct_messages_open_one_im(bot: Harness) -> None:
    for text in ("Du är kallad till #2026-007", "Påminnelse: kvittera"):
        await bot.platform.post(Post(RoomRef("person", "nacka-tib-1"), text))
    (opened,) = bot.fake.calls_to("conversations.open")
    assert opened.args == {"users": bot.users["nacka-tib-1"]}
    im = next(c for c in bot.fake.ws.channels.values() if c.im_user == bot.users["nacka-tib-1"])
    assert [m["text"] for m in im.messages] == [
        "Du är kallad till #2026-007", "Påminnelse: kvittera"]


async def test_post_before_the_room_exists_is_retried_later(bot: Harness) -> None:
    with pytest.raises(LookupError):
        await bot.platform.post(Post(RoomRef("activation", "2026-099"), "för tidigt"))


async def test_chair_change_is_a_notice(bot: Harness) -> None:
    await bot.platform.open_war_room(room())
    await bot.platform.set_moderators(SetModerators("2026-007", ["stockholm-tib-1"]))
    await bot.platform.set_topic(SetTopic("2026-007", "Elavbrott · " + "lång " * 80))
    channel = bot.fake.ws.channels[await bot.war_room("2026-007")]
    assert f"<@{bot.users['stockholm-tib-1']}>" in channel.messages[-1]["text"]
    assert "Ordförande" in channel.messages[-1]["text"] and len(channel.topic) == 250


async def test_linked_room_points_to_its_parent(bot: Harness) -> None:
    await bot.platform.open_war_room(room())
    parent = await bot.war_room("2026-007")
    await bot.platform.open_war_room(
        room("2026-008", "2026-008 Elavbrott Södertörn", link_to="2026-007"))
    child = bot.fake.ws.channels[await bot.war_room("2026-008")]
    assert f"<#{parent}>" in child.messages[0]["text"]


async def test_protocol_is_posted_in_parts_once_and_the_channel_kept(bot: Harness) -> None:
    await bot.platform.open_war_room(room())
    lines = [f"- 13:{i % 60:02d} händelse {i} " + "x" * 80 for i in range(120)]
    protocol = "# Protokoll\n" + "\n".join(lines)
    effect = CloseWarRoom("2026-007", protocol)
    await bot.platform.close_war_room(effect)
    await bot.platform.close_war_room(effect)  # re-delivered
    channel = bot.fake.ws.channels[await bot.war_room("2026-007")]
    parts = [m["text"] for m in channel.messages[1:]]
    assert parts[0].startswith("*Protokoll för aktivering #2026-007*")
    assert len(parts) >= 4 and all(len(p) <= 4000 for p in parts)
    assert "(del 1 av" in parts[1] and "händelse 119" in parts[-1]
    assert not channel.archived
    assert not any(c.method.endswith("archive") for c in bot.fake.calls)


async def test_refused_action_is_told_in_the_room_once_and_raised(bot: Harness) -> None:
    await bot.platform.open_war_room(room())
    for _ in range(2):  # the outbox delivers it again; the notice is not repeated
        bot.fake.fail_next("conversations.setTopic", "missing_scope")
        with pytest.raises(SlackApiError):
            await bot.platform.set_topic(SetTopic("2026-007", "Ny rubrik"))
    channel = bot.fake.ws.channels[await bot.war_room("2026-007")]
    notices = [m["text"] for m in channel.messages if "missing_scope" in m["text"]]
    assert len(notices) == 1 and "saknar behörighet" in notices[0]
