"""Malformed, ambiguous and unauthorised commands: each gets its own error code and a text,
and the database is the same before and after, compared as a full dump."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from storage.dump import dump_async
from tests.core.conftest import say

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only
TIB = "tib@lansstyrelsen"
OUTSIDER = "kommunikator@botkyrka"  # in the roster, not called into the activation

CASES: list[tuple[str | None, str, str]] = [
    (TIB, "", "parse.empty"),
    (TIB, "flyga iväg", "parse.unknown_command"),
    (TIB, "aktivera", "parse.missing_forum"),
    (TIB, "aktivera samordnande", "parse.missing_title"),
    (TIB, "aktivera samordnande oväder", "parse.missing_title"),
    (TIB, "aktivera xyzforum Snöstorm Gorm", "name.unknown_forum"),
    (None, "aktivera samordnande Snöstorm Gorm", "auth.not_in_roster"),
    (None, "status", "auth.not_in_roster"),
    ("tib@botkyrka", "aktivera inriktande Snöstorm Gorm", "auth.no_mandate"),
    (OUTSIDER, "aktivera samordnande Snöstorm Gorm", "auth.no_mandate"),
    (TIB, "beslut", "parse.missing_text"),
    (TIB, "läge", "parse.missing_text"),
    (TIB, "budskap", "parse.missing_text"),
    (TIB, "konferens 25:99", "parse.bad_clock"),
    (TIB, "konferens 2020-01-01 10:00", "parse.time_past"),
    (TIB, "logg 0", "parse.bad_number"),
    (TIB, "logg tusen", "parse.bad_number"),
    (TIB, "godkänn 7", "message.none_pending"),  # no message at all: how to propose one
    (TIB, "godkänn", "message.none_pending"),
    (TIB, "beslut #2026-999 Något", "activation.unknown"),
    (TIB, "beslut #abc Något", "parse.bad_activation_id"),
    (TIB, "kalla", "parse.missing_target"),
    (TIB, "kalla Atlantis", "name.unknown_target"),
    (TIB, "kalla Upplands", "name.ambiguous"),
    (TIB, "kalla Polisen Region Stockholm", "name.ambiguous_list"),
    (TIB, "aktivera samordnande oväder SNÖSTORM  gorm", "activation.duplicate"),
    ("tib@botkyrka", "aktivera samordnande storm snöstorm-gorm", "activation.duplicate"),
    (TIB, "kalla tib@lansstyrelsen", "call.all_present"),
    (TIB, "ordförande Atlantis", "name.unknown_target"),
    (TIB, "ordförande kommundirektor@botkyrka", "chair.not_called"),
    (TIB, "ordförande tib@lansstyrelsen", "chair.same"),
    (OUTSIDER, "läge Allt lugnt", "activation.none_for_you"),
    (OUTSIDER, "läge #2026-001 Allt lugnt", "auth.not_participant"),
    (OUTSIDER, "kvittera #2026-001", "auth.not_participant"),
    ("tib@botkyrka", "avaktivera", "auth.deactivate"),
    ("tib@botkyrka", "eskalera", "auth.escalate"),
    (TIB, "eskalera samordnande", "activation.already_active"),
    (TIB, "åtagande MCF Stödjer med nationell samordning", "commit.actor_not_called"),
    (TIB, "vem Atlantis", "name.unknown_target"),
    (TIB, "hjälp flyga", "parse.unknown_topic"),
    (TIB, "möte", "parse.missing_subcommand"),
    (TIB, "möte ny veckokonferens", "parse.missing_rule"),
    (TIB, "möte ny veckokonferens varannan blåmåndag", "parse.bad_rule"),
    (TIB, "möte ny xyzforum varje torsdag 09:00", "name.unknown_forum"),
]


async def _setup(app: App) -> None:
    reply = await say(app, TIB, "aktivera samordnande oväder Snöstorm Gorm")
    assert reply.ok, reply.text
    assert (await say(app, "vakthavande-befal@polisen", "kvittera")).ok
    await app.relay.wait_idle()


async def test_refusals_change_nothing(app: App, database_url: str) -> None:
    assert len(CASES) >= 30
    await _setup(app)
    before = await dump_async(database_url)
    wrong: list[str] = []
    for who, text, code in CASES:
        reply = await say(app, who, text)
        if reply.ok or reply.code != code:
            wrong.append(f"{text!r}: expected {code}, got {reply.code}: {reply.text}")
        elif len(reply.text) < 20:
            wrong.append(f"{text!r}: the answer says too little: {reply.text!r}")
    await app.relay.wait_idle()
    assert not wrong, "\n".join(wrong)
    assert await dump_async(database_url) == before


async def test_an_unknown_message_number_lists_the_messages(app: App) -> None:
    """Found by a new user: with no message at all, `godkänn 9` said "Budskap: –"."""
    await _setup(app)
    assert (await say(app, TIB, "budskap Undvik onödiga resor")).ok
    reply = await say(app, TIB, "godkänn 9")
    assert reply.code == "message.unknown" and "Budskap: 1." in reply.text, reply.text


async def test_errors_suggest_and_show_examples(app: App) -> None:
    await _setup(app)
    reply = await say(app, TIB, "kalla Polisn")
    assert reply.code == "name.unknown_target" and "Polisen" in reply.text
    reply = await say(app, TIB, "aktivera samordnande")
    assert "aktivera samordnande oväder Snöstorm Gorm" in reply.text  # a corrected example
    reply = await say(app, TIB, "activate")
    assert reply.lang == "en" and "Example" in reply.text
