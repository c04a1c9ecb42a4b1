"""Malformed input: each gets a stable code, params with usage and example, and a text."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest
from grammar_roster import NOW, TZ

import bot.grammar
from bot.domain.errors import DomainError
from bot.domain.roster import Roster
from bot.grammar.names import Names
from bot.grammar.parser import parse
from bot.grammar.rules import parse_interval, parse_rule
from bot.grammar.words import COMMANDS, command
from bot.texts.grammar import TEXTS

MALFORMED: list[tuple[str, str]] = [
    ("", "parse.empty"),
    ("   ", "parse.empty"),
    ("/", "parse.empty"),
    ("aktiver samordnande Storm", "parse.unknown_command"),
    ("actvate rsf Storm", "parse.unknown_command"),
    ("hej hej", "parse.unknown_command"),
    ("aktivera", "parse.missing_forum"),
    ("aktivera samordnande", "parse.missing_title"),
    ("aktivera samordnande oväder", "parse.missing_title"),
    ("aktivera oväder", "parse.missing_title"),
    ("aktivera samordnade Storm Gorm", "name.unknown_forum"),
    ("aktivera samord Storm Gorm", "name.ambiguous"),
    ("activate", "parse.missing_forum"),
    ("eskalera nånstans", "name.unknown_forum"),
    ("kalla", "parse.missing_target"),
    ("kalla ,", "parse.missing_target"),
    ("kalla Polsen", "name.unknown_target"),
    ("kalla Polisen, Regon Stockholm", "name.unknown_target"),
    ("kalla upplands", "name.ambiguous"),
    ("kalla TiB", "name.ambiguous"),
    ("kalla Polisen Region Stockholm", "name.ambiguous_list"),
    ("call foo@polisen", "name.unknown_function"),
    ("call tib@nowhere", "name.unknown_actor"),
    ("konferens 25:00", "parse.bad_clock"),
    ("konferens snart", "parse.bad_time"),
    ("konferens idag 08:00", "parse.time_past"),
    ("konferens var 3:e timme", "parse.missing_time"),
    ("konferens 14:00 var banan", "parse.bad_interval"),
    ("conference tomorrow every now and then", "parse.time_missing_clock"),
    ("konferens december 10:00", "parse.month_without_day"),
    ("möte flytta 3", "parse.missing_day"),
    ("möte flytta 3 14:00", "parse.missing_day"),
    ("konferens jul 10:00", "parse.ambiguous_jul"),
    ("konferens 1/12 10:00", "parse.ambiguous_date"),
    ("konferens inatt", "parse.ambiguous_night"),
    ("konferens 30 februari 10:00", "parse.no_such_date"),
    ("konferens torsdag 25 december 10:00", "parse.weekday_mismatch"),
    ("konferens i morgon i övermorgon 10:00", "parse.two_days"),
    ("konferens 10:00 11:00", "parse.two_times"),
    ("konferens i morgon bitti 15:00", "parse.part_mismatch"),
    ("konferens 2027-03-28 02:30", "parse.time_gap"),
    ("konferens 2027-10-31 02:30", "parse.time_ambiguous"),
    ("konferens 2026-12-24 10:00+02:00", "parse.offset_mismatch"),
    ("läge", "parse.missing_text"),
    ("report", "parse.missing_text"),
    ("läge händelse:; konsekvenser:", "parse.missing_text"),  # the form, not filled in
    ("läge Händelse:\nÅtgärder:  \n", "parse.missing_text"),
    ("report event: ; actions:", "parse.missing_text"),
    ("lägesbild nu tack", "parse.unexpected_text"),
    ("beslut", "parse.missing_text"),
    ("beslut #2026-004", "parse.missing_text"),
    ("beslut #20-4 Skolor stängs", "parse.bad_activation_id"),
    ("beslut #akt-2026 Skolor stängs", "parse.bad_activation_id"),
    ("beslut #? Skolor stängs", "parse.bad_activation_id"),
    ("åtagande", "parse.missing_text"),
    ("åtagande Polisen", "parse.missing_text"),
    ("åtagande Polisen och Trafikverket förstärker", "parse.commit_two_actors"),
    ("åtagande Polisen, Trafikverket förstärker", "parse.commit_two_actors"),
    ("åtagande Polisen samt Region Stockholm: förstärker", "parse.commit_two_actors"),
    ("åtagande Polisen & Trafikverket förstärker", "parse.commit_two_actors"),
    ("commit Polisen and Trafikverket reinforce", "parse.commit_two_actors"),
    ("budskap", "parse.missing_text"),
    ("övning", "parse.missing_scenario"),
    ("övning stormen", "name.unknown_scenario"),
    ("klocka snart", "parse.bad_delta"),
    ("klocka +0m", "parse.bad_delta"),
    ("klocka -30m", "parse.bad_delta"),
    ("klar tre", "parse.bad_number"),
    ("uppföljning", "parse.missing_number"),
    ("uppföljning 2", "parse.missing_text"),
    ("godkänn två", "parse.bad_number"),
    ("godkänn 0", "parse.bad_number"),
    ("godkänn 2 3", "parse.unexpected_text"),
    ("ordförande", "parse.missing_target"),
    ("ordförande Polisen Trafikverket", "parse.unexpected_text"),
    ("chair nobody", "name.unknown_target"),
    ("logg 0", "parse.bad_number"),
    ("logg 201", "parse.bad_number"),
    ("logg många", "parse.bad_number"),
    ("möte", "parse.missing_subcommand"),
    ("möte hoppa", "parse.unknown_subcommand"),
    ("möte ny", "parse.missing_forum"),
    ("möte ny xyz varje tisdag 09:00", "name.unknown_forum"),
    ("möte ny samordnande", "parse.missing_rule"),
    ("möte ny samordnande varje dag 08:00", "parse.bad_rule"),
    ("möte ny samordnande femte måndagen i månaden 13:00", "parse.bad_rule"),
    ("möte ny samordnande varje tisdag", "parse.rule_missing_time"),
    ("möte lista alla", "parse.unexpected_text"),
    ("möte stopp", "parse.missing_number"),
    ("möte stopp x", "parse.bad_number"),
    ("meeting jump", "parse.unknown_subcommand"),
    ("ärende", "parse.missing_text"),
    ("status nu", "parse.unexpected_text"),
    ("vem", "parse.missing_target"),
    ("vem nobody", "name.unknown_target"),
    ("who TiB", "name.ambiguous"),
    ("hjälp blaha", "parse.unknown_topic"),
    ("resurs", "parse.resource_subcommand"),
    ("resurs låna 3 bandvagnar", "parse.unknown_subcommand"),
    ("resurs behov", "parse.missing_resource"),
    ("resource need 3", "parse.missing_resource"),
    ("resurs behov 0 bandvagnar", "parse.bad_number"),
    ("resurs behov -2 bandvagnar", "parse.bad_number"),
    ("resurs behov bandvagnar −2", "parse.bad_number"),
    ("resurs erbjud +3 bandvagnar", "parse.bad_number"),
    ("resurs behov 2 2 bandvagnar", "parse.resource_two_counts"),
    ("resurs behov bandvagnar 2 3", "parse.resource_two_counts"),
    ("resurs erbjud 2 bandvagnar 3 st", "parse.resource_two_counts"),
    ("resurs behov reservkraftverk 100 kVA 3 4", "parse.resource_two_counts"),
    ("resurs behov 2 reservkraftverk 100 kVA 3", "parse.resource_two_counts"),
    ("resurs behov bandvagnar senast igår", "parse.day_past"),
    ("resurs erbjud bandvagnar tillgänglig i går", "parse.day_past"),
    ("resurs behov bandvagnar senast", "parse.resource_missing_time"),
    ("resurs behov bandvagnar senast 25:99", "parse.bad_clock"),
    ("resurs erbjud bandvagnar tillgänglig idag 08:00", "parse.time_past"),
    ("resurs matcha 2", "parse.resource_pair"),
    ("resurs matcha 2 3 4", "parse.resource_pair"),
    ("resurs matcha två tre", "parse.resource_number"),
    ("resurs levererad", "parse.resource_number"),
    ("resurs levererad 2 3", "parse.resource_number"),
    ("resurs prioritera", "parse.missing_resource"),
    ("resurs prioritera bandvagnar", "parse.missing_priority_target"),
    ("resurs prioritera bandvagnar till", "parse.missing_priority_target"),
    ("resurser alla", "parse.unexpected_text"),
]


def _fails(text: str, roster: Roster) -> DomainError:
    with pytest.raises(DomainError) as err:
        parse(text, roster, now=NOW, tz=TZ)
    return err.value


@pytest.mark.parametrize(("text", "code"), MALFORMED)
def test_malformed_input_gets_its_code(text: str, code: str, roster: Roster) -> None:
    err = _fails(text, roster)
    assert err.code == code
    assert err.params["usage"] and err.params["example"]
    assert err.params["language"] in ("sv", "en")


@pytest.mark.parametrize(("text", "code"), MALFORMED)
def test_malformed_input_renders_in_both_languages(text: str, code: str,
                                                   roster: Roster) -> None:
    err = _fails(text, roster)
    for lang in ("sv", "en"):
        rendered = TEXTS[err.code][lang].format(**err.params)
        assert "{" not in rendered and rendered.strip()
    if "suggestions" in err.params:
        assert err.params["suggestions"]
        assert ("Menade du" in TEXTS[err.code]["sv"]) != (err.code == "name.ambiguous")


@pytest.mark.parametrize(
    ("text", "lang", "usage"),
    [
        ("aktivera samordnande", "sv", "aktivera [--ny] <forum> [scenario] <rubrik…>"),
        ("activate rsf", "en", "activate [--new] <forum> [scenario] <title…>"),
        ("logg 0", "sv", "logg [antal]"),
        ("log 0", "en", "log [count]"),
        ("möte ny samordnande", "sv", command("möte").usage_sv),
        ("meeting new rsf", "en", command("möte").usage_en),
        ("kalla Polsen", "sv", "kalla <aktör|funktion>…"),
    ],
)
def test_errors_carry_usage_in_the_users_language(text: str, lang: str, usage: str,
                                                  roster: Roster) -> None:
    err = _fails(text, roster)
    assert (err.params["language"], err.params["usage"]) == (lang, usage)
    word = command("möte") if "möte" in text or "meeting" in text else None
    if word is not None:
        assert err.params["example"] == word.example(lang)  # type: ignore[arg-type]


def test_unknown_command_suggests_and_guesses_the_language(roster: Roster) -> None:
    err = _fails("aktiver samordnande Storm", roster)
    assert err.params["choices"][0] == "aktivera"
    assert err.params["language"] == "sv"
    err = _fails("hepl", roster)
    assert err.params["choices"][0] == "help"
    assert err.params["language"] == "en"
    assert "Menade du: help" in TEXTS["parse.unknown_command"]["sv"].format(**err.params)


@pytest.mark.parametrize(("text", "first", "lang"), [
    ("hjälp xyz", None, "sv"),
    ("hjälp exercis", "övning", "sv"),  # an English spelling is the closer: given in Swedish
    ("help övnin", "exercise", "en"),
])
def test_help_suggests_topics_in_the_language_of_its_word(
        roster: Roster, text: str, first: str | None, lang: str) -> None:
    """Found by a new user: `hjälp xyz` suggested `exercise, activate, escalate`."""
    err = _fails(text, roster)
    assert err.code == "parse.unknown_topic"
    spoken = {w.sv if lang == "sv" else w.en for w in COMMANDS}
    choices = err.params["choices"]
    assert choices and set(choices) <= spoken, choices
    assert first is None or choices[0] == first, choices


def test_example_text_shows_the_correction(roster: Roster) -> None:
    err = _fails("aktivera samordnande", roster)
    text = TEXTS[err.code]["sv"].format(**err.params)
    assert "Exempel: `aktivera samordnande oväder Snöstorm Gorm`" in text
    err = _fails("activate rsf", roster)
    text = TEXTS[err.code][err.params["language"]].format(**err.params)
    assert "Example: `activate samordnande storm Snowstorm Gorm`" in text


def _raised_codes() -> set[str]:
    """Every literal code in the grammar's source, `name.unknown_<kind>` expanded."""
    codes: set[str] = set()
    for path in Path(bot.grammar.__file__).parent.glob("*.py"):
        codes |= set(re.findall(r'"((?:parse|name)\.[a-z_]+)"', path.read_text("utf-8")))
    return codes | {f"name.unknown_{k}" for k in ("forum", "actor", "scenario")}


