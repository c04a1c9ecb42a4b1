"""Posts on Matrix are exactly-once per outbox item: the transaction id of the send is the
item's message key (the homeserver answers a repeated one with the first event), the key is
in the content, and a repeat first looks for it in the room's history."""

from __future__ import annotations

import pytest

from bot.domain.effects import Delivery, Post, RoomRef, delivering
from bot.platforms.matrix.directory import OUTBOX_FIELD
from tests.matrix.harness import MatrixHarness

pytestmark = pytest.mark.synapse


async def _post(matrix: MatrixHarness, text: str, key: str, *, repeat: bool) -> None:
    assert matrix.bot is not None
    with delivering(Delivery(key, repeat=repeat)):
        await matrix.bot.post(Post(RoomRef("forum", "planeringsforum"), text))


async def test_the_same_item_is_one_message(matrix: MatrixHarness) -> None:
    room = await matrix.standing_room("planeringsforum")
    tib = await matrix.person("tib@lansstyrelsen")
    key = f"{matrix.bot_user.localpart}.7"
    await _post(matrix, "Beslut 1: vägarna plogas", key, repeat=False)
    await _post(matrix, "Beslut 1: vägarna plogas", key, repeat=False)  # the txn id again
    await _post(matrix, "Beslut 1: vägarna plogas", key, repeat=True)  # found in history
    await _post(matrix, "Beslut 1: vägarna plogas", f"{key}0", repeat=True)  # another item
    ours = [e for e in await tib.messages(room, 50)
            if e["sender"] == matrix.bot_user.user_id and OUTBOX_FIELD in e["content"]]
    keys = [e["content"][OUTBOX_FIELD] for e in ours]
    assert len(keys) == 2 and keys[0].startswith(f"{key}.") and keys[1].startswith(f"{key}0.")
    assert all(e["content"]["body"] == "Beslut 1: vägarna plogas" for e in ours)
