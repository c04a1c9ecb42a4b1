"""Story 3 of the model (storm, activated mode) played through the Slack app end to end:
signed slash commands over HTTP → the core → war rooms, invitations, posts and the protocol
on the (spec-checked) fake Slack, which enforces Slack's rate tiers (conftest.TIME_SCALE);
then the stored record. Slack's 429s only delay the story: every invitation is done, every
answer and post delivered (issue 9)."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import fake_slack_limits
import pytest
from fake_slack_api import FakeSlack
from slack_harness import START, Harness, slack_bot

from bot.clock import ManualClock
from bot.domain.record import ActivationStatus, Stage
from bot.domain.roster import FunctionRef
from bot.platforms.slack import directory
from bot.scheduling.runtime import install_exercise_clock
from tests.conftest import sqlite_url

# The console story (tests/core/test_story_storm_console.py), spoken as Slack users.
ACKS_1 = ["vakthavande-befal@polisen", "tib@region-stockholm", "sl-trafikledning@region-stockholm",
          "trafik-stockholm@trafikverket", "tib@stockholm", "tib@nacka", "operativ-chef@ssbf",
          "krisberedskapssamordnare@sos-alarm", "kommunikationskoordinator@samordningskansliet",
          "lagesbild@lansstyrelsen"]
REPORTS = [
    ("vakthavande-befal@polisen",
     "läge Fler trafikolyckor än normalt; RLC förstärker med extra patruller"),
    ("sl-trafikledning@region-stockholm", "läge Pendeltåg och bussar kraftigt försenade"),
    ("trafik-stockholm@trafikverket",
     "läge händelse: framkomligheten på E4 och E18 starkt begränsad; "
     "konsekvenser: fjärrtåg ställs in"),
    ("tib@stockholm",
     "läge Snöröjningen räcker inte till; skolor och förskolor kan behöva stängas"),
    ("operativ-chef@ssbf", "läge Förstärkt beredskap; svårt att nå vissa områden med fordon"),
    ("tib@lansstyrelsen", "läge Flera flygplatser kan behöva stängas enligt flygplatsoperatören"),
]
DECISIONS = ["Skolor och förskolor hålls stängda kommande dygn",
             "Snöröjning prioriteras för spårbunden trafik och huvudgator för stombusslinjer",
             "Vissa busslinjer ställs in i förväg",
             "Regionens bandvagnar prioriteras för akuta sjukvårdsbehov och räddningsinsatser"]
DIRECTORS = ["lansoverdirektor@lansstyrelsen", "kommundirektor@stockholm",
             "regiondirektor@region-stockholm"]
MESSAGE = ("Undvik privata resor och stanna hemma om du kan. "
           "Ha ficklampa och batteriradio redo om strömmen går.")


@pytest.fixture
async def storm_bot(slack_fake: FakeSlack, database_url: str) -> AsyncIterator[Harness]:
    async with slack_bot(slack_fake, database_url) as harness:
        yield harness


async def in_room(bot: Harness, channel: str, steps: list[tuple[str, str]]) -> None:
    for who, text in steps:
        answer = await bot.say(who, text, channel=channel)
        assert answer["response_type"] == "in_channel", (who, text, answer["text"])


async def _conferences(bot: Harness, first: str, second: str) -> None:
    """The coordinating forum's conference at 13:30 (oväder: every 3 h), the directing
    forum's two hours later; the simulated clock fires them, the directors answer the roll
    call in their channel."""
    assert isinstance(bot.app.clock, ManualClock)
    for step in (timedelta(minutes=15), timedelta(hours=2)):
        bot.app.clock.advance(step)
        await bot.app.service.tick()
        await bot.settle()
    assert "Samverkanskonferens 13:30" in texts_in(bot, first)
    assert "Samverkanskonferens 15:30" in texts_in(bot, second)
    await in_room(bot, second, [(who, "närvarande") for who in DIRECTORS])


async def play(bot: Harness) -> tuple[str, str]:
    install_exercise_clock(bot.app, bot.app.service)
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", "samordnande oväder Snöstorm Gorm",
                             channel=bot.channels["samordnande"])
    await bot.settle()
    assert "#2026-001" in bot.fake.responses_to(sent.key)[0]["text"]
    first = await bot.war_room("2026-001")
    await in_room(bot, first, [(who, "kvittera") for who in ACKS_1])
    assert isinstance(bot.app.clock, ManualClock)
    bot.app.clock.advance(timedelta(minutes=15))
    await bot.app.service.tick()  # unacknowledged functions go to their deputies
    await bot.settle()
    await in_room(bot, first, [*REPORTS, ("tib@lansstyrelsen", "lägesbild"),
                               ("tib@lansstyrelsen", "eskalera")])
    second = await bot.war_room("2026-002")
    await in_room(bot, second, [
        *((who, "kvittera") for who in DIRECTORS),
        ("tib@lansstyrelsen", "ordförande lansoverdirektor@lansstyrelsen"),
        ("tib@lansstyrelsen", "konferens 15:30")])
    await _conferences(bot, first, second)
    await in_room(bot, second, [
        *(("lansoverdirektor@lansstyrelsen", f"beslut {d}") for d in DECISIONS),
        ("regiondirektor@region-stockholm",
         "åtagande Ställer in utvalda busslinjer från 06:00 och sätter bandvagnar i beredskap"),
        ("kommundirektor@stockholm", "åtagande Stänger stadens skolor och förskolor i morgon"),
    ])
    await in_room(bot, first, [
        ("kommunikationskoordinator@samordningskansliet", f"budskap {MESSAGE}"),
        ("tib@lansstyrelsen", "godkänn 1")])
    await in_room(bot, second, [
        ("lansoverdirektor@lansstyrelsen",
         "avaktivera Inriktningen är beslutad; uppföljning i samordnande forum")])
    await in_room(bot, first, [("tib@lansstyrelsen", "avaktivera Händelsen är hanterad")])
    return first, second


@pytest.mark.long
async def test_storm_through_slack(storm_bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    bot = storm_bot
    refused = await play_rate_limited(bot, caplog)
    assert refused["chat.postMessage"] > 0, "the story must meet Slack's post limit"
    # The directory read the workspace once with users.list (200 a page) instead of making
    # ~115 Tier 3 look-ups.
    pages = -(-len(bot.fake.ws.users) // directory.LIST_PAGE)
    assert len(bot.fake.calls_to("users.list")) == pages
    assert bot.fake.calls_to("users.lookupByEmail") == []
    await check_story(bot)


@pytest.mark.long
async def test_storm_with_one_lookup_at_a_time(
        slack_fake: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same story where every person is looked up by e-mail (as when users.list does not
    pay off): ~115 look-ups run into Tier 3 and wait, and nothing is lost. Tier 3 allows 20
    a (scaled, 3 s) minute here instead of 50: at 50 a busy machine (tests side by side)
    looked people up too slowly to meet the limit at all, and the test proved nothing."""
    monkeypatch.setattr(directory, "LIST_AT", 10_000)
    monkeypatch.setitem(fake_slack_limits.TIER_PER_MINUTE, 3, 20)
    async with slack_bot(slack_fake, sqlite_url(tmp_path)) as bot:
        refused = await play_rate_limited(bot, caplog)
        assert refused["users.lookupByEmail"] > 0, "the story must meet Slack's Tier 3 limit"
        assert bot.fake.calls_to("users.list") == []
        await check_story(bot)


