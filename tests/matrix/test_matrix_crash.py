"""Kill -9 at named steps of an activation on the real Synapse; after the restart exactly one
war room, every holder invited once, every post present once, the timeline complete.

The reference run (no fault) records the steps it passes (SAMVERKAN_FAULT_TRACE); each
point below must be one of them, so a point that is never reached fails instead of passing
silently. Counting is done at the receiving end: Synapse's room list, the rooms' history.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.roster.loader import default_roster_path, load_roster
from tests.matrix.crash_harness import (
    CrashRig,
    check,
    drive,
    new_run,
    standing_room,
    timeline_kinds,
)
from tests.matrix.synapse_server import SynapseServer

pytestmark = pytest.mark.synapse

POINTS = [
    "command.before_commit#1",  # aktivera, before its commit
    "command.committed#1",  # after the commit, before any effect
    "outbox.call.open_room#1",
    "matrix.room_created#1",  # createRoom done (with its invitations), not yet bound
    "matrix.room_bound#1",
    "outbox.called.open_room#1",  # performed, not yet settled
    "matrix.sent#1",
    "matrix.sent#2",
    "outbox.called.post#1",  # a post performed, not yet settled
    "outbox.settled#1",
    "command.committed#2",  # kalla
    "outbox.call.invite#1",
    "matrix.invited#1",  # in the middle of the invitations
    "matrix.invited#3",
    "outbox.called.invite#1",
    "command.committed#3",  # läge
    "command.before_commit#5",  # avaktivera
    "command.committed#5",
    "outbox.call.close_room#1",  # the protocol
    "outbox.called.close_room#1",
]


CONCURRENCY = int(os.environ.get("CRASH_CONCURRENCY", "4"))  # runs at a time


@pytest.fixture
async def rig(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[CrashRig]:
    built = CrashRig(synapse, load_roster(default_roster_path()), tmp_path)
    await asyncio.gather(asyncio.to_thread(built.register_called), built.migrate_template())
    try:
        yield built
    finally:
        await built.close()


async def _reference(rig: CrashRig, forum_room: str) -> tuple[list[str], list[str]]:
    """(the steps a run without faults passes, its timeline kinds)."""
    run = await new_run(rig, "ref", forum_room)
    trace = rig.tmp / "trace.txt"
    await drive(rig, run, None, trace)
    assert run.killed == 0
    problems = await check(rig, run)
    assert not problems, problems
    await asyncio.to_thread(run.stop)
    steps = (await asyncio.to_thread(trace.read_text)).split()
    return steps, timeline_kinds(run.db)


async def _killed_at(rig: CrashRig, point: str, forum_room: str, kinds: list[str]) -> list[str]:
    run = await new_run(rig, point.replace("#", "-"), forum_room)
    try:
        await drive(rig, run, point)
        if run.killed != 1:
            return [f"{point}: the bot was not killed there"]
        problems = await check(rig, run)
        if timeline_kinds(run.db) != kinds:
            problems.append(f"timeline {timeline_kinds(run.db)} wanted {kinds}")
        return [f"{point}: {p}" for p in problems]
    except AssertionError as exc:
        return [f"{point}: {exc}"]
    finally:
        await asyncio.to_thread(run.stop)


@pytest.mark.timeout(900)
async def test_killed_at_twenty_points(rig: CrashRig) -> None:
    forum_room = await standing_room(rig)
    steps, kinds = await _reference(rig, forum_room)
    missing = [p for p in POINTS if p not in steps]
    assert not missing, f"not steps of the activation: {missing}; steps: {steps}"
    assert len(set(POINTS)) == 20
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(point: str) -> list[str]:
        async with gate:
            return await _killed_at(rig, point, forum_room, kinds)

    problems = [p for found in await asyncio.gather(*(one(p) for p in POINTS)) for p in found]
    assert not problems, "\n".join(problems)
