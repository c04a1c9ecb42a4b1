"""A shared room keeps its language: one person's English command words change nothing that
others read. Found by a new user: `activate` wrote the war room, the forum's notice, the
timeline and the protocol in English for everyone.

The rule (bot.handlers.context.Ctx.lang): what the room reads is Swedish; only `help` and
refusals, answered to the speaker alone, are in the language of the command word.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.handlers.types import Origin
from bot.platforms.console.platform import ConsolePlatform
from bot.settings import Settings
from tests.conftest import sqlite_url
from tests.core.conftest import START, holder, say

TIB, POLICE = "tib@lansstyrelsen", "vakthavande-befal@polisen"

# (who, Swedish line, the same with the English command word): every command that answers
# in the room, posts, notifies or writes the timeline
SCRIPT: list[tuple[str, str, str]] = [
    (TIB, "aktivera samordnande oväder Snöstorm Gorm",
     "activate samordnande oväder Snöstorm Gorm"),
    (POLICE, "kvittera", "ack"),
    (TIB, "kalla sakerhetschef@botkyrka", "call sakerhetschef@botkyrka"),
    (TIB, "konferens 15:00", "conference 15:00"),
    (TIB, "konferens", "conference"),
    (POLICE, "läge händelse: träd över väg", "report händelse: träd över väg"),
    (TIB, "lägesbild", "picture"),
    (TIB, "beslut Skolor stängs", "decision Skolor stängs"),
    (POLICE, "åtagande Polisen leder trafiken", "commit Polisen leder trafiken"),
    (TIB, "budskap Undvik resor", "message Undvik resor"),
    (POLICE, "godkänn 1", "approve 1"),
    (TIB, "uppföljning 1 Skolorna är stängda", "followup 1 Skolorna är stängda"),
    (POLICE, "resurs behov 2 bandvagnar senast 18:00", "resource need 2 bandvagnar by 18:00"),
    (TIB, "resurs erbjud 2 bandvagnar", "resource offer 2 bandvagnar"),
    (TIB, "resurs matcha 1 2", "resource match 1 2"),
    (TIB, "resurser", "resources"),
    (TIB, "klar 1", "done 1"),
    (TIB, "logg 5", "log 5"),
    (TIB, "status", "status"),
    (TIB, "vem TiB@Botkyrka", "who TiB@Botkyrka"),
    (TIB, "ordförande Polisen", "chair Polisen"),
    (TIB, "eskalera", "escalate"),
    (TIB, "avaktivera Stormen är över", "deactivate Stormen är över"),
]


async def _play(url: str, lang: int) -> tuple[list[str], str, str | None]:
    """(the replies, everything posted in rooms, the first activation's protocol)."""
    app: App = await build_app(Settings(database_url=url), clock=ManualClock(START))
    out = io.StringIO()
    app.add_platform(ConsolePlatform(app.roster, app.uow, out))
    replies: list[str] = []
    try:
        room: str | None = None
        for who, *lines in SCRIPT:
            person = holder(app, who)
            reply = await app.service.handle(lines[lang], Origin("console", person, room,
                                                                  user=person))
            await app.relay.wait_idle()
            assert reply.ok, (lines[lang], reply.text)
            replies.append(reply.text)
            async with app.uow() as uow:
                room = await uow.rooms.room("activation", "2026-001", "console")
        async with app.uow() as uow:
            act = await uow.activations.get("2026-001")
        return replies, out.getvalue(), act.protocol if act else None
    finally:
        await app.close()


@pytest.fixture
async def both(tmp_path: Path) -> AsyncIterator[tuple[tuple[list[str], str, str | None], ...]]:
    (tmp_path / "sv").mkdir()
    (tmp_path / "en").mkdir()
    yield (await _play(sqlite_url(tmp_path / "sv"), 0),
           await _play(sqlite_url(tmp_path / "en"), 1))


async def test_english_command_words_leave_the_rooms_swedish(
        both: tuple[tuple[list[str], str, str | None], ...]) -> None:
    (sv_replies, sv_rooms, sv_protocol), (en_replies, en_rooms, en_protocol) = both
    for (_who, sv, en), a, b in zip(SCRIPT, sv_replies, en_replies, strict=True):
        assert a == b, (sv, en)  # the reply in the room, word for word
    # war rooms, forum notices, reminders (rooms are served concurrently: compare as sets)
    assert sorted(sv_rooms.splitlines()) == sorted(en_rooms.splitlines())
    assert sv_protocol and sv_protocol == en_protocol  # and the timeline in it


async def test_help_and_refusals_answer_the_speaker_in_english(app: App) -> None:
    helped = await say(app, TIB, "help activate")
    assert helped.private and helped.lang == "en" and "activate" in helped.text
    refused = await say(app, TIB, "decision")
    assert refused.private and refused.lang == "en" and "Example" in refused.text
    opened = await say(app, TIB, "activate samordnande oväder Snöstorm Gorm")
    assert not opened.private and opened.lang == "sv" and "Aktivering #" in opened.text
