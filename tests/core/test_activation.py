"""No accidental second activation: while a forum has an active activation with the same
title (case, accents, spaces and hyphens ignored), `aktivera` is refused with a pointer to it;
`--ny` goes on deliberately; simultaneous ones are refused by the database."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from bot.bootstrap import App
from bot.domain.record import Activation
from storage.repositories.record.activations import SqlActivationRepository
from tests.core.conftest import say

TIB = "tib@lansstyrelsen"
OTHER = "tib@botkyrka"  # another officer with the mandate for verkstallande
FIRST = "aktivera verkstallande Vattenläcka Norrmalm"


async def _active(app: App) -> list[Activation]:
    async with app.uow() as uow:
        return await uow.activations.active()


SAME = [
    (TIB, FIRST),  # a double submit, or a retyped command
    (OTHER, FIRST),  # a second officer
    (TIB, "aktivera verkstallande vattenläcka norrmalm"),
    (TIB, "aktivera verkstallande VATTENLÄCKA NORRMALM"),
    (TIB, "aktivera verkstallande Vattenlacka Norrmalm"),
    (TIB, "aktivera verkstallande  Vattenläcka \t Norrmalm  "),
    (TIB, "aktivera verkstallande Vattenläcka-Norrmalm"),
    (TIB, "aktivera verkställande Vättenläcka Nörrmalm"),
    (OTHER, "activate verkstallande vattenlacka norrmalm"),
]
OPEN = [
    "aktivera verkstallande Vattenläcka Södermalm",  # another title
    "aktivera samordnande Vattenläcka Norrmalm",  # another forum
    "aktivera --ny verkstallande Vattenläcka Norrmalm",  # deliberately
    "aktivera verkstallande Vattenläcka Norrmalm --ny",
    "activate —new verkstallande Vattenläcka Norrmalm",  # a phone's "--"
]


async def test_the_same_title_again_is_refused_with_a_pointer(app: App) -> None:
    assert (await say(app, TIB, FIRST)).ok
    async with app.uow() as uow:
        called = len(await uow.participants.of_activation("2026-001"))
    for who, again in SAME:
        reply = await say(app, who, again)
        assert (reply.ok, reply.code) == (False, "activation.duplicate"), again
        assert "#2026-001" in reply.text and "2026-001 Vattenläcka Norrmalm'" in reply.text
        way_on = "--ny verkstallande" if reply.lang == "sv" else "--new verkstallande"
        assert f"{way_on} Vattenläcka Norrmalm`" in reply.text
    assert [a.id for a in await _active(app)] == ["2026-001"]
    async with app.uow() as uow:
        assert len(await uow.participants.of_activation("2026-001")) == called  # once


async def test_other_titles_forums_and_deliberate_ones_open(app: App) -> None:
    assert (await say(app, TIB, FIRST)).ok
    for n, other in enumerate(OPEN, 2):
        reply = await say(app, TIB, other)
        assert reply.ok, (other, reply.text)
        opened = next(a for a in await _active(app) if a.id == f"2026-{n:03d}")
        assert opened.title in ("Vattenläcka Norrmalm", "Vattenläcka Södermalm")
        assert (opened.title_key is None) == ("--n" in other or "—n" in other), other
        assert (await say(app, TIB, f"avaktivera #{opened.id}")).ok
    assert [a.id for a in await _active(app)] == ["2026-001"]


async def test_a_closed_one_does_not_block_and_a_deliberate_one_still_guards(app: App) -> None:
    assert (await say(app, TIB, FIRST)).ok
    assert (await say(app, TIB, "aktivera --ny verkstallande Vattenläcka Norrmalm")).ok
    assert (await say(app, TIB, "avaktivera #2026-001 Klart")).ok
    reply = await say(app, OTHER, FIRST)  # 2026-002, the deliberate one, is still active
    assert (reply.ok, reply.code) == (False, "activation.duplicate")
    assert "#2026-002" in reply.text
    assert (await say(app, TIB, "avaktivera #2026-002 Klart")).ok
    assert (await say(app, TIB, FIRST)).ok
    assert [a.id for a in await _active(app)] == ["2026-003"]


async def test_officers_at_the_same_moment_open_one(app: App) -> None:
    """Concurrent commands (on PostgreSQL truly in parallel): one activation, the others
    refused with the pointer — the database's unique index decides a tie."""
    replies = await asyncio.gather(*(say(app, who, FIRST) for who in (TIB, OTHER, TIB, OTHER)))
    assert sorted(r.ok for r in replies) == [False, False, False, True]
    assert {r.code for r in replies if not r.ok} == {"activation.duplicate"}
    assert len(await _active(app)) == 1


async def test_both_checks_pass_before_either_insert_and_the_index_decides(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race made certain: both officers' checks see no activation (each waits for the
    other's check, up to a second — SQLite's writers queue, so there the second one simply
    comes after); the partial unique index refuses the second insert and the handler answers
    with the pointer to the first."""
    arrived: list[None] = []
    both = asyncio.Event()
    real = SqlActivationRepository.active_titled

    async def active_after_both(self: SqlActivationRepository, forum: str,
                                key: str) -> list[Activation]:
        found = await real(self, forum, key)
        arrived.append(None)
        if len(arrived) == 2:
            both.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(both.wait(), 1.0)
        return found

    monkeypatch.setattr(SqlActivationRepository, "active_titled", active_after_both)
    replies = await asyncio.gather(say(app, TIB, FIRST), say(app, OTHER, FIRST))
    monkeypatch.undo()
    assert sorted(r.ok for r in replies) == [False, True]
    refused = next(r for r in replies if not r.ok)
    assert refused.code == "activation.duplicate" and "#2026-00" in refused.text
    assert len(await _active(app)) == 1


@pytest.mark.parametrize(("command", "named"), [
    ("aktivera samordnande oväder Snöstorm Gorm", "Scenario: Oväder"),
    ("aktivera samordnande Oväder i norr", "Scenario: Oväder"),  # kept in the title too
    ("aktivera inriktande elavbrott Södertörn", "Scenario: Elavbrott"),
    ("aktivera samordnande Snöfall i Norrort", None),
])
async def test_the_answer_names_the_playbook_it_applied(
        app: App, command: str, named: str | None) -> None:
    """Found by a new user: nothing said that a scenario's word had chosen a playbook."""
    reply = await say(app, TIB, command)
    assert reply.ok, reply.text
    if named is None:
        assert "Scenario:" not in reply.text, reply.text
    else:
        assert named in reply.text, reply.text