async def play_rate_limited(bot: Harness, caplog: pytest.LogCaptureFixture) -> Counter[str]:
    """Play the story; how many calls of each method Slack refused with 429."""
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        await play(bot)
    refused = Counter(c.method for c in bot.fake.refused())
    print(f"story over rate-limited Slack: {time.monotonic() - started:.1f} s, 429s {refused}")
    failures = [r.getMessage() for r in caplog.records
                if r.levelno >= logging.ERROR and r.name.startswith("bot.")]
    assert failures == []  # no effect failed, none was given up
    return refused


async def check_story(bot: Harness) -> None:
    first, second = await bot.war_room("2026-001"), await bot.war_room("2026-002")
    names = [c.args["name"] for c in bot.fake.calls_to("conversations.create")]
    assert names == ["akt-2026-001-snostorm-gorm", "akt-2026-002-snostorm-gorm"]
    assert f"<#{first}>" in texts_in(bot, second)  # the directing room links the first
    await check_invitations(bot, {"2026-001": first, "2026-002": second})
    await check_record(bot)
    for channel in (first, second):  # the protocol is posted; the rooms are kept
        assert "Protokoll för aktivering" in texts_in(bot, channel)
        assert not bot.fake.ws.channels[channel].archived
    assert all(d in texts_in(bot, second) for d in DECISIONS)
    assert "batteriradio" in texts_in(bot, first)


