"""Escalation knows who has answered: a row whose escalation target has already acknowledged
in the activation is covered by it, and nobody who has acknowledged is told they have not."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.record import EntryKind, Participant, TimelineEntry
from bot.domain.roster import FunctionRef, Roster
from bot.roster.loader import default_roster_path, load_roster
from bot.settings import Settings
from tests.core.conftest import START, holder, say

TIB = "tib@lansstyrelsen"
NOT_ACKED = re.compile(r"<@([^>]+)> har inte kvitterat")


async def _record(app: App) -> tuple[list[Participant], list[TimelineEntry]]:
    async with app.uow() as uow:
        act = await uow.activations.get("2026-001")
        assert act is not None
        return (await uow.participants.of_activation(act.id),
                await uow.timeline.of_event(act.event_id))


async def _rounds(app: App, n: int, minutes: int = 11) -> None:
    assert isinstance(app.clock, ManualClock)
    for _ in range(n):
        app.clock.advance(timedelta(minutes=minutes))
        await app.service.check_acknowledgements()


def _acked_people(rows: list[Participant]) -> set[str]:
    return {p.acked_by or p.person for p in rows if p.acked_at is not None}


def _nobody_acked_is_told_otherwise(rows: list[Participant],
                                    timeline: list[TimelineEntry]) -> None:
    acked = _acked_people(rows)
    told = {m for e in timeline for m in NOT_ACKED.findall(e.text)}
    assert told, "the test needs silent functions"
    assert not told & acked, told & acked


async def test_the_convener_who_acknowledged_is_not_chased(app: App) -> None:
    """The issue's case: after `aktivera samordnande …` and three `:clock +11m`,
    Länsstyrelsen's TiB (activated, chairs, acknowledged) covers its actor's silent
    functions instead of being told that it has not acknowledged them."""
    assert (await say(app, TIB, "aktivera samordnande Vattenläcka Norrmalm")).ok
    await _rounds(app, 3)
    rows, timeline = await _record(app)
    by_fn = {p.function: p for p in rows}
    tib = holder(app, TIB)
    assert by_fn[TIB].acked_by == tib
    for fn in ("lagesbild@lansstyrelsen", "kommunikation@lansstyrelsen"):
        row = by_fn[fn]
        assert (row.covered_by, row.deadline, row.acked_at) == (TIB, None, None), fn
        assert row.answered
        covered = [e for e in timeline if e.kind is EntryKind.COVERED and e.function == fn]
        assert len(covered) == 1 and covered[0].data["covered_by"] == TIB
        assert "täcks av TiB Länsstyrelsen" in covered[0].text
    _nobody_acked_is_told_otherwise(rows, timeline)


async def test_every_row_whose_fallback_acknowledged_is_covered(app: App) -> None:
    """The whole 45-function activation: after the chain has run out, every unacknowledged
    row whose actor's fallback function acknowledged is covered by it, the others are told
    once that nobody further is there."""
    assert (await say(app, TIB, "aktivera samordnande Vattenläcka Norrmalm")).ok
    acking = ["tib@stockholm", "tib@solna", "vakthavande-befal@polisen"]
    for ref in acking:
        assert (await say(app, ref, "kvittera #2026-001")).ok
    await _rounds(app, 4)
    rows, timeline = await _record(app)
    acked_fns = {p.function for p in rows if p.acked_at is not None}
    assert set(acking) | {TIB} <= acked_fns
    for row in rows:
        if row.acked_at is not None:
            continue
        fallback = app.roster.fallback(FunctionRef.parse(row.function), START)
        if fallback is not None and str(fallback[0]) in acked_fns:
            assert row.covered_by == str(fallback[0]), row.function
        else:
            assert row.covered_by is None and row.deadline is None, row.function
    _nobody_acked_is_told_otherwise(rows, timeline)


@pytest.fixture
async def deputy_app(database_url: str) -> AsyncIterator[App]:
    """The bundled roster, but TiB Stockholm's holder is also the deputy of Länsstyrelsen's
    communications function."""
    base = load_roster(default_roster_path())
    data = base.model_dump()
    deputy = base.holder(FunctionRef("tib", "stockholm"), START)
    for actor in data["actors"]:
        for fn in actor["functions"]:
            if (actor["key"], fn["key"]) == ("lansstyrelsen", "kommunikation"):
                fn["deputy"] = deputy
    app = await build_app(Settings(database_url=database_url), clock=ManualClock(START),
                          roster=Roster.model_validate(data), exercise=True)
    try:
        yield app
    finally:
        await app.close()


async def test_a_deputy_who_acknowledged_as_another_function_covers(deputy_app: App) -> None:
    app = deputy_app
    assert (await say(app, TIB, "aktivera samordnande Vattenläcka Norrmalm")).ok
    assert (await say(app, "tib@stockholm", "kvittera #2026-001")).ok
    await _rounds(app, 1)
    rows, timeline = await _record(app)
    row = next(p for p in rows if p.function == "kommunikation@lansstyrelsen")
    assert (row.covered_by, row.stage.value, row.person) == (
        "tib@stockholm", "ersättare", holder(app, "tib@stockholm"))
    assert row.deadline is None
    _nobody_acked_is_told_otherwise(rows, timeline)


async def test_a_late_answer_of_the_first_holder_is_recorded(app: App) -> None:
    """Found by a new user: after the deadline passed the function to the deputy, the first
    holder's `kvittera` was refused as "already acknowledged" and never recorded. Now it is
    the function's acknowledgement (by the first holder), and the chase stops."""
    assert (await say(app, TIB, "aktivera samordnande Vattenläcka Test")).ok
    first = holder(app, "tib@danderyd")
    await _rounds(app, 1)
    rows, _ = await _record(app)
    (row,) = [p for p in rows if p.function == "tib@danderyd"]
    assert row.person != first and row.holder == first  # escalated to the deputy
    reply = await say(app, first, "kvittera #2026-001")
    assert reply.ok and "redan kvitterat" not in reply.text, reply.text
    rows, _ = await _record(app)
    (row,) = [p for p in rows if p.function == "tib@danderyd"]
    assert (row.acked_by, row.deadline) == (first, None) and row.acked_at is not None
    again = await say(app, first, "kvittera #2026-001")
    assert "redan kvitterat" in again.text
    await _rounds(app, 3)  # nothing left to chase for Danderyd
    rows, timeline = await _record(app)
    assert not [e for e in timeline if e.function == "tib@danderyd"
                and e.kind is EntryKind.ESCALATED_ACK and e.at > row.acked_at]
