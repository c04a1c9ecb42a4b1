"""Name matching: case, accents, hyphens, key, name, short name, alias, prefix, ambiguity."""

from __future__ import annotations

import time

import pytest

from bot.domain.errors import NotFound
from bot.domain.roster import Roster
from bot.grammar.commands import Target
from bot.grammar.names import Names, names_for
from bot.roster.loader import default_roster_path, load_roster


@pytest.mark.parametrize(
    "text",
    ["Länsstyrelsen", "länsstyrelsen", "LANSSTYRELSEN", "lansstyrelsen",
     "Länsstyrelsen i Stockholms län", "lansstyrelsen i stockholms lan", "Lst", "läns",
     "Länsstyrelsen i Sto"],
)
def test_one_actor_by_many_names(names: Names, text: str) -> None:
    assert names.actor(text) == "lansstyrelsen"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Upplands-Bro", "upplands-bro"),
        ("upplands bro", "upplands-bro"),
        ("UPPLANDS BRO KOMMUN", "upplands-bro"),
        ("upplandsbro", "upplands-bro"),
        ("Upplands Väsby", "upplands-vasby"),
        ("upplands-vasby", "upplands-vasby"),
        ("upplands v", "upplands-vasby"),
        ("Region Stockholm", "region"),
        ("region", "region"),  # prefix of "Region Stockholm" only
        ("Polisen Region Stockholm", "polisen"),
        ("polis", "polisen"),
        ("trafikverket", "trafikverket"),
    ],
)
def test_actor_names(names: Names, text: str, key: str) -> None:
    assert names.actor(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [("samordnande", "samordnande"), ("RSF", "samordnande"), ("Regionalt inriktande", "inriktande"),
     ("inr", "inriktande"), ("regional samordningsgrupp", "samordningsgrupp"),
     ("samordningsg", "samordningsgrupp")],
)
def test_forum_names(names: Names, text: str, key: str) -> None:
    assert names.forum(text) == key


def test_scenarios_by_alias_and_exactly(names: Names) -> None:
    assert names.scenario("storm") == "ovader"
    assert names.scenario("Oväder") == "ovader"
    assert names.scenario("demo") == "demonstration"
    with pytest.raises(NotFound) as err:
        names.scenario("demo", exact_only=True)
    assert err.value.code == "name.unknown_scenario"
    assert "Demonstration" in err.value.params["suggestions"]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Polisen", Target("polisen")),
        ("TiB@Länsstyrelsen", Target("lansstyrelsen", "tib")),
        ("tib@lansstyrelsen", Target("lansstyrelsen", "tib")),
        ("Tjänsteman i beredskap@Region Stockholm", Target("region", "tib")),
        ("TiB@nowhere@polisen", None),
        ("TiB@Region Stockholm", Target("region", "tib")),
        ("vakthavande-befal@Polisen", Target("polisen", "vakthavande-befal")),
        ("VB@polisen", Target("polisen", "vakthavande-befal")),
        ("vakt@polisen", Target("polisen", "vakthavande-befal")),
        ("RSSL", Target("region", "rssl")),  # unique across actors
        ("Regional särskild sjukvårdsledning", Target("region", "rssl")),
        ("säkerhetschef", Target("upplands-vasby", "sakerhetschef")),
        ("TiB Länsstyrelsen", Target("lansstyrelsen", "tib")),
        ("TiB Upplands-Bro", Target("upplands-bro", "tib")),
        ("tib upplands bro kommun", Target("upplands-bro", "tib")),
    ],
)
def test_targets(names: Names, text: str, target: Target | None) -> None:
    if target is None:
        with pytest.raises(NotFound):
            names.target(text)
    else:
        assert names.target(text) == target


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("TiB", {"TiB@lansstyrelsen", "TiB@region", "TiB@upplands-bro", "TiB@upplands-vasby"}),
        ("upplands", {"Upplands Väsby", "Upplands-Bro"}),
        ("TiB Polisen", {"TiB@lansstyrelsen", "TiB@region", "TiB@upplands-bro",
                         "TiB@upplands-vasby"}),
    ],
)
def test_ambiguous_targets_list_the_candidates(names: Names, text: str,
                                               candidates: set[str]) -> None:
    with pytest.raises(NotFound) as err:
        names.target(text)
    assert err.value.code == "name.ambiguous"
    assert set(err.value.params["choices"]) == candidates
    assert err.value.params["suggestions"] == ", ".join(sorted(candidates))


