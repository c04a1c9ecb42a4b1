"""`kalla` with several names, end to end: what is stored is what the person wrote, or
nothing and a question."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from tests.core.conftest import say

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only
TIB = "tib@lansstyrelsen"


def _duty(app: App, actor: str) -> str:
    a = app.roster.actor(actor)
    return f"{a.fallback or a.functions[0].key}@{actor}"


async def _called(app: App) -> set[str]:
    async with app.uow() as uow:
        return {p.function for p in await uow.participants.of_activation("2026-001")}


async def test_a_list_with_spaces_calls_the_actors_written(app: App) -> None:
    assert (await say(app, TIB, "aktivera verkstallande Vattenläcka Norrmalm")).ok
    before = await _called(app)
    assert _duty(app, "region-stockholm") in before  # the forum calls the region already
    reply = await say(app, TIB, "kalla Kustbevakningen Region Stockholm")
    assert reply.ok, reply.text
    called = await _called(app)
    assert called - before == {_duty(app, "kustbevakningen")}
    assert _duty(app, "stockholm") not in called  # the municipality was never named
    assert "Redan kallade: TiB Region Stockholm" in reply.text  # named, not dropped


async def test_a_list_that_reads_two_ways_is_asked_and_stores_nothing(app: App) -> None:
    assert (await say(app, TIB, "aktivera verkstallande Vattenläcka Norrmalm")).ok
    before = await _called(app)
    reply = await say(app, TIB, "kalla Stockholm Polisen Region Stockholm")
    assert (reply.ok, reply.code) == (False, "name.ambiguous_list")
    assert "Polisen + Region Stockholm" in reply.text
    assert await _called(app) == before


async def test_commas_and_och_call_every_one(app: App) -> None:
    assert (await say(app, TIB, "aktivera verkstallande Vattenläcka Norrmalm")).ok
    before = await _called(app)
    reply = await say(app, TIB, "kalla Stockholms stad, Kustbevakningen och tib@ekero and MSB")
    assert reply.ok, reply.text
    assert await _called(app) - before == {_duty(app, "stockholm"), _duty(app, "kustbevakningen"),
                                           "tib@ekero", _duty(app, "mcf")}
