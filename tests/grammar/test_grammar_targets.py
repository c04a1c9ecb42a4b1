"""Lists of names (`kalla …`) over the whole bundled roster: every ordered pair of its actors,
in every written form and with every separator, reads as exactly those two — or, where the
words really read two ways, the bot asks and lists both readings."""

from __future__ import annotations

from collections.abc import Callable
from itertools import permutations

import pytest

from bot.domain.errors import DomainError, NotFound
from bot.domain.roster import Actor, Roster
from bot.grammar.commands import Target
from bot.grammar.names import Names
from bot.roster.loader import default_roster_path, load_roster

ROSTER: Roster = load_roster(default_roster_path())
NAMES = Names(ROSTER)


def _duty(actor: Actor) -> str:
    return actor.fallback or actor.functions[0].key


def _alias(i: int) -> Callable[[Actor], tuple[str, Target]]:
    def form(actor: Actor) -> tuple[str, Target]:
        written = actor.aliases[i % len(actor.aliases)] if actor.aliases else actor.name
        return written, Target(actor.key)
    return form


def _at_keys(actor: Actor) -> tuple[str, Target]:
    return f"{_duty(actor)}@{actor.key}", Target(actor.key, _duty(actor))


def _at_names(actor: Actor) -> tuple[str, Target]:
    fn = actor.function(_duty(actor))
    assert fn is not None
    return f"{(fn.aliases or [fn.name])[0]}@{actor.display}", Target(actor.key, fn.key)


# How one actor may be written, and the target it must read as.
FORMS: dict[str, Callable[[Actor], tuple[str, Target]]] = {
    "key": lambda a: (a.key, Target(a.key)),
    "name": lambda a: (a.name, Target(a.key)),
    "short": lambda a: (a.display, Target(a.key)),
    "alias0": _alias(0),
    "alias1": _alias(1),
    "alias2": _alias(2),
    "function@actor keys": _at_keys,
    "function@actor names": _at_names,
}
SEPARATORS = {"space": " ", "comma": ", ", "bare comma": ",", "och": " och ", "and": " and ",
              "comma och": ", och "}
PAIRS = list(permutations(ROSTER.actors, 2))


def test_the_table_is_the_whole_roster() -> None:
    assert len(ROSTER.actors) == 41
    assert len(PAIRS) == 41 * 40


@pytest.mark.parametrize("form", FORMS)
def test_every_pair_with_an_explicit_separator_reads_as_exactly_those_two(form: str) -> None:
    write = FORMS[form]
    wrong = []
    for a, b in PAIRS:
        (text_a, want_a), (text_b, want_b) = write(a), write(b)
        for sep in SEPARATORS.values():
            if sep == " ":
                continue
            text = f"{text_a}{sep}{text_b}"
            try:
                got = NAMES.targets(text)
            except NotFound as err:
                wrong.append((text, err.code))
                continue
            if got != (want_a, want_b):
                wrong.append((text, got))
    assert wrong == []


@pytest.mark.parametrize("form", FORMS)
def test_every_pair_with_spaces_reads_as_those_two_or_asks(form: str) -> None:
    """Only spaces: where the words also make one name ("Polisen Region Stockholm" is the
    police), both readings are offered; the pair is always one of them."""
    write = FORMS[form]
    wrong, asked = [], []
    for a, b in PAIRS:
        (text_a, want_a), (text_b, want_b) = write(a), write(b)
        text = f"{text_a} {text_b}"
        try:
            got = NAMES.targets(text)
        except NotFound as err:
            pair = f"{NAMES.reader.label(want_a)} + {NAMES.reader.label(want_b)}"
            if err.code != "name.ambiguous_list" or pair not in err.params["choices"]:
                wrong.append((text, err.code, err.params.get("choices")))
            else:
                asked.append((text, err.params["options"]))
            continue
        if got != (want_a, want_b):
            wrong.append((text, got))
    assert wrong == []
    for text, options in asked:
        for option in options:
            assert _cut_into(text.split(), option), (text, option)


def _cut_into(words: list[str], option: tuple[Target, ...]) -> bool:
    """Whether some cut of `words` names exactly `option`, run by run (brute force)."""
    if not words or not option:
        return not words and not option
    for n in range(1, len(words) + 1):
        try:
            first = NAMES.target(" ".join(words[:n]))
        except DomainError:  # not a name, or words that fold to nothing
            continue
        rest = tuple(t for t in option[1:] if t != first)
        if first == option[0] and (_cut_into(words[n:], rest) or _cut_into(words[n:], option)):
            return True
    return False


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Kustbevakningen Region Stockholm", ("kustbevakningen", "region-stockholm")),
        ("Stockholm Region Stockholm", ("stockholm", "region-stockholm")),
        ("Polisen, Region Stockholm", ("polisen", "region-stockholm")),
        ("Polisen och SOS och Trafikverk", ("polisen", "sos-alarm", "trafikverket")),
        ("Myndigheten för samhällsskydd och beredskap och SMHI", ("mcf", "smhi")),
        ("Polisen Polisen", ("polisen",)),
    ],
)
def test_lists(text: str, want: tuple[str, ...]) -> None:
    assert tuple(t.actor for t in NAMES.targets(text)) == want
    assert all(t.function is None for t in NAMES.targets(text))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("TiB Stockholm", (Target("stockholm", "tib"),)),
        ("TiB Stockholm Polisen", (Target("stockholm", "tib"), Target("polisen"))),
        ("Tjänsteman i beredskap@Region Stockholm, SOS",
         (Target("region-stockholm", "tib"), Target("sos-alarm"))),
        ("tib@lansstyrelsen and tib@stockholm",
         (Target("lansstyrelsen", "tib"), Target("stockholm", "tib"))),
    ],
)
def test_functions_in_lists(text: str, want: tuple[Target, ...]) -> None:
    assert NAMES.targets(text) == want


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("Polisen Region Stockholm", {"Polisen + Region Stockholm", "Polisen"}),
        ("Länsstyrelsen Stockholm", {"Länsstyrelsen + Stockholm", "Länsstyrelsen"}),
        ("Trafikverket Region Stockholm", {"Trafikverket + Region Stockholm", "Trafikverket"}),
    ],
)
def test_two_readings_are_asked_not_picked(text: str, readings: set[str]) -> None:
    with pytest.raises(NotFound) as err:
        NAMES.targets(text)
    assert err.value.code == "name.ambiguous_list"
    assert set(err.value.params["choices"]) == readings


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("Kustbevakningen Region", "name.ambiguous", "Region"),  # no prefix eats "Region"
        ("Polisen Trafkverket", "name.unknown_target", "Trafkverket"),
        ("Polisen, tib@nowhere", "name.unknown_actor", "nowhere"),
        ("Polisen och foo@polisen", "name.unknown_function", "foo"),
    ],
)
def test_a_name_that_cannot_be_read_is_named(text: str, code: str, name: str) -> None:
    with pytest.raises(NotFound) as err:
        NAMES.targets(text)
    assert (err.value.code, err.value.params["name"]) == (code, name)