async def check_invitations(bot: Harness, rooms: dict[str, str]) -> None:
    """Everyone called — the roster's holders, and deputies after the deadline — was
    invited to the room, and nobody else."""
    roster, now = bot.app.roster, bot.app.clock.now()
    async with bot.app.uow() as uow:
        for activation, channel in rooms.items():
            rows = await uow.participants.of_activation(activation)
            for row in rows:
                ref = FunctionRef.parse(row.function)
                if row.holder is None:
                    assert row.person == roster.holder(ref, now)
                else:  # escalated: the holder stays invited, the deputy is added
                    fallback = roster.fallback(ref, now)
                    assert row.holder == roster.holder(ref, now)
                    assert row.person in {roster.deputy(ref, now), fallback and fallback[1]}
            # a row escalated twice (holder → deputy → duty function) invited the deputy too
            passed = [roster.deputy(FunctionRef.parse(r.function), now) for r in rows
                      if r.stage is Stage.FALLBACK]
            wanted = {bot.users[p] for r in rows for p in (r.person, r.holder) if p}
            wanted |= {bot.users[p] for p in passed if p}
            assert invited_to(bot, channel) == wanted, activation
        escalated = [r for r in await uow.participants.of_activation("2026-001") if r.holder]
    assert escalated, "the story has functions that did not acknowledge in time"


async def check_record(bot: Harness) -> None:
    async with bot.app.uow() as uow:
        act1, act2 = await uow.activations.get("2026-001"), await uow.activations.get("2026-002")
        assert act1 and act2 and act2.parent_id == "2026-001" and act2.forum == "inriktande"
        assert act2.chair == "lansoverdirektor@lansstyrelsen"
        assert act1.status is ActivationStatus.CLOSED and act2.status is ActivationStatus.CLOSED
        reports = await uow.reports.of_event(act1.event_id)
        decisions = await uow.decisions.of_event(act1.event_id)
        commitments = await uow.commitments.of_event(act1.event_id)
        (message,) = await uow.messages.of_event(act1.event_id)
    assert len({r.actor for r in reports}) == len(REPORTS)
    assert [d.text for d in decisions] == DECISIONS
    assert {d.forum for d in decisions} == {"inriktande"}
    assert {c.actor for c in commitments} == {"region-stockholm", "stockholm"}
    assert message.approved_at is not None and message.text == MESSAGE
    assert act1.protocol and all(d in act1.protocol for d in DECISIONS)
    async with bot.app.uow() as uow:
        roll_call = await uow.roll_calls.latest("2026-002")
        assert roll_call is not None
        present = {a.function for a in await uow.roll_calls.attendees(roll_call.id or 0)}
    assert roll_call.occurrence == START + timedelta(hours=2, minutes=30)
    assert present == set(DIRECTORS)


def texts_in(bot: Harness, channel: str) -> str:
    return "\n".join(m["text"] for m in bot.fake.ws.channels[channel].messages)


def invited_to(bot: Harness, channel: str) -> set[str]:
    return {u for c in bot.fake.calls_to("conversations.invite")
            if c.args["channel"] == channel for u in c.args["users"].split(",")}
