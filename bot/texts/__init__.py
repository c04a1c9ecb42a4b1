"""User-facing strings, Swedish and English, keyed by code.

Each catalog module holds `TEXTS: dict[code, {"sv": ..., "en": ...}]` with `str.format`
placeholders. Catalogs are merged once; a missing code is a programming error, caught by a
test that renders every code.

A word that agrees with a count names both forms after the count's placeholder:
`{n} {n:funktion|funktioner} {n:kallad|kallade}` reads "1 funktion kallad", "2 funktioner
kallade", "0 funktioner kallade" (`singular_plural`: the singular for exactly one). Every such
text is in the table of tests/core/test_plurals.py.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Any

from bot.grammar.commands import Lang

CATALOGS = ("core", "grammar", "schedule", "red_days", "platforms", "exercises", "scenarios",
            "resources", "watchers", "archive", "delivery")


@cache
def catalog() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for name in CATALOGS:
        try:
            module = import_module(f"bot.texts.{name}")
        except ModuleNotFoundError:
            continue
        texts: dict[str, dict[str, str]] = module.TEXTS
        clash = merged.keys() & texts.keys()
        if clash:
            raise RuntimeError(f"text codes defined twice: {sorted(clash)}")
        merged.update(texts)
    return merged


def singular_plural(n: int, singular: str, plural: str) -> str:
    """The form of a word that agrees with the count `n`: `singular` for exactly 1 (and -1),
    `plural` otherwise (0 too: "0 funktioner", "0 functions"). The one rule for both
    languages the bot speaks."""
    return singular if abs(n) == 1 else plural


class Count(int):
    """A count given to a text: `{n:one|many}` formats as the form that agrees with it
    (`singular_plural`); any other format spec as an int."""

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            singular, plural = spec.split("|", 1)
            return singular_plural(int(self), singular, plural)
        return super().__format__(spec)


def t(lang: Lang, code: str, **params: Any) -> str:
    """The text for `code` in `lang` (Swedish when no English text exists); int params are
    counts a word can agree with (`{n:funktion|funktioner}`)."""
    entry = catalog()[code]
    template = entry.get(lang) or entry["sv"]
    return template.format(**{k: Count(v) if type(v) is int else v for k, v in params.items()})


def has(code: str) -> bool:
    return code in catalog()
