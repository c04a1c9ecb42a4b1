"""Who is who on Slack with few calls: many unknown people are learned from one users.list
(Tier 2) instead of one Tier 3 look-up each; a refused listing falls back to look-ups."""

from __future__ import annotations

from slack_harness import Harness

from bot.platforms.slack.directory import LIST_AT, LIST_PAGE


def people(bot: Harness, n: int) -> list[str]:
    return [p.key for p in bot.app.roster.people if p.email][:n]


async def test_many_unknown_people_are_learned_from_one_listing(bot: Harness) -> None:
    keys = people(bot, LIST_AT + 5)
    found = await bot.platform.directory.users_of(keys)
    assert found == {k: bot.users[k] for k in keys}
    assert bot.fake.calls_to("users.lookupByEmail") == []
    listed = len(bot.fake.calls_to("users.list"))
    assert listed == -(-len(bot.fake.ws.users) // LIST_PAGE)  # one pass over the pages
    more = people(bot, 3 * LIST_AT)  # known from the listing: no call at all
    assert await bot.platform.directory.users_of(more) == {k: bot.users[k] for k in more}
    assert len(bot.fake.calls_to("users.list")) == listed
    assert bot.fake.calls_to("users.lookupByEmail") == []


async def test_few_unknown_people_are_looked_up(bot: Harness) -> None:
    keys = people(bot, LIST_AT - 1)
    assert await bot.platform.directory.users_of(keys) == {k: bot.users[k] for k in keys}
    assert bot.fake.calls_to("users.list") == []
    assert len(bot.fake.calls_to("users.lookupByEmail")) == len(keys)


async def test_a_refused_listing_falls_back_to_look_ups(bot: Harness) -> None:
    bot.fake.fail_next("users.list", "fatal_error")
    keys = people(bot, LIST_AT + 2)
    assert await bot.platform.directory.users_of(keys) == {k: bot.users[k] for k in keys}
    assert len(bot.fake.calls_to("users.lookupByEmail")) == len(keys)
