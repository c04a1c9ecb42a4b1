"""Found by a new user: Swedish forms. "ingen fler" for "inga fler"; common gender on the
neuter nouns behov and erbjudande ("behov 1 är öppen"); names sorted by code point
(Österåker between Nynäshamn and Polisen, Södertälje before Sollentuna)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.bootstrap import App
from bot.domain.collation import swedish_key
from bot.domain.exercises import ActorResponse, ExerciseReport
from bot.domain.resources import ResourceState
from bot.grammar.commands import Command, Help
from bot.grammar.index import ambiguous
from bot.handlers.context import Ctx
from bot.handlers.exercises import render_report
from bot.handlers.types import Origin
from bot.texts import t
from tests.core.conftest import say

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

# every state a behov or erbjudande (both neuter nouns: "ett behov", "ett erbjudande") shows
NEUTER_STATES = [(ResourceState.OPEN, "öppet"), (ResourceState.MATCHED, "matchat"),
                 (ResourceState.DELIVERED, "levererat"), (ResourceState.DECLINED, "avböjt"),
                 (ResourceState.WITHDRAWN, "återkallat")]


@pytest.mark.parametrize(("state", "word"), NEUTER_STATES)
def test_resource_state_words_agree_with_the_neuter_nouns(state: ResourceState,
                                                          word: str) -> None:
    assert t("sv", f"resources.state.{state.name.lower()}") == word


async def _ok(app: App, who: str, text: str) -> str:
    reply = await say(app, who, text)
    assert reply.ok, f"{text}: {reply.text}"
    return reply.text


async def test_state_words_in_replies_and_the_listing(app: App) -> None:
    chair, region, fm = "tib@lansstyrelsen", "tib@region-stockholm", "vakthavande@forsvarsmakten"
    await _ok(app, chair, "aktivera samordnande oväder Snöstorm Gorm")
    await _ok(app, region, "resurs behov 4 bandvagnar för hemsjukvården")
    await _ok(app, fm, "resurs erbjud 4 bandvagnar tillgänglig 16:00")
    await _ok(app, fm, "resurs erbjud 2 snöskotrar")
    await _ok(app, fm, "resurs matcha 1 2")
    assert await _ok(app, fm, "resurs återkalla 3") == (
        "Erbjudande 3 är nu återkallat (#2026-001).")
    assert await _ok(app, fm, "resurs avböj 2") == (
        "Erbjudande 2 är nu avböjt; behov 1 är öppet (#2026-001).")
    listing = await _ok(app, chair, "resurser")
    assert "— återkallat" in listing and "— avböjt" in listing
    for wrong in ("öppen", "matchad", "levererad", "avböjd", "återkallad"):
        assert f"— {wrong}" not in listing and f"är {wrong}" not in listing


def test_no_more_to_escalate_to_is_plural() -> None:
    text = t("sv", "ack.no_more", function="TiB Polisen", person="p")
    assert "inga fler att eskalera till" in text and "ingen fler" not in text


@pytest.mark.parametrize(("names", "ordered"), [
    (["Polisen", "Österåker", "Nynäshamn"], ["Nynäshamn", "Polisen", "Österåker"]),
    (["Södertälje", "Sollentuna"], ["Sollentuna", "Södertälje"]),
    (["Ölandet", "Ängby", "Åre", "Zinkensdamm"], ["Zinkensdamm", "Åre", "Ängby", "Ölandet"]),
    (["ekerö", "Eriksberg", "Danderyd"], ["Danderyd", "ekerö", "Eriksberg"]),  # case-blind
    (["Täby", "Tyresö", "Tensta"], ["Tensta", "Tyresö", "Täby"]),
])
def test_swedish_collation(names: list[str], ordered: list[str]) -> None:
    assert sorted(names, key=swedish_key) == ordered


def test_ambiguous_choices_are_in_swedish_order() -> None:
    found = ambiguous("s", ["Södertälje", "Sollentuna", "Österåker", "Salem"])
    assert found.params["choices"] == ["Salem", "Sollentuna", "Södertälje", "Österåker"]


async def test_the_exercise_report_lists_actors_in_swedish_order(app: App) -> None:
    t0 = datetime(2026, 11, 30, 12, tzinfo=UTC)
    actors = [ActorResponse(a, t0, None)
              for a in ("nynashamn", "osteraker", "polisen", "sodertalje", "sollentuna")]
    report = ExerciseReport([], actors, [])
    async with app.uow() as uow:
        ctx = Ctx(roster=app.roster, uow=uow, tz=app.tz, now=t0,
                  origin=Origin(platform="archive", person=None),
                  command=Command(word="hjälp", body=Help(topic=None)), person="",
                  activation=None)
        text = render_report(ctx, report)
    names = [ln[2:].split(":")[0] for ln in text.splitlines() if ln.endswith("svarade aldrig")]
    assert names == ["Nynäshamn", "Polisen", "Sollentuna", "Södertälje", "Österåker"]
