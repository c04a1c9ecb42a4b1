"""Time moves in order (issue 10, item 4): a jump of the exercise clock records every
escalation step, reminder and conference at its own due time and in time order — the same
record as a clock moved minute by minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.bootstrap import App
from bot.domain.record import EntryKind, TimelineEntry
from bot.domain.roster import FunctionRef
from bot.scheduling.engine import ScheduleEngine
from tests.scheduling.conftest import START
from tests.scheduling.helpers import advance, say

TIB = "tib@lansstyrelsen"
ACT = "2026-001"
JUMP = timedelta(minutes=30)


async def _timeline(app: App) -> list[TimelineEntry]:
    async with app.uow() as uow:
        act = await uow.activations.get(ACT)
        assert act is not None
        return await uow.timeline.of_event(act.event_id)


def _record(entries: list[TimelineEntry]) -> list[tuple[datetime, str, str | None, object]]:
    """What the clock decided: kind, when, whose function, which step (ids aside)."""
    return [(e.at.astimezone(UTC), e.kind.value, e.function, e.data.get("stage"))
            for e in entries if e.kind in (EntryKind.ESCALATED_ACK, EntryKind.CONFERENCE)]


async def _play(app: App, step: timedelta) -> list[TimelineEntry]:
    assert (await say(app, TIB, "aktivera samordnande Vattenläcka Norrmalm")).ok
    assert (await say(app, TIB, "konferens 13:15")).ok
    await advance(app, JUMP, step)
    return await _timeline(app)


@pytest.mark.parametrize("step", [JUMP, timedelta(minutes=10), timedelta(minutes=7),
                                  timedelta(minutes=1)], ids=["30m", "10m", "7m", "1m"])
async def test_a_jump_records_each_step_at_its_own_time_in_order(
        app: App, engine: ScheduleEngine, step: timedelta) -> None:
    entries = await _play(app, step)
    record = _record(entries)
    start = START.astimezone(UTC)
    async with app.uow() as uow:
        rows = {p.function: p for p in await uow.participants.of_activation(ACT)}
    steps: dict[str, list[datetime]] = {}
    for at, kind, function, _stage in record:
        if kind == EntryKind.ESCALATED_ACK.value:
            assert function is not None
            steps.setdefault(function, []).append(at)
    assert len(steps) > 10
    second = 0
    for function, stamps in steps.items():
        minutes = timedelta(minutes=app.roster.ack_minutes(FunctionRef.parse(function)))
        # The k-th step at the k-th deadline, never at the end of the jump ...
        assert stamps == [start + k * minutes for k in range(1, len(stamps) + 1)], function
        # ... and every step due inside the jump ran, unless the chain of deputies ended.
        assert len(stamps) == JUMP // minutes or rows[function].deadline is None, function
        second += len(stamps) > 1
    assert second > 0  # second steps inside the jump exist in this case and ran
    started = [e.at for e in entries if e.kind is EntryKind.CONFERENCE and "status" in e.data]
    assert started == [start + timedelta(minutes=15)]
    # Recorded in time order: the append-only timeline's ids follow the clock.
    stamps = [e.at for e in entries]
    assert stamps == sorted(stamps)
