"""The command table: spellings with and without å/ä/ö, English aliases, report fields."""

from __future__ import annotations

import pytest

from bot.grammar.words import COMMANDS, fold, lookup, plain, report_fields

SPELLINGS = [
    ("läge", "läge"), ("lage", "läge"), ("LÄGE", "läge"), ("lägesbild", "lägesbild"),
    ("lagesbild", "lägesbild"), ("åtagande", "åtagande"), ("atagande", "åtagande"),
    ("godkänn", "godkänn"), ("godkann", "godkänn"), ("ordförande", "ordförande"),
    ("ordforande", "ordförande"), ("möte", "möte"), ("mote", "möte"), ("ärende", "ärende"),
    ("arende", "ärende"), ("hjälp", "hjälp"), ("hjalp", "hjälp"), ("närvarande", "närvarande"),
    ("narvarande", "närvarande"), ("kvittera", "kvittera"), ("Aktivera", "aktivera"),
    ("övning", "övning"), ("ovning", "övning"), ("ÖVNING", "övning"),
    ("uppfoljning", "uppföljning"),
]
ENGLISH = {
    "activate": "aktivera", "escalate": "eskalera", "call": "kalla", "ack": "kvittera",
    "conference": "konferens", "report": "läge", "picture": "lägesbild", "decision": "beslut",
    "commit": "åtagande", "message": "budskap", "approve": "godkänn", "chair": "ordförande",
    "log": "logg", "deactivate": "avaktivera", "meeting": "möte", "item": "ärende",
    "status": "status", "who": "vem", "help": "hjälp", "present": "närvarande",
    "exercise": "övning", "clock": "klocka", "done": "klar", "followup": "uppföljning",
    "resource": "resurs", "resources": "resurser",
}


@pytest.mark.parametrize(("spelling", "canonical"), SPELLINGS)
def test_swedish_spellings(spelling: str, canonical: str) -> None:
    found = lookup(spelling)
    assert found is not None
    assert (found[0].sv, found[1]) == (canonical, "sv")


@pytest.mark.parametrize(("alias", "canonical"), sorted(ENGLISH.items()))
def test_english_aliases(alias: str, canonical: str) -> None:
    found = lookup(alias.upper())
    assert found is not None
    assert found[0].sv == canonical
    assert found[1] == ("sv" if alias == canonical else "en")


def test_table_is_complete() -> None:
    assert {w.en: w.sv for w in COMMANDS} == ENGLISH
    for word in COMMANDS:
        for lang in ("sv", "en"):
            usage, example = word.usage(lang), word.example(lang)
            assert usage.split()[0] == word.name(lang)
            assert example.split()[0] == word.name(lang)
            assert word.summary(lang)
    assert lookup("samverkan") is None and lookup("aktiverar") is None


def test_fold_and_plain() -> None:
    assert fold("Upplands-Bro  Kommun") == "upplands bro kommun"
    assert fold("Länsstyrelsen i Stockholms län") == "lansstyrelsen i stockholms lan"
    assert plain("Å ÄÖ 14.00") == "a ao 14.00"


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("Allt lugnt", {}),
        ("Läget: lugnt", {}),
        ("händelse: träd över väg; konsekvenser: E18 stängd", {
            "handelse": "träd över väg", "konsekvenser": "E18 stängd"}),
        ("Händelse : storm\nPlanerade åtgärder: röjning\nnästa rapport: 15:00", {
            "handelse": "storm", "planerade_atgarder": "röjning", "nasta_rapport": "15:00"}),
        ("åtgärder: röjning; åtgärder: saltning; resurser:", {
            "atgarder": "röjning; saltning"}),
        ("event: outage; needs: generators; assessment: worse tonight", {
            "handelse": "outage", "samverkansbehov": "generators",
            "bedomning": "worse tonight"}),
    ],
)
def test_report_fields(text: str, fields: dict[str, str]) -> None:
    assert report_fields(text) == fields
    assert all(key.isascii() for key in report_fields(text))