def test_every_code_raised_has_both_texts() -> None:
    codes = _raised_codes()
    assert len(codes) >= 20
    for code in codes:
        assert set(TEXTS[code]) == {"sv", "en"}, code


def test_every_text_is_exercised_by_a_test(names: Names) -> None:
    tested = {code for _text, code in MALFORMED} | {code for _t, code, _l in HUGE_TIMES}
    for call in (lambda: names.scenario("xyz"), lambda: parse_interval("x"),
                 lambda: parse_rule("x")):
        with pytest.raises(DomainError) as err:
            call()
        tested.add(err.value.code)
    assert set(TEXTS) == tested


def test_placeholders_are_params_that_are_passed() -> None:
    common = {"usage", "example", "language"}
    allowed = common | {"word", "value", "suggestions", "choices", "name", "actor", "at",
                        "min", "max", "subcommands", "suggestion", "clock",
                        "date", "weekday", "first", "second", "readings"}
    for code, entry in TEXTS.items():
        fields = [{f for _l, f, _s, _c in string.Formatter().parse(entry[lang]) if f}
                  for lang in ("sv", "en")]
        assert fields[0] == fields[1], code
        assert fields[0] <= allowed, code


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_name_errors_from_names_alone_render(names: Names, lang: str) -> None:
    params: dict[str, Any]
    for call in (lambda: names.actor("Polsen"), lambda: names.target("TiB"),
                 lambda: names.target("foo@polisen"), lambda: names.forum("x")):
        with pytest.raises(DomainError) as err:
            call()
        params = err.value.params
        assert "{" not in TEXTS[err.value.code][lang].format(**params)


