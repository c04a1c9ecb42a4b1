"""Every command of PRODUCT.md §3, in Swedish and English, parsed to its AST."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from grammar_roster import NOW, TZ

from bot.domain.recurrence import Recurrence
from bot.domain.resources import ResourceKind
from bot.domain.roster import Roster
from bot.grammar import commands as c
from bot.grammar.commands import Command, Target
from bot.grammar.names import Names
from bot.grammar.parser import parse
from bot.grammar.words import COMMANDS

T14_30 = datetime(2026, 3, 10, 13, 30, tzinfo=UTC)
TOMORROW_08 = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)
POLISEN, REGION = Target("polisen"), Target("region")
TIB_LST = Target("lansstyrelsen", "tib")

CASES: list[tuple[str, str, c.Body, str]] = [
    # text, canonical word, body, language
    ("aktivera samordnande Snöstorm Gorm", "aktivera",
     c.Activate("samordnande", None, "Snöstorm Gorm"), "sv"),
    ("aktivera samordnande oväder Snöstorm Gorm", "aktivera",
     c.Activate("samordnande", "ovader", "Snöstorm Gorm"), "sv"),
    ("aktivera oväder Snöstorm Gorm", "aktivera",
     c.Activate("samordnande", "ovader", "Snöstorm Gorm"), "sv"),
    ("aktivera Regionalt inriktande forum Skolor  stängs", "aktivera",
     c.Activate("inriktande", None, "Skolor stängs"), "sv"),  # one line, spaces collapsed
    ("aktivera samordnande Demonstrationståg på Sergels torg", "aktivera",
     c.Activate("samordnande", None, "Demonstrationståg på Sergels torg"), "sv"),
    ("activate RSF demonstration May Day march", "aktivera",
     c.Activate("samordnande", "demonstration", "May Day march"), "en"),
    # a scenario's word that goes on into the title ("i", "över", …) is the title's too
    ("aktivera samordnande Oväder i norr", "aktivera",
     c.Activate("samordnande", "ovader", "Oväder i norr"), "sv"),
    ("aktivera Oväder över Roslagen", "aktivera",
     c.Activate("samordnande", "ovader", "Oväder över Roslagen"), "sv"),
    ("aktivera samordnande demonstration vid Sergels torg", "aktivera",
     c.Activate("samordnande", "demonstration", "demonstration vid Sergels torg"), "sv"),
    ("activate RSF demonstration in Kungsträdgården", "aktivera",
     c.Activate("samordnande", "demonstration", "demonstration in Kungsträdgården"), "en"),
    ("aktivera samordnande oväder I norr", "aktivera",  # capitalised: a title of its own
     c.Activate("samordnande", "ovader", "I norr"), "sv"),
    ("eskalera", "eskalera", c.Escalate(None), "sv"),
    ("eskalera inriktande", "eskalera", c.Escalate("inriktande"), "sv"),
    ("escalate rif", "eskalera", c.Escalate("inriktande"), "en"),
    ("kalla Polisen, Region Stockholm", "kalla", c.Call((POLISEN, REGION)), "sv"),
    # pasted and chat-written names: quotes, a typed @mention, Markdown emphasis
    ("kalla @Polisen och \"Region Stockholm\"", "kalla", c.Call((POLISEN, REGION)), "sv"),
    ("kalla ”Polisen”, **Region Stockholm**", "kalla", c.Call((POLISEN, REGION)), "sv"),
    ("kalla @tib@upplands-väsby", "kalla", c.Call((Target("upplands-vasby", "tib"),)), "sv"),
    ("kalla Region Stockholm Polisen upplands bro", "kalla",
     c.Call((REGION, POLISEN, Target("upplands-bro"))), "sv"),
    ("kalla TiB@Upplands Väsby och RSSL", "kalla",
     c.Call((Target("upplands-vasby", "tib"), Target("region", "rssl"))), "sv"),
    ("kalla TiB Länsstyrelsen, TiB Region Stockholm", "kalla",
     c.Call((TIB_LST, Target("region", "tib"))), "sv"),
    ("call polisen, polisen, trafikverket", "kalla",
     c.Call((POLISEN, Target("trafikverket"))), "en"),
    ("kvittera", "kvittera", c.Ack(), "sv"),
    ("kvittera, på väg in", "kvittera", c.Ack(), "sv"),
    ("ack", "kvittera", c.Ack(), "en"),
    ("närvarande", "närvarande", c.Present(), "sv"),
    ("narvarande", "närvarande", c.Present(), "sv"),
    ("present", "närvarande", c.Present(), "en"),
    ("konferens", "konferens", c.Conference(None), "sv"),
    ("konferens 14:30", "konferens", c.Conference(T14_30), "sv"),
    ("konferens 14:30 var 3:e timme", "konferens",
     c.Conference(T14_30, timedelta(hours=3)), "sv"),
    ("konferens imorgon 08:00 var 30:e minut", "konferens",
     c.Conference(TOMORROW_08, timedelta(minutes=30)), "sv"),
    ("conference tomorrow 08:00 every 3 hours", "konferens",
     c.Conference(TOMORROW_08, timedelta(hours=3)), "en"),
    ("conference", "konferens", c.Conference(None), "en"),
    ("konferens alla", "konferens", c.Conference(None, everything=True), "sv"),
    ("conference all", "konferens", c.Conference(None, everything=True), "en"),
    ("läge Allt lugnt i Upplands Väsby", "läge", c.Report("Allt lugnt i Upplands Väsby"), "sv"),
    ("lage Läget: stabilt", "läge", c.Report("Läget: stabilt"), "sv"),
    ("läge Läget:; händelse:", "läge", c.Report("Läget:; händelse:"), "sv"),  # not only labels
    ("läge händelse: brand; konsekvenser:", "läge",
     c.Report("händelse: brand; konsekvenser:", {"handelse": "brand"}), "sv"),
    ("läge händelse: träd över väg 77; konsekvenser: E18 stängd; åtgärder: röjning", "läge",
     c.Report("händelse: träd över väg 77; konsekvenser: E18 stängd; åtgärder: röjning",
              {"handelse": "träd över väg 77", "konsekvenser": "E18 stängd",
               "atgarder": "röjning"}), "sv"),
    ("report event: power cut; next report: 15:00", "läge",
     c.Report("event: power cut; next report: 15:00",
              {"handelse": "power cut", "nasta_rapport": "15:00"}), "en"),
    ("lägesbild", "lägesbild", c.Picture(), "sv"),
    ("lagesbild", "lägesbild", c.Picture(), "sv"),
    ("picture", "lägesbild", c.Picture(), "en"),
    ("beslut Skolor stängs i morgon", "beslut", c.Decide("Skolor stängs i morgon"), "sv"),
    ("decision Schools close", "beslut", c.Decide("Schools close"), "en"),
    # A Markdown heading typed as the text is text, not a broken activation id.
    ("beslut # STÄNG ALLT", "beslut", c.Decide("# STÄNG ALLT"), "sv"),
    ("beslut ## Två brädgårdar", "beslut", c.Decide("## Två brädgårdar"), "sv"),
    ("läge # Rubrik", "läge", c.Report("# Rubrik"), "sv"),
    ("åtagande Region Stockholm Bandvagnar till akutsjukvården", "åtagande",
     c.Commit("region", "Bandvagnar till akutsjukvården"), "sv"),
    ("atagande Polisen: Vi spärrar Essingeleden", "åtagande",
     c.Commit("polisen", "Vi spärrar Essingeleden"), "sv"),
    ("åtagande Vi röjer väg 77", "åtagande", c.Commit(None, "Vi röjer väg 77"), "sv"),
    ("åtagande Polis röjer", "åtagande", c.Commit(None, "Polis röjer"), "sv"),  # no prefix
    ("commit Trafikverket clears road 77", "åtagande",
     c.Commit("trafikverket", "clears road 77"), "en"),
    ("budskap Undvik onödiga resor", "budskap", c.Propose("Undvik onödiga resor"), "sv"),
    ("message Stay at home", "budskap", c.Propose("Stay at home"), "en"),
    ("godkänn", "godkänn", c.Approve(None), "sv"),
    ("godkann 2", "godkänn", c.Approve(2), "sv"),
    ("godkänn #3", "godkänn", c.Approve(3), "sv"),
    ("approve nr 4", "godkänn", c.Approve(4), "en"),
    ("ordförande Region Stockholm", "ordförande", c.Chair(REGION), "sv"),
    ("ordforande rssl", "ordförande", c.Chair(Target("region", "rssl")), "sv"),
    ("chair TiB@Länsstyrelsen", "ordförande", c.Chair(TIB_LST), "en"),
    ("logg", "logg", c.Log(10), "sv"),
    ("logg 200", "logg", c.Log(200), "sv"),
    ("log 1", "logg", c.Log(1), "en"),
    ("avaktivera", "avaktivera", c.Deactivate(None), "sv"),
    ("avaktivera Stormen är över", "avaktivera", c.Deactivate("Stormen är över"), "sv"),
    ("deactivate", "avaktivera", c.Deactivate(None), "en"),
    ("möte ny samordnande första måndagen i månaden 13:00", "möte",
     c.MeetingNew("samordnande", Recurrence(
         "monthly", weekday=0, nth=1, hour=13, text="första måndagen i månaden 13:00")), "sv"),
    ("mote ny Regional samordningsgrupp varje tisdag 09:00", "möte",
     c.MeetingNew("samordningsgrupp", Recurrence(
         "weekly", weekday=1, hour=9, text="varje tisdag 09:00")), "sv"),
    ("möte lista", "möte", c.MeetingList(), "sv"),
    ("möte stopp 3", "möte", c.MeetingStop(3), "sv"),
    ("meeting new rsf last friday of the month 10:00", "möte",
     c.MeetingNew("samordnande", Recurrence(
         "monthly", weekday=4, nth=-1, hour=10, text="last friday of the month 10:00")), "en"),
    ("meeting list", "möte", c.MeetingList(), "en"),
    ("meeting stop #7", "möte", c.MeetingStop(7), "en"),
    ("ärende Brister i reservkraft", "ärende", c.Item("Brister i reservkraft"), "sv"),
    ("arende samordnande: Reservkraft", "ärende", c.Item("Reservkraft", "samordnande"), "sv"),
    ("ärende Fråga: vem äger reservkraften?", "ärende",
     c.Item("Fråga: vem äger reservkraften?"), "sv"),
    ("item Backup power", "ärende", c.Item("Backup power"), "en"),
    ("resurs behov 3 bandvagnar", "resurs",
     c.ResourceEntry(ResourceKind.NEED, "bandvagnar", 3), "sv"),
    ("resource match 2 3", "resurs", c.ResourceMatch(2, 3), "en"),
    ("resurser", "resurser", c.Resources(), "sv"),
    ("resources", "resurser", c.Resources(), "en"),
    ("status", "status", c.Status(), "sv"),
    ("vem TiB@Länsstyrelsen", "vem", c.Who(TIB_LST), "sv"),
    ("vem polisen", "vem", c.Who(POLISEN), "sv"),
    ("who tib lansstyrelsen", "vem", c.Who(TIB_LST), "en"),
    ("hjälp", "hjälp", c.Help(None), "sv"),
    ("hjalp aktivera", "hjälp", c.Help("aktivera"), "sv"),
    ("hjälp mote", "hjälp", c.Help("möte"), "sv"),
    ("help chair", "hjälp", c.Help("ordförande"), "en"),
    ("?", "hjälp", c.Help(None), "sv"),
    ("hjälp scenarier", "hjälp", c.Help("scenarier"), "sv"),
    ("help scenarios", "hjälp", c.Help("scenarier"), "en"),
    ("övning oväder Stormövning november", "övning",
     c.ExerciseStart("ovader", "Stormövning november"), "sv"),
    ("ovning storm", "övning", c.ExerciseStart("ovader", None), "sv"),
    ("övning Storm över Roslagen", "övning",  # the linking word keeps it in the title
     c.ExerciseStart("ovader", "Storm över Roslagen"), "sv"),
    ("övning storm I Roslagen", "övning", c.ExerciseStart("ovader", "I Roslagen"), "sv"),
    ("övning slut Bra genomförd", "övning", c.ExerciseEnd("Bra genomförd"), "sv"),
    ("exercise end", "övning", c.ExerciseEnd(None), "en"),
    ("klocka +30m", "klocka", c.ClockAdvance(timedelta(minutes=30)), "sv"),
    ("klocka 2 timmar", "klocka", c.ClockAdvance(timedelta(hours=2)), "sv"),
    ("clock +1d", "klocka", c.ClockAdvance(timedelta(days=1)), "en"),
    ("klocka", "klocka", c.ClockAdvance(None), "sv"),
    ("klar 3", "klar", c.ChecklistDone(3), "sv"),
    ("klar", "klar", c.ChecklistDone(None), "sv"),
    ("done #2", "klar", c.ChecklistDone(2), "en"),
    ("budskap mall stanna hemma", "budskap", c.ProposeTemplate("stanna hemma"), "sv"),
    ("message template", "budskap", c.ProposeTemplate(None), "en"),
    ("uppföljning 2 Rutinen är införd", "uppföljning", c.FollowUp(2, "Rutinen är införd"), "sv"),
    ("followup #1 Done in 20 municipalities", "uppföljning",
     c.FollowUp(1, "Done in 20 municipalities"), "en"),
]


@pytest.mark.parametrize(("text", "word", "body", "lang"), CASES)
def test_command(text: str, word: str, body: c.Body, lang: str, roster: Roster) -> None:
    got = parse(text, roster, now=NOW, tz=TZ)
    assert got == Command(word, body, lang, None)  # type: ignore[arg-type]


def test_every_command_has_a_case() -> None:
    covered = {word for _text, word, _body, _lang in CASES}
    assert covered == {w.sv for w in COMMANDS}
    english = {text.split()[0] for text, _w, _b, lang in CASES if lang == "en"}
    assert {w.en for w in COMMANDS} - {"status"} <= english


@pytest.mark.parametrize(
    ("text", "word", "activation_id"),
    [
        ("/aktivera samordnande Gorm", "aktivera", None),
        ("!aktivera samordnande Gorm", "aktivera", None),
        ("/samverkan aktivera samordnande Gorm", "aktivera", None),
        ("!samverkan beslut #2026-004 Skolor stängs", "beslut", "2026-004"),
        ("samverkan status", "status", None),
        ("beslut #2026-004 Skolor stängs i morgon", "beslut", "2026-004"),
        ("beslut #2026-4 Skolor stängs i morgon", "beslut", "2026-004"),
        ("LÄGESBILD #2026-12", "lägesbild", "2026-012"),
        ("  /Kvittera   #2026-0004 ", "kvittera", "2026-004"),
        ("logg: 5", "logg", None),
        ("/samverkan", "hjälp", None),
        ("!samverkan help", "hjälp", None),
    ],
)
def test_prefixes_wrapper_and_id(text: str, word: str, activation_id: str | None,
                                 roster: Roster) -> None:
    got = parse(text, roster, now=NOW, tz=TZ)
    assert (got.word, got.activation_id) == (word, activation_id)


def test_id_keeps_the_rest_of_the_text(roster: Roster) -> None:
    got = parse("beslut #2026-4   Skolor stängs", roster, now=NOW, tz=TZ)
    assert got.body == c.Decide("Skolor stängs")


def test_wrapper_language_follows_the_subcommand(roster: Roster) -> None:
    assert parse("/samverkan help", roster, now=NOW, tz=TZ).lang == "en"
    assert parse("!samverkan hjälp", roster, now=NOW, tz=TZ).lang == "sv"


def test_names_object_is_accepted(names: Names) -> None:
    got = parse("vem polisen", names, now=NOW, tz=TZ)
    assert got.body == c.Who(POLISEN)


def test_every_usage_example_parses(roster: Roster) -> None:
    for word in COMMANDS:
        for lang in ("sv", "en"):
            got = parse(word.example(lang), roster, now=NOW, tz=TZ)
            assert (got.word, got.lang) == (word.sv, "sv" if word.sv == word.en else lang)


def test_a_short_parse_takes_well_under_a_millisecond(roster: Roster) -> None:
    lines = ["kalla Polisen, Region Stockholm, TiB@Upplands Väsby",
             "aktivera samordnande oväder Snöstorm Gorm", "konferens 14:30 var 3:e timme",
             "beslut #2026-004 Skolor stängs i morgon", "vem tib länsstyrelsen"]
    for line in lines:
        parse(line, roster, now=NOW, tz=TZ)
    start = time.perf_counter()
    for _ in range(100):
        for line in lines:
            parse(line, roster, now=NOW, tz=TZ)
    assert (time.perf_counter() - start) / (100 * len(lines)) < 0.001
