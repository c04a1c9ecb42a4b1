"""The fake Web API itself: it must catch what real Slack would refuse, or the other tests
prove nothing."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from fake_slack_api import BOT_TOKEN, FakeSlack
from fake_slack_state import BOT_USER
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_spec_check import load_spec

from bot.platforms.slack.client import make_web_client


@pytest.fixture
async def raw_fake() -> AsyncIterator[FakeSlack]:
    """A fake whose failures the test inspects itself (they are the point of the test)."""
    fake = await FakeSlack().start()
    yield fake
    await fake.stop()


def client(fake: FakeSlack, token: str = BOT_TOKEN) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=fake.base_url)


async def test_unknown_method_is_a_failure(raw_fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError):
        await client(raw_fake).api_call("conversations.frobnicate", params={"channel": "C1"})
    assert raw_fake.failures == ["conversations.frobnicate: not in Slack's spec"]


async def test_missing_required_argument_is_a_failure(raw_fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError):
        await client(raw_fake).api_call("users.lookupByEmail", http_verb="GET", params={})
    assert "users.lookupByEmail: required argument 'email' missing" in raw_fake.failures


async def test_documented_required_argument_is_checked(raw_fake: FakeSlack) -> None:
    """The spec marks nothing required for conversations.create; the docs require `name`."""
    with pytest.raises(SlackApiError):
        await client(raw_fake).api_call("conversations.create", params={"is_private": True})
    assert "conversations.create: required argument 'name' missing" in raw_fake.failures


async def test_argument_outside_spec_is_a_failure_unless_allowlisted(raw_fake: FakeSlack) -> None:
    web = client(raw_fake)
    created = await web.conversations_create(name="akt-1", is_private=True, team_id="T000000001")
    channel = created["channel"]["id"]
    await web.conversations_setTopic(channel=channel, topic="x", colour="red")
    assert raw_fake.failures == [
        "conversations.setTopic: argument 'colour' is not in the spec nor allowlisted"]


async def test_answers_follow_the_spec(raw_fake: FakeSlack) -> None:
    web = client(raw_fake)
    uid = raw_fake.ws.add_user("Anna Andersson", "anna@samverkan.test")
    assert (await web.users_lookupByEmail(email="anna@samverkan.test"))["user"]["id"] == uid
    channel = (await web.conversations_create(name="akt-2", is_private=True))["channel"]["id"]
    await web.conversations_invite(channel=channel, users=uid)
    with pytest.raises(SlackApiError) as err:
        await web.conversations_invite(channel=channel, users=uid)
    assert err.value.response["error"] == "already_in_channel"
    with pytest.raises(SlackApiError) as err:
        await web.conversations_create(name="akt-2", is_private=True)
    assert err.value.response["error"] == "name_taken"
    posted = await web.chat_postMessage(channel=channel, text="*hej*")
    assert posted["message"]["text"] == "*hej*"
    assert [c.method for c in raw_fake.calls] == [
        "users.lookupByEmail", "conversations.create", "conversations.invite",
        "conversations.invite", "conversations.create", "chat.postMessage"]
    assert raw_fake.all_failures == []


async def test_invalid_answer_would_be_caught() -> None:
    """The validator rejects a channel id Slack would never send (the spec's pattern)."""
    spec = load_spec()
    bad = {"ok": True, "channel": "general", "ts": "1.2", "message": {"type": "message"}}
    problems = spec.check_response("chat.postMessage", bad)
    assert any("channel" in p for p in problems)
    assert any("'text' is a required property" in p for p in problems)


async def test_list_valued_items_are_enforced() -> None:
    """objs_conversation is `items: [...]` in the spec; without our rewrite anything passes."""
    spec = load_spec()
    answer = {"ok": True, "channel": {"id": "C123456789"}}
    problems = spec.check_response("conversations.create", answer)
    assert problems, "a channel without name/created/... must not validate"


async def test_wrong_token_is_refused(raw_fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as err:
        await client(raw_fake, "xoxb-wrong").auth_test()
    assert err.value.response["error"] == "invalid_auth"


async def test_rate_limit_answers_429_with_retry_after(raw_fake: FakeSlack) -> None:
    web = client(raw_fake)  # slack_sdk's plain client: a 429 is an error
    raw_fake.rate_limit("auth.test", times=1, retry_after=1)
    with pytest.raises(SlackApiError) as err:
        await web.auth_test()
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"


async def test_the_bots_client_waits_as_often_and_as_long_as_slack_asks(
        raw_fake: FakeSlack) -> None:
    """More 429s than any retry count slack_sdk's handler would allow, and every wait kept
    (the old client gave up after two retries or at a Retry-After over 30 s)."""
    web = make_web_client(BOT_TOKEN, raw_fake.base_url)
    raw_fake.rate_limit("auth.test", times=6, retry_after=0.15)
    started = time.monotonic()
    assert (await web.auth_test())["user_id"] == BOT_USER
    assert time.monotonic() - started >= 6 * 0.15
    assert [c.status for c in raw_fake.calls_to("auth.test")] == [429] * 6 + [200]


async def test_views_beyond_block_kit_limits_are_failures(raw_fake: FakeSlack) -> None:
    trigger = raw_fake.ws.new_trigger()
    view = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 30},
            "blocks": [{"type": "input", "block_id": "t",
                        "label": {"type": "plain_text", "text": "T"},
                        "element": {"type": "plain_text_input", "action_id": "v"}}]}
    with pytest.raises(SlackApiError):
        await client(raw_fake).views_open(trigger_id=trigger, view=view)
    assert any("view.title" in p for p in raw_fake.all_failures)
    assert any("view.submit" in p for p in raw_fake.all_failures)
