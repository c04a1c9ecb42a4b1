"""Every text that puts a count before a noun, at 0, 1 and 2, in both languages: the noun
(and what agrees with it) is singular for exactly one. Found by a new user: "1 funktioner
kallade", "1 aktiveringar"."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.texts import catalog, singular_plural, t

# code -> (the count parameter, {lang: (what it reads at 1, what it reads at 0 and 2)})
COUNTED: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "activation.opened": ("n", {"sv": ("{n} funktion hos", "{n} funktioner hos"),
                                "en": ("{n} function of", "{n} functions of")}),
    "activation.escalated": ("n", {"sv": ("aktörer kallad.", "aktörer kallade."),
                                   "en": ("{n} function of", "{n} functions of")}),
    "log.called": ("n", {"sv": ("kallade {n} funktion:", "kallade {n} funktioner:"),
                         "en": ("called {n} function:", "called {n} functions:")}),
    "room.summary": ("n", {"sv": ("{n} funktion hos 3 aktörer är kallad",
                                  "{n} funktioner hos 3 aktörer är kallade"),
                           "en": ("{n} function of 3 actors is called",
                                  "{n} functions of 3 actors are called")}),
    "call.done": ("n", {"sv": ("{n} funktion kallad till", "{n} funktioner kallade till"),
                        "en": ("{n} function called", "{n} functions called")}),
    "ack.done": ("missing", {"sv": ("{n} kallad har inte", "{n} kallade har inte"),
                             "en": ("{n} called has not", "{n} called have not")}),
    "exercise.ended": ("n", {"sv": ("({n} aktivering)", "({n} aktiveringar)"),
                             "en": ("({n} activation)", "({n} activations)")}),
    "checklist.no_item": ("total", {"sv": ("har {n} punkt;", "har {n} punkter;"),
                                    "en": ("has {n} item;", "has {n} items;")}),
    "followup.no_decision": ("count", {"sv": ("({n} beslut)", "({n} beslut)"),
                                       "en": ("({n} decision)", "({n} decisions)")}),
    "scenarios.line": ("checklist", {"sv": ("checklista {n} punkt,", "checklista {n} punkter,"),
                                     "en": ("checklist {n} item,", "checklist {n} items,")}),
    "conference.too_often": ("minimum", {"sv": ("minst {n} minut mellan",
                                                "minst {n} minuter mellan"),
                                         "en": ("least {n} minute between",
                                                "least {n} minutes between")}),
    "meeting.items": ("n", {"sv": ("({n} anmält ärende)", "({n} anmälda ärenden)"),
                            "en": ("({n} item raised)", "({n} items raised)")}),
    # the minutes themselves are in {reminders} ("15 och 5"); `last` is the last of them
    "conference.planned": ("last", {"sv": (" minut före", " minuter före"),
                                    "en": (" minute before", " minutes before")}),
    "meeting.created": ("last", {"sv": (" minut före", " minuter före"),
                                 "en": (" minute before", " minutes before")}),
    "post.skipped": ("n", {
        "sv": ("{n} tillfälle under", "{n} tillfällen under"),
        "en": ("{n} occurrence during the outage passed without the bot and is not",
               "{n} occurrences during the outage passed without the bot and are not")}),
}
# and "extra kallad(e)" in scenarios.line, "aktör(er)" in activation.*: below, per parameter
ALSO: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "scenarios.line": ("extra", {"sv": ("{n} extra kallad,", "{n} extra kallade,"),
                                 "en": ("{n} extra called,", "{n} extra called,")}),
    "activation.opened": ("actors", {"sv": ("hos {n} aktör kallade", "hos {n} aktörer kallade"),
                                     "en": ("of {n} actor called", "of {n} actors called")}),
}
INFLECTION = re.compile(r"\{(\w+):([^{}|]*)\|([^{}]*)\}")


COUNTS = {"n", "actors", "missing", "total", "count", "checklist", "extra", "minimum", "last",
          "done"}


def _params(code: str) -> dict[str, Any]:
    """Every placeholder of `code` filled: a count with 3, any other with nothing."""
    names = {m.group(1) for text in catalog()[code].values()
             for m in re.finditer(r"\{(\w+)(?::[^{}]*)?\}", text)}
    return {name: 3 if name in COUNTS else "" for name in names}


def _cases() -> list[tuple[str, str, dict[str, tuple[str, str]]]]:
    return [(code, param, forms) for table in (COUNTED, ALSO)
            for code, (param, forms) in table.items()]


@pytest.mark.parametrize(("code", "param", "forms"), _cases(),
                         ids=[f"{c}:{p}" for c, p, _f in _cases()])
@pytest.mark.parametrize("n", [0, 1, 2])
def test_the_noun_agrees_with_the_count(code: str, param: str,
                                        forms: dict[str, tuple[str, str]], n: int) -> None:
    for lang, (one, many) in forms.items():
        params = _params(code) | {param: n}
        text = t(lang, code, **params)  # type: ignore[arg-type]
        wanted = (one if n == 1 else many).format(n=n)
        assert wanted in text, (lang, text)


def test_every_inflected_text_is_in_the_table() -> None:
    """A new text with `{n:one|many}` joins the table above, so it is checked at 0, 1, 2."""
    inflected = {code for code, entry in catalog().items()
                 for text in entry.values() if INFLECTION.search(text)}
    assert inflected == set(COUNTED)


# plural nouns and participles that follow a count somewhere in the catalog
PLURALS = ("funktioner", "aktörer", "aktiveringar", "punkter", "minuter", "tillfällen",
           "ärenden", "kallade", "timmar", "personer", "scenarier", "functions", "actors",
           "activations", "items", "minutes", "occurrences", "decisions", "hours")
_BARE = re.compile(r"\{(?:" + "|".join(COUNTS) + r")\} (?:extra |anmälda )?(?:"
                   + "|".join(PLURALS) + r")\b")


def test_no_count_stands_before_a_plural_noun_without_its_singular() -> None:
    bare = [(code, lang, m.group()) for code, entry in catalog().items()
            for lang, text in entry.items() for m in _BARE.finditer(text)]
    assert bare == []


@pytest.mark.parametrize(("n", "sv", "en"), [(0, "funktioner", "functions"),
                                             (1, "funktion", "function"),
                                             (2, "funktioner", "functions"),
                                             (-1, "funktion", "function")])
def test_the_one_rule(n: int, sv: str, en: str) -> None:
    assert singular_plural(n, "funktion", "funktioner") == sv
    assert singular_plural(n, "function", "functions") == en
