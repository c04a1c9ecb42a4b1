"""How each adapter reads a platform's message into text, links and mentions (the Slack
adapter against the spec-checking fake, the Matrix adapter without a homeserver: reading
needs none), and which events are not relayed at all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fake_slack_api import BOT_TOKEN, FakeSlack
from fake_slack_state import BOT_ID, BOT_USER
from pydantic import SecretStr
from slack_requests import SIGNING_SECRET

from bot.bootstrap import App, build_app, matrix_platform, slack_platform
from bot.clock import ManualClock
from bot.domain.bridge import Link, Mention, Text
from bot.platforms.matrix import MatrixPlatform
from bot.platforms.slack import SlackPlatform
from bot.settings import MatrixSettings, Settings, SlackSettings
from tests.conftest import sqlite_url
from tests.matrix.harness import START

HS = "http://127.0.0.1:9"  # never called: reading needs no homeserver


@pytest.fixture
async def app(slack_fake: FakeSlack, tmp_path: Path) -> AsyncIterator[App]:
    settings = Settings(
        database_url=sqlite_url(tmp_path),
        matrix=MatrixSettings(homeserver=HS, user_id="@bot:samverkan.test",
                              access_token="token"),
        slack=SlackSettings(bot_token=SecretStr(BOT_TOKEN), api_url=slack_fake.base_url,
                            signing_secret=SecretStr(SIGNING_SECRET)))
    built = await build_app(settings, clock=ManualClock(START))
    try:
        yield built
    finally:
        await built.close()


def _matrix(app: App) -> MatrixPlatform:
    return matrix_platform(app)


def _slack(app: App) -> SlackPlatform:
    platform = slack_platform(app)
    assert platform is not None
    return platform


def test_matrix_pills_mxids_and_urls(app: App) -> None:
    bot = _matrix(app)
    anna, bo = app.roster.people[0], app.roster.people[1]
    body = (f"Hej {anna.name}, se https://example.se/a.pdf. Fråga {bo.matrix_id} "
            "eller @okänd:hs")
    formatted = f'Hej <a href="https://matrix.to/#/{anna.matrix_id}">{anna.name}</a>, …'
    assert bot.parts(body, formatted) == (
        Text("Hej "), Mention(anna.key), Text(", se "), Link("https://example.se/a.pdf"),
        Text(". Fråga "), Mention(bo.key), Text(" eller @okänd:hs"))


def _event(sender: str, content: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "m.room.message", "sender": sender, "event_id": "$e", "content": content,
            **extra}


def test_matrix_events_that_are_not_relayed(app: App) -> None:
    bot = _matrix(app)
    anna = app.roster.people[0].matrix_id
    assert bot.read("!r", _event(anna, {"msgtype": "m.text", "body": "!läge x"})) is None
    assert bot.read("!r", _event(anna, {"msgtype": "m.notice", "body": "en bot"})) is None
    assert bot.read("!r", _event(anna, {"msgtype": "m.text", "body": "* !kvittera",
                                        "m.new_content": {"msgtype": "m.text",
                                                          "body": "!kvittera"},
                                        "m.relates_to": {"rel_type": "m.replace",
                                                         "event_id": "$a"}})) is None
    assert bot.read("!r", {"type": "m.reaction", "sender": anna, "event_id": "$r",
                           "content": {}}) is None
    redaction = bot.read("!r", {"type": "m.room.redaction", "sender": anna, "event_id": "$d",
                                "content": {"redacts": "$a"}})
    assert redaction is not None and (redaction.action, redaction.message) == ("delete", "$a")
    reply = bot.read("!r", _event(anna, {
        "msgtype": "m.text", "body": "> <@x:hs> citat\n\nsvar",
        "m.relates_to": {"m.in_reply_to": {"event_id": "$q"}}}))
    assert reply is not None and reply.parts == (Text("svar"),)


async def test_slack_mentions_links_channels_and_entities(app: App,
                                                          slack_fake: FakeSlack) -> None:
    bot = _slack(app)
    anna = app.roster.people[0]
    anna_user = slack_fake.ws.add_user(anna.name, anna.email)
    stranger = slack_fake.ws.add_user("Främling", "x@example.com")
    parts = await bot.parts(f"Hej <@{anna_user}> och <@{stranger}|främling> &lt;b&gt; "
                            "<https://a.se|A &amp; B> <#C1|krisrum> <!here> <mailto:a@b.se>")
    assert parts == (
        Text("Hej "), Mention(anna.key), Text(" och "), Text("@främling"), Text(" <b> "),
        Link("https://a.se", "A & B"), Text(" "), Text("#krisrum"), Text(" "), Text("@here"),
        Text(" "), Link("mailto:a@b.se", ""))


async def test_slack_events_that_are_not_relayed(app: App, slack_fake: FakeSlack) -> None:
    bot = _slack(app)
    channel = slack_fake.ws.add_channel("krisrum", private=True, members=[BOT_USER])
    assert await bot.read({"type": "message", "channel": channel, "user": BOT_USER,
                           "text": "eget", "ts": "1.1"}) is None
    assert await bot.read({"type": "message", "channel": channel, "bot_id": "B9",
                           "subtype": "bot_message", "text": "en annan bot", "ts": "1.2"}) is None
    assert await bot.read({"type": "message", "subtype": "channel_join", "channel": channel,
                           "user": "U1", "text": "gick med", "ts": "1.3"}) is None
    unfurl = {"subtype": "message_changed", "channel": channel, "ts": "1.5",
              "message": {"user": "U1", "text": "x https://a.se", "ts": "1.4"}}
    assert await bot.read(unfurl) is None  # no `edited`: a link preview, not an edit
    ours = {"subtype": "message_deleted", "channel": channel, "ts": "1.6", "deleted_ts": "1.1",
            "previous_message": {"bot_id": BOT_ID, "text": "eget", "ts": "1.1"}}
    assert await bot.read(ours) is None