def test_long_ambiguity_is_cut_in_the_text_but_complete_in_choices() -> None:
    keys = [f"kommun{i}" for i in range(8)]
    fn = {"key": "tib", "name": "TiB", "holder": "p1"}
    roster = Roster.model_validate({
        "region": {"name": "R", "convener": "tib@kommun0"},
        "people": [{"key": "p1", "name": "P"}],
        "actors": [{"key": k, "name": k, "functions": [fn]} for k in keys],
        "forums": [{"key": "f", "name": "F", "level": "samordnande", "calls": ["tib@kommun0"]}],
    })
    with pytest.raises(NotFound) as err:
        Names(roster).target("tib")
    many = [f"tib@{k}" for k in keys]
    assert err.value.params["choices"] == many
    assert err.value.params["suggestions"] == ", ".join(many[:6]) + ", …"


def test_ambiguous_forum_prefix(names: Names) -> None:
    with pytest.raises(NotFound) as err:
        names.forum("samord")
    assert err.value.code == "name.ambiguous"
    assert set(err.value.params["choices"]) == {"Regionalt samordnande forum",
                                                "Regional samordningsgrupp"}


@pytest.mark.parametrize(
    ("call", "text", "code", "first"),
    [
        ("actor", "Polsen", "name.unknown_actor", "Polisen"),
        ("actor", "Regon Stockholm", "name.unknown_actor", "Region Stockholm"),
        ("forum", "samordnade", "name.unknown_forum", "Regionalt samordnande forum"),
        ("target", "Trafikverk", None, None),  # prefix: fine
        ("target", "Trafkverket", "name.unknown_target", "Trafikverket"),
        ("target", "tib@nowhere", "name.unknown_actor", None),
        ("target", "foo@polisen", "name.unknown_function", "VB"),
    ],
)
def test_unknown_names_suggest(names: Names, call: str, text: str, code: str | None,
                               first: str | None) -> None:
    resolve = {"actor": names.actor, "forum": names.forum, "target": names.target}[call]
    if code is None:
        resolve(text)
        return
    with pytest.raises(NotFound) as err:
        resolve(text)
    assert err.value.code == code
    suggestions = err.value.params["choices"]
    assert 1 <= len(suggestions) <= 3
    assert err.value.params["suggestions"] == ", ".join(suggestions)
    if first is not None:
        assert suggestions[0] == first


@pytest.mark.parametrize(
    ("tokens", "kind", "expected"),
    [
        (["Region", "Stockholm", "tar", "ansvar"], "actor", ("region", 2)),
        (["Upplands", "Väsby", "kommun", "röjer"], "actor", ("upplands-vasby", 3)),
        (["Upplands", "Väsby", "röjer"], "actor", ("upplands-vasby", 2)),
        (["Polisen", "Region", "Stockholm"], "actor", ("polisen", 3)),
        (["Vi", "röjer"], "actor", None),
        (["Regionalt", "samordnande", "forum", "Storm"], "forum", ("samordnande", 3)),
        (["storm", "Gorm"], "scenario", ("ovader", 1)),
    ],
)
def test_greedy_leading_runs(names: Names, tokens: list[str], kind: str,
                             expected: tuple[str, int] | None) -> None:
    assert names.take(kind, tokens) == expected


def test_exact_only_leaves_prefixes_alone(names: Names) -> None:
    assert names.take("actor", ["Polis", "röjer"], exact_only=True) is None
    assert names.take("scenario", ["Demon", "x"], exact_only=True) is None


def test_lists_of_targets(names: Names) -> None:
    assert names.targets("TiB@Upplands Väsby och") == (Target("upplands-vasby", "tib"),)
    assert names.targets("TiB Region Stockholm") == (Target("region", "tib"),)
    with pytest.raises(NotFound) as err:
        names.targets("Polisen Region Stockholm")  # the police, or the police and the region
    assert err.value.code == "name.ambiguous_list"
    assert err.value.params["options"] == [(Target("polisen"), Target("region")),
                                           (Target("polisen"),)]


def test_names_are_built_once_per_roster(roster: Roster) -> None:
    assert names_for(roster) is names_for(roster)
    names = Names(roster)
    assert names_for(names) is names


@pytest.mark.parametrize("text", ["x" * 100_000, "Polisn" + "x" * 100_000])
def test_a_huge_unknown_name_is_answered_at_once(text: str) -> None:
    """Found by the fuzz test: "menade du" compared a 100 kB name in full with each of the
    bundled roster's ~1,000 names (1–7 s of CPU per refusal); now only what a name could be
    near is compared."""
    bundled = Names(load_roster(default_roster_path()))
    started = time.process_time()
    with pytest.raises(NotFound) as err:
        bundled.target(text)
    assert err.value.params["suggestions"]
    assert time.process_time() - started < 0.5  # was 1–7 s
