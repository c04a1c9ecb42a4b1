"""Slack's rate limits: the fake enforces Slack's documented tiers (table-driven, and once with
Slack's real numbers over HTTP), and the bot's client waits every 429 out without losing a
call or changing the order of posts in a channel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from fake_slack_api import BOT_TOKEN, FakeSlack
from fake_slack_limits import METHOD_TIER, POST_BURST, TIER_PER_MINUTE, RateLimits
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.slack.client import make_web_client


class Ticks:
    """A hand-moved clock for the limiter alone (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("method", "tier", "per_minute"), [
    ("conversations.create", 2, 20),
    ("conversations.setTopic", 2, 20),
    ("conversations.invite", 3, 50),
    ("users.lookupByEmail", 3, 50),
    ("users.info", 4, 100),
])
@pytest.mark.parametrize("scale", [1.0, 0.05])
def test_each_tier_admits_its_calls_per_minute(method: str, tier: int, per_minute: int,
                                               scale: float) -> None:
    assert METHOD_TIER[method] == tier and TIER_PER_MINUTE[tier] == per_minute
    ticks = Ticks()
    limits = RateLimits(scale=scale, clock=ticks)
    assert all(limits.check(method) is None for _ in range(per_minute))
    wait = limits.check(method)
    assert wait == pytest.approx(60 * scale)
    ticks.now += 30 * scale
    assert limits.check(method) == pytest.approx(30 * scale)  # a sliding minute
    ticks.now += 30 * scale
    assert limits.check(method) is None


def test_posts_are_limited_per_channel_with_a_short_burst() -> None:
    ticks = Ticks()
    limits = RateLimits(scale=1.0, clock=ticks)
    assert all(limits.check("chat.postMessage", "C1") is None for _ in range(POST_BURST))
    assert limits.check("chat.postMessage", "C1") == pytest.approx(1.0)
    assert limits.check("chat.postMessage", "C2") is None  # another channel is not held up
    ticks.now += 1.0
    assert limits.check("chat.postMessage", "C1") is None
    assert limits.check("chat.postMessage", "C1") == pytest.approx(1.0)


def test_retry_after_is_whole_seconds_at_slacks_own_scale() -> None:
    assert RateLimits(scale=1.0).retry_after(0.2) == "1"
    assert RateLimits(scale=1.0).retry_after(41.3) == "42"
    assert RateLimits(scale=0.05).retry_after(2.0651) == "2.066"


@pytest.fixture
async def real_slack() -> AsyncIterator[FakeSlack]:
    """The fake with Slack's real numbers (scale 1)."""
    fake = await FakeSlack(limits=RateLimits(scale=1.0)).start()
    try:
        yield fake
    finally:
        await fake.stop()
    assert fake.all_failures == []


async def test_real_numbers_over_http(real_slack: FakeSlack) -> None:
    """Tier 3 users.lookupByEmail: 50 in a minute, the 51st gets 429 with a whole-second
    Retry-After of at most a minute; Tier 2 conversations.create: the 21st."""
    plain = AsyncWebClient(token=BOT_TOKEN, base_url=real_slack.base_url)
    for n in range(50):
        real_slack.ws.add_user(f"Person {n}", f"p{n}@samverkan.test")
    for n in range(50):
        await plain.users_lookupByEmail(email=f"p{n}@samverkan.test")
    with pytest.raises(SlackApiError) as err:
        await plain.users_lookupByEmail(email="p0@samverkan.test")
    assert err.value.response.status_code == 429
    wait = int(err.value.response.headers["Retry-After"])
    assert 1 <= wait <= 60
    for n in range(20):
        await plain.conversations_create(name=f"akt-{n}", is_private=True)
    with pytest.raises(SlackApiError) as err:
        await plain.conversations_create(name="akt-20", is_private=True)
    assert err.value.response.status_code == 429


async def test_posts_at_real_speed_all_arrive_in_order(real_slack: FakeSlack) -> None:
    """Seven posts to one channel, asked for at once: a burst, then one a second, none lost,
    in the order asked (costs about three seconds)."""
    web = make_web_client(BOT_TOKEN, real_slack.base_url)
    channel = real_slack.ws.add_channel("lagesbild", members=["UBOT000001"])
    started = time.monotonic()
    await asyncio.gather(*(web.chat_postMessage(channel=channel, text=f"del {n}")
                           for n in range(7)))
    elapsed = time.monotonic() - started
    texts = [m["text"] for m in real_slack.ws.channels[channel].messages]
    assert texts == [f"del {n}" for n in range(7)]
    assert real_slack.refused(), "the burst must have met Slack's limit"
    assert 7 - POST_BURST - 1 <= elapsed < 10


@pytest.fixture
async def fast_slack() -> AsyncIterator[FakeSlack]:
    """The fake with Slack's limits at 1/100 of their time (a minute lasts 0.6 s)."""
    fake = await FakeSlack(limits=RateLimits(scale=0.01)).start()
    try:
        yield fake
    finally:
        await fake.stop()
    assert fake.all_failures == []


async def test_concurrent_calls_share_one_wait(fast_slack: FakeSlack) -> None:
    """120 look-ups at once against Tier 3 (time scaled): all answered; after the first 429s
    the calls queue instead of each drawing its own, so Slack refuses few of them."""
    slack_fake = fast_slack
    web = make_web_client(BOT_TOKEN, slack_fake.base_url)
    emails = [f"q{n}@samverkan.test" for n in range(120)]
    ids = [slack_fake.ws.add_user(f"Q {n}", e) for n, e in enumerate(emails)]
    gate = asyncio.Semaphore(8)  # as many in flight as the bot's directory allows

    async def lookup(email: str) -> str:
        async with gate:
            return str((await web.users_lookupByEmail(email=email))["user"]["id"])

    found = await asyncio.gather(*(lookup(e) for e in emails))
    assert found == ids
    refused = len(slack_fake.refused())
    assert 0 < refused <= 3 * 8  # at most the calls in flight, at each of the minutes
    assert web.pacer.waited > 0
