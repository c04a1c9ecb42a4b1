"""User-facing strings, Swedish and English, keyed by code.

Each catalog module holds `TEXTS: dict[code, {"sv": ..., "en": ...}]` with `str.format`
placeholders. Catalogs are merged once; a missing code is a programming error, caught by a
test that renders every code.
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


def t(lang: Lang, code: str, **params: Any) -> str:
    """The text for `code` in `lang` (Swedish when no English text exists)."""
    entry = catalog()[code]
    template = entry.get(lang) or entry["sv"]
    return template.format(**params)


def has(code: str) -> bool:
    return code in catalog()
