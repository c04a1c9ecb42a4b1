"""Nothing the bot owes people is lost on Slack (issue 9): answers of committed commands get
through a throttled or dead response_url, notices about a room's opening reach people who are
not in that room yet, and users Slack refuses for good are named instead of blocking the rest."""

from __future__ import annotations

from fake_slack_state import BOT_USER
from slack_harness import Harness

from bot.domain.effects import OpenWarRoom
from bot.platforms.slack.reply import Replier, webhook_respond

PEOPLE = ["lst-tib-1", "lst-lagesbild-1", "stockholm-tib-1", "nacka-tib-1"]


def messages_to(bot: Harness, person: str) -> list[str]:
    """Texts of the bot's direct messages to a person."""
    user = bot.users[person]
    return [m["text"] for c in bot.fake.ws.channels.values() if c.im_user == user
            for m in c.messages]


async def test_a_long_answer_waits_for_the_response_url_and_arrives_whole(bot: Harness) -> None:
    """Five parts through one response_url: beyond Slack's burst the webhook answers 429; the
    replier waits `Retry-After` and every part arrives, in order."""
    replier = Replier(bot.platform.directory, bot.app.uow)
    text = "\n".join(f"rad {n:03d} " + "x" * 60 for n in range(250))
    parts = await replier.render(text)
    assert len(parts) == 5
    await replier._deliver(parts, "ephemeral", webhook_respond(bot.fake.response_url("long")),
                           bot.users["lst-tib-1"])
    assert [p["text"] for p in bot.fake.responses_to("long")] == parts
    assert ("long", 429) in bot.fake.refused_responses


async def test_a_dead_response_url_gives_way_to_a_direct_message(bot: Harness) -> None:
    """The command is committed; its answer must not be lost nor turned into "försök igen"."""
    bot.fake.response_statuses = [404]
    sent = await bot.command("tib@lansstyrelsen", "/samverkan", "status",
                             channel=bot.channels["samordnande"])
    assert sent.status == 200
    await bot.settle()
    assert bot.fake.responses_to(sent.key) == []
    (answer,) = messages_to(bot, bot.holder("tib@lansstyrelsen"))
    assert "försök igen" not in answer.lower() and answer.strip()


async def test_a_failing_response_url_is_tried_again(bot: Harness) -> None:
    bot.fake.response_statuses = [500]
    answer = await bot.say("tib@lansstyrelsen", "status", channel=bot.channels["samordnande"])
    assert answer["text"] and bot.fake.refused_responses[0][1] == 500


async def test_failed_opening_is_told_to_the_activator_and_the_standing_channel(
        bot: Harness) -> None:
    bot.fake.fail_next("conversations.invite", "missing_scope")
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", "samordnande oväder Snöstorm Gorm",
                             channel=bot.channels["samordnande"])
    assert sent.status == 200
    await bot.settle()
    standing = bot.fake.ws.channels[bot.channels["samordnande"]]
    assert any("missing_scope" in m["text"] for m in standing.messages)
    assert any("missing_scope" in t for t in messages_to(bot, bot.holder("tib@lansstyrelsen")))
    war_room = bot.fake.ws.channels[await bot.war_room("2026-001")]
    assert not any("missing_scope" in m["text"] for m in war_room.messages)
    assert len(war_room.members) > 10  # the outbox tried again, and the invitations went out


async def test_users_refused_for_good_are_named_and_the_rest_invited(bot: Harness) -> None:
    bot.fake.ws.uninvitable.add(bot.users["nacka-tib-1"])
    await bot.platform.open_war_room(OpenWarRoom(
        "2026-007", "2026-007 Elavbrott", "Elavbrott", PEOPLE, ["lst-tib-1"]))
    channel = bot.fake.ws.channels[await bot.war_room("2026-007")]
    assert set(channel.members) == {BOT_USER, *(bot.users[p] for p in PEOPLE[:3])}
    (notice,) = [m["text"] for m in channel.messages if "vägrar bjuda in" in m["text"]]
    assert bot.app.roster.person("nacka-tib-1").name in notice and "cant_invite" in notice