# Found by a new user: a number that becomes a timedelta or datetime was not bounded, so
# these raised OverflowError ("Något gick fel") or, for the clock, hung replaying the jump.
HUGE_TIMES: list[tuple[str, str, str]] = [
    ("konferens om 99999999999 timmar", "parse.time_too_far", "366 dagar"),
    ("konferens om 367 dagar", "parse.time_too_far", "366 dagar"),
    ("konferens om 99999999 minuter", "parse.time_too_far", "366 dagar"),
    ("resurs behov 1 bandvagn senast om 99999999999 timmar", "parse.time_too_far",
     "366 dagar"),
    ("konferens 14:00 var 99999999999:e timme", "parse.interval_too_long", "366 dagar"),
    ("klocka +99999999999d", "parse.clock_jump_too_large", "60 dagar"),
    ("klocka +999999d", "parse.clock_jump_too_large", "60 dagar"),
    ("klocka +61d", "parse.clock_jump_too_large", "60 dagar"),
    ("klocka +1441h", "parse.clock_jump_too_large", "60 dagar"),
]


@pytest.mark.parametrize(("text", "code", "limit"), HUGE_TIMES)
def test_huge_times_are_refused_with_their_limit(text: str, code: str, limit: str,
                                                  roster: Roster) -> None:
    err = _fails(text, roster)
    assert err.code == code
    rendered = TEXTS[code]["sv"].format(**err.params)
    assert limit in rendered and "{" not in rendered


@pytest.mark.parametrize("text", ["klocka +60d", "klocka +1440h", "konferens om 366 dagar"])
def test_times_at_the_limit_are_still_read(text: str, roster: Roster) -> None:
    parse(text, roster, now=NOW, tz=TZ)


def test_a_commitment_names_one_actor_found_by_a_new_user(roster: Roster) -> None:
    """"åtagande Polisen och SOS Alarm förstärker" was Polisen's commitment "och SOS Alarm
    förstärker"; two actors are refused and both named, one actor with "och" in its text is
    not."""
    err = _fails("åtagande Polisen och Trafikverket förstärker", roster)
    text = TEXTS[err.code]["sv"].format(**err.params)
    assert "”Polisen” och ”Trafikverket” är två" in text
    assert "`åtagande Trafikverket <text>`" in text
    ok = parse("åtagande Polisen spärrar och leder om trafiken", roster, now=NOW, tz=TZ)
    assert ok.body.text == "spärrar och leder om trafiken"  # type: ignore[union-attr]
