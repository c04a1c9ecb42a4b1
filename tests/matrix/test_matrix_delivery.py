"""No replays, nothing lost: the sync token lives in the database.

Commands from before a stop are never executed again; commands sent while the bot is down
are executed exactly once after the start, even when many messages piled up (gappy sync)
and even when the token was not saved before a crash (the core de-duplicates by event id).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.record import EntryKind
from bot.platforms.matrix.listener import token_key
from tests.matrix.harness import MatrixHarness, Person

pytestmark = pytest.mark.synapse


async def _activated(matrix: MatrixHarness) -> tuple[str, Person, Person]:
    standing = await matrix.standing_room("samordnande")
    tib = await matrix.person("tib@lansstyrelsen")
    # the executive forum: ten functions, enough for these checks and quick to convene
    assert "#2026-001" in (await tib.say(standing, "!aktivera verkstallande Vattenläcka"))["body"]
    await matrix.settle()
    war = await matrix.war_room("2026-001")
    police = await matrix.person("vakthavande-befal@polisen")
    await tib.join(war)
    await police.join(war)
    return war, tib, police


async def _entries(matrix: MatrixHarness, kind: EntryKind) -> int:
    async with matrix.app.uow() as uow:
        return sum(1 for e in await uow.timeline.of_event(1) if e.kind is kind)


def _replies_to(messages: list[dict[str, Any]], event_id: str) -> int:
    return sum(1 for m in messages
               if m["content"].get("m.relates_to", {}).get("m.in_reply_to", {})
               .get("event_id") == event_id)


async def test_commands_sent_while_down_run_once_and_old_ones_never(matrix: MatrixHarness) -> None:
    war, _tib, police = await _activated(matrix)
    await police.say(war, "!läge Före stoppet")
    await matrix.stop_bot()

    ack = await police.send(war, "!kvittera")
    report = await police.send(war, "!läge Under stoppet")
    await matrix.start_bot()
    assert "kvitter" in (await police.reply_to(war, ack))["body"].lower()
    await police.reply_to(war, report)
    await matrix.settle()

    # a further restart (start_bot waits for its first sync round) changes nothing
    await matrix.stop_bot()
    await matrix.start_bot()
    messages = await police.messages(war)
    assert _replies_to(messages, ack) == 1 and _replies_to(messages, report) == 1
    assert await _entries(matrix, EntryKind.ACTIVATED) == 1
    assert await _entries(matrix, EntryKind.ACKED) == 1
    async with matrix.app.uow() as uow:
        texts = [r.text for r in await uow.reports.of_event(1)]
        assert texts == ["Före stoppet", "Under stoppet"]
        assert len(await uow.activations.active()) == 1


async def test_first_start_never_executes_history(matrix: MatrixHarness) -> None:
    """A new installation (no stored token) skips history — also within Synapse's 2-minute
    sync response cache of the previous first sync of the same device."""
    war, _tib, police = await _activated(matrix)
    await matrix.stop_bot()
    old = await police.send(war, "!läge Gammalt kommando")
    async with matrix.app.uow() as uow:  # as if the database were new
        await uow.kv.put(token_key(matrix.bot_user.user_id), "")
        await uow.commit()
    await matrix.start_bot()
    new = await police.send(war, "!läge Nytt kommando")
    assert "#2026-001" in (await police.reply_to(war, new))["body"]
    assert _replies_to(await police.messages(war), old) == 0
    async with matrix.app.uow() as uow:
        assert [r.text for r in await uow.reports.of_event(1)] == ["Nytt kommando"]


async def test_token_not_saved_before_a_crash_does_not_double(matrix: MatrixHarness) -> None:
    war, _tib, police = await _activated(matrix)
    async with matrix.app.uow() as uow:
        before = await uow.kv.get(token_key(matrix.bot_user.user_id))
    ack = await police.send(war, "!kvittera")
    await police.reply_to(war, ack)
    await matrix.settle()
    await matrix.stop_bot()
    async with matrix.app.uow() as uow:  # as if the process died before saving the token
        await uow.kv.put(token_key(matrix.bot_user.user_id), before or "")
        await uow.commit()

    await matrix.start_bot()
    later = await police.send(war, "!läge Efter kraschen")
    await police.reply_to(war, later)
    assert _replies_to(await police.messages(war), ack) == 1  # the re-delivery stayed silent
    assert await _entries(matrix, EntryKind.ACKED) == 1


async def test_many_messages_while_down_are_backfilled(matrix: MatrixHarness) -> None:
    war, tib, police = await _activated(matrix)
    await matrix.stop_bot()
    ack = await police.send(war, "!kvittera")
    for i in range(60):  # more than the sync's timeline limit: the sync comes back `limited`
        await tib.send(war, f"prat {i}")
    await matrix.start_bot()
    assert "kvitter" in (await police.reply_to(war, ack))["body"].lower()
    assert await _entries(matrix, EntryKind.ACKED) == 1


async def test_the_forum_notice_is_not_repeated_where_the_answer_says_it(
        matrix: MatrixHarness) -> None:
    """Given in the forum's standing room, the command's answer (a reply everyone there sees)
    is the news: no second message saying the same. Given elsewhere, the standing room gets
    the notice."""
    tib = await matrix.person("tib@lansstyrelsen")
    bot = matrix.bot_user.user_id
    standing = await matrix.standing_room("verkstallande")
    before = len(await tib.messages(standing))
    assert "#2026-001" in (await tib.say(standing, "!aktivera verkstallande Vattenläcka"))["body"]
    await matrix.settle()
    said = [m["content"]["body"] for m in (await tib.messages(standing))[before:]
            if m["sender"] == bot]
    assert len(said) == 1 and "#2026-001" in said[0], said
    assert not any("är aktiverat av" in b for b in said), said

    planning = await matrix.standing_room("planeringsforum")
    before = len(await tib.messages(planning))
    elsewhere = await tib.create_room(name="ledningsrummet", invite=[bot])
    await tib.wait_joined(elsewhere, bot)
    assert "#2026-002" in (await tib.say(elsewhere, "!aktivera planeringsforum Vattenläcka"))[
        "body"]
    await matrix.settle()
    said = [m["content"]["body"] for m in (await tib.messages(planning))[before:]
            if m["sender"] == bot]
    assert len(said) == 1 and "är aktiverat av TiB Länsstyrelsen: #2026-002" in said[0], said
