"""`!övning` on a real Synapse: the exercise's own war room and numbering, every message
marked ÖVNING, nothing in the forum's standing room, the leader's clock fires its conference."""

from __future__ import annotations

import pytest

from tests.matrix.harness import MatrixHarness

pytestmark = pytest.mark.synapse


async def test_exercise_over_matrix(matrix: MatrixHarness) -> None:
    tib = await matrix.person("tib@lansstyrelsen")
    standing = await matrix.standing_room("samordnande")
    before = len(await tib.messages(standing))
    reply = await tib.say(standing, "!övning oväder Stormövning")
    assert "#Ö2026-001" in reply["body"] and reply["body"].startswith("ÖVNING"), reply["body"]
    await matrix.settle()
    war = await matrix.war_room("Ö2026-001")
    await tib.join(war)
    moved = await tib.say(war, "!klocka +30m")
    assert "13:30" in moved["body"], moved["body"]
    await matrix.settle()
    said = [m["content"]["body"] for m in await tib.messages(war)
            if m["sender"] != tib.mxid and "m.relates_to" not in m["content"]]
    assert any("Samverkanskonferens 13:30" in b for b in said), said
    assert said and all("ÖVNING" in b for b in said), said
    # the standing room got the answer to the command, and no forum notice
    after = [m["content"]["body"] for m in (await tib.messages(standing))[before:]]
    assert not any("är aktiverat av" in b for b in after), after
