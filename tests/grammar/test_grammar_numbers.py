"""Numbers people type are ASCII digits: every number slot of every command, given digits
that `str.isdigit` accepts but `int()` does not (superscripts, circled, fractions) or digits
of other scripts, is refused with a code, never an internal error. Found by the fuzz test:
`uppföljning #2026-999 ² …` raised inside the parser."""

from __future__ import annotations

import pytest
from grammar_roster import NOW, TZ

from bot.domain.errors import DomainError
from bot.domain.roster import Roster
from bot.grammar.parser import parse
from bot.grammar.words import is_number

ODD_DIGITS = ["²", "¹⁰", "①", "½", "٣", "३", "１", "2²", "Ⅻ"]

# Every command with a number in it, `{n}` where the number goes.
SLOTS = [
    "godkänn {n}",
    "logg {n}",
    "klar {n}",
    "uppföljning {n} Skolorna öppnar",
    "uppföljning #2026-999 {n} Skolorna öppnar",
    "möte stopp {n}",
    "möte flytta {n} 2026-12-24",
    "konferens om {n} timmar",
    "konferens 14:00 var {n}:e timme",
    "resurs matcha {n} 2",
    "resurs matcha 1 {n}",
    "resurs återkalla {n}",
    "resurs behov {n} bandvagnar",
    "resurs prioritera bandvagnar till vården ordning {n}",
    "klocka +{n}m",
    "aktivera #2026-{n} samordnande Storm",
]


@pytest.mark.parametrize("slot", SLOTS)
@pytest.mark.parametrize("digits", ODD_DIGITS)
def test_odd_digits_are_refused_or_read_never_crash(slot: str, digits: str,
                                                    roster: Roster) -> None:
    text = slot.format(n=digits)
    try:
        parse(text, roster, now=NOW, tz=TZ)
    except DomainError as err:
        assert err.code.startswith(("parse.", "name.", "time.")), (text, err.code)


@pytest.mark.parametrize(("text", "expected"), [
    ("12", True), ("0", True), ("", False), ("²", False), ("١٢", False), ("１２", False),
    ("1.5", False), ("-1", False), ("12a", False),
])
def test_is_number_takes_ascii_digits_only(text: str, expected: bool) -> None:
    assert is_number(text) is expected
