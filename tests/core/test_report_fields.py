"""The structured fields of a `läge` report are stored by ASCII key and shown by their label
(`handelse` → "Händelse"); found by a new user: the protocol showed "- handelse: …"."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from bot.grammar.words import REPORT_FIELDS
from bot.texts import catalog
from tests.core.conftest import say


@pytest.mark.parametrize("key", sorted(set(REPORT_FIELDS.values())))
def test_every_field_has_a_label_in_both_languages(key: str) -> None:
    entry = catalog()[f"report.field.{key}"]
    assert entry["sv"] and entry["en"] and entry["sv"] != key


async def test_the_picture_shows_the_swedish_labels(app: App) -> None:
    tib = "tib@lansstyrelsen"
    assert (await say(app, tib, "aktivera samordnande oväder Snöstorm Gorm")).ok
    report = "läge #2026-001 händelse: träd över väg; åtgärder: röjning pågår"
    assert (await say(app, tib, report)).ok
    picture = (await say(app, tib, "lägesbild #2026-001")).text
    assert "Händelse: träd över väg" in picture and "Vidtagna åtgärder: röjning pågår" in picture
    assert "handelse:" not in picture
