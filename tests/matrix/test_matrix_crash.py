"""Kill -9 at named steps of an activation on the real Synapse; after the restart exactly one
war room, every holder invited once, every post present once, the timeline complete.

The reference run (no fault) records the steps it passes (SAMVERKAN_FAULT_TRACE); each
point below must be one of them, so a point that is never reached fails instead of passing
silently. Counting is done at the receiving end: Synapse's room list, the rooms' history.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.roster_loader import default_roster_path, load_roster
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


@pytest.fixture
async def rig(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[CrashRig]:
    built = CrashRig(synapse, load_roster(default_roster_path()), tmp_path)
    await asyncio.to_thread(built.register_called)
    try:
        yield built
    finally:
        await built.close()


@pytest.fixture(scope="module")
def reference(synapse: SynapseServer, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[list[str], list[str]]:
    """(the steps a run without faults passes, its timeline kinds)."""
    tmp = tmp_path_factory.mktemp("crash-ref")

    async def go() -> tuple[list[str], list[str]]:
        built = CrashRig(synapse, load_roster(default_roster_path()), tmp)
        await asyncio.to_thread(built.register_called)
        try:
            run, bot = new_run(built, "ref", await standing_room(built))
            trace = tmp / "trace.txt"
            await drive(built, run, bot, None, trace)
            problems = await check(built, run, bot["SAMVERKAN_MATRIX__USER_ID"])
            assert not problems, problems
            return trace.read_text().split(), timeline_kinds(run.db)
        finally:
            await built.close()

    return asyncio.run(go())


@pytest.mark.parametrize("point", POINTS)
async def test_killed_at(point: str, rig: CrashRig, reference: tuple[list[str], list[str]]
                         ) -> None:
    steps, kinds = reference
    assert point in steps, f"{point} is not a step of the activation: {steps}"
    run, bot = new_run(rig, point.replace("#", "-"), await standing_room(rig))
    await drive(rig, run, bot, point)
    assert run.killed == 1, f"the bot was not killed at {point}"
    problems = await check(rig, run, bot["SAMVERKAN_MATRIX__USER_ID"])
    assert not problems, "\n".join(problems)
    assert timeline_kinds(run.db) == kinds
