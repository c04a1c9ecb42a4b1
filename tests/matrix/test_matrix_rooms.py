"""Invitations, refusals, encrypted rooms, failed invitations and rate limits on Synapse."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from bot.domain.effects import CloseWarRoom, OpenWarRoom, Post, RoomRef
from bot.domain.roster import FunctionRef, Roster
from bot.platforms.matrix import MatrixError
from bot.platforms.matrix import client as matrix_client
from bot.platforms.matrix import texts as matrix_texts
from bot.roster.loader import default_roster_path, load_roster
from storage.dump import dump_async
from tests.matrix.harness import START, MatrixHarness, Person
from tests.matrix.synapse_server import SynapseServer

pytestmark = pytest.mark.synapse


async def _dump(matrix: MatrixHarness) -> str:
    """Every row, without the sync token (transport state that moves with every sync)."""
    text = await dump_async(matrix.db_url)
    return "\n".join(line for line in text.splitlines() if "matrix:next_batch" not in line)


async def _member_event(person: Person, room_id: str, mxid: str,
                        membership: str) -> dict[str, Any]:
    async with asyncio.timeout(20):
        while True:
            for event in await person.state(room_id):
                if (event["type"] == "m.room.member" and event["state_key"] == mxid
                        and event["content"]["membership"] == membership):
                    return event
            await asyncio.sleep(0.05)


async def _notice(person: Person, room_id: str, needle: str) -> dict[str, Any]:
    async with asyncio.timeout(20):
        while True:
            for event in await person.messages(room_id):
                content = event["content"]
                if content.get("msgtype") == "m.notice" and needle in content["body"]:
                    return event
            await asyncio.sleep(0.05)


async def test_outsider_is_refused_and_nothing_changes(matrix: MatrixHarness) -> None:
    standing = await matrix.standing_room("samordnande")
    tib = await matrix.person("tib@lansstyrelsen")
    outsider = await matrix.stranger("utomstaende")
    await tib.invite(standing, outsider.mxid)
    await outsider.join(standing)
    await tib.say(standing, "!vem tib@lansstyrelsen")  # the bot has seen the join: settled
    before = await _dump(matrix)

    reply = await outsider.say(standing, "!aktivera samordnande oväder Snöstorm Gorm")
    assert "rollförteckningen" in reply["body"] and outsider.mxid in reply["body"]
    await matrix.settle()
    assert await _dump(matrix) == before
    async with matrix.app.uow() as uow:
        assert await uow.activations.active() == []


async def test_invitation_from_outsider_declined_with_reason(matrix: MatrixHarness) -> None:
    outsider = await matrix.stranger("framling")
    room = await outsider.create_room(name="Främmande rum")
    await outsider.invite(room, matrix.bot_user.user_id)
    left = await _member_event(outsider, room, matrix.bot_user.user_id, "leave")
    assert left["content"].get("reason") == matrix_texts.DECLINE_REASON
    assert matrix.bot_user.user_id not in await outsider.members(room, "join")


async def test_encrypted_room_joined_with_explanation(matrix: MatrixHarness) -> None:
    tib = await matrix.person("tib@lansstyrelsen")
    room = await tib.create_room(name="Krypterat", initial_state=[{
        "type": "m.room.encryption", "state_key": "",
        "content": {"algorithm": "m.megolm.v1.aes-sha2"}}])
    await tib.invite(room, matrix.bot_user.user_id)
    await tib.wait_joined(room, matrix.bot_user.user_id)
    notice = await _notice(tib, room, "krypterat")
    assert "okrypterat rum" in notice["content"]["body"]
    assert "<strong>!aktivera</strong>" in notice["content"]["formatted_body"]


async def test_command_prefixes_and_escaping(matrix: MatrixHarness) -> None:
    standing = await matrix.standing_room("samordnande")
    tib = await matrix.person("tib@lansstyrelsen")
    who = await tib.say(standing, "!samverkan vem tib@lansstyrelsen")
    assert tib_name(matrix, matrix.holder("tib@lansstyrelsen")) in who["body"]
    assert who["formatted_body"].startswith("<ul>")
    slash = await tib.say(standing, "/aktivera <b>fel</b>")
    assert slash["msgtype"] == "m.notice" and "<b>" not in slash["formatted_body"]
    event_id = await tib.send(standing, "vanligt prat, inget kommando")
    await tib.say(standing, "!hjälp")  # answered after the chatter: the chatter got nothing
    replies = [m for m in await tib.messages(standing)
               if m["content"].get("m.relates_to", {}).get("m.in_reply_to", {})
               .get("event_id") == event_id]
    assert replies == []


async def test_direct_message_made_once(matrix: MatrixHarness) -> None:
    assert matrix.bot is not None
    key = matrix.holder("tib@lansstyrelsen")
    tib = await matrix.person(key)
    await matrix.bot.post(Post(RoomRef("person", key), f"Hej <@{key}>, **viktigt**"))
    await matrix.bot.post(Post(RoomRef("person", key), "Andra meddelandet"))
    async with matrix.app.uow() as uow:
        dm = await uow.rooms.room("person", key, "matrix")
    assert dm is not None
    await tib.join(dm)
    bodies = [m["content"] for m in await tib.messages(dm)]
    assert [b["body"] for b in bodies] == [f"Hej {tib_name(matrix, key)}, **viktigt**",
                                           "Andra meddelandet"]
    assert "<strong>viktigt</strong>" in bodies[0]["formatted_body"]


def tib_name(matrix: MatrixHarness, key: str) -> str:
    return matrix.app.roster.person(key).name


async def test_war_room_redelivery_and_alias_adoption(matrix: MatrixHarness) -> None:
    assert matrix.bot is not None
    tib_key = matrix.holder("tib@lansstyrelsen")
    effect = OpenWarRoom("2026-077", "2026-077 Övning", "Ämne", [tib_key], [tib_key])
    await matrix.bot.open_war_room(effect)
    room = await matrix.war_room("2026-077")
    await matrix.bot.open_war_room(effect)  # the outbox delivered it again
    assert await matrix.war_room("2026-077") == room
    # a crash between createRoom and the binding: the alias leads back to the same room
    adopted, everyone_invited = await matrix.bot._create(effect, [], None)
    assert adopted == room and not everyone_invited
    tib = await matrix.person(tib_key)
    await tib.join(room)  # invited once, to the one room
    assert await tib.members(room, "join") == {tib.mxid, matrix.bot_user.user_id}


async def test_long_protocol_is_chunked_and_posted_once(matrix: MatrixHarness) -> None:
    assert matrix.bot is not None
    tib_key = matrix.holder("tib@lansstyrelsen")
    await matrix.bot.open_war_room(OpenWarRoom("2026-050", "2026-050 Lång", "Ämne", [tib_key],
                                               [tib_key]))
    protocol = "\n".join(f"- rad {i}: " + "text " * 20 for i in range(300))  # ~33,000 chars
    close = CloseWarRoom("2026-050", protocol)
    await matrix.bot.close_war_room(close)
    await matrix.bot.close_war_room(close)  # re-delivered by the outbox: not posted again
    room = await matrix.war_room("2026-050")
    tib = await matrix.person(tib_key)
    await tib.join(room)
    parts = [m["content"]["body"] for m in await tib.messages(room)
             if "Protokoll, del" in m["content"]["body"]]
    assert len(parts) == 3 and parts[0].startswith("*Protokoll, del 1 av 3*")
    assert "rad 0:" in parts[0] and "rad 299:" in parts[2]
    assert all(len(p) < 13_000 for p in parts)


async def test_room_version_11_lists_the_creator(matrix: MatrixHarness) -> None:
    """Before v12 the creator must be in power_levels.users (at 100); from v12 it must not."""
    assert matrix.bot is not None and matrix.bot.room_version == "12"
    matrix.bot.room_version = "11"
    tib_key = matrix.holder("tib@lansstyrelsen")
    await matrix.bot.open_war_room(OpenWarRoom("2026-011", "2026-011 V11", "Ämne", [tib_key],
                                               [tib_key]))
    room = await matrix.war_room("2026-011")
    tib = await matrix.person(tib_key)
    await tib.join(room)
    events = await tib.state(room)
    create = next(e for e in events if e["type"] == "m.room.create")
    levels = next(e for e in events if e["type"] == "m.room.power_levels")["content"]["users"]
    assert create["content"]["room_version"] == "11"
    assert levels == {matrix.bot_user.user_id: 100, tib.mxid: 50}


def _unreachable(roster: Roster, person: str) -> Roster:
    data = roster.model_dump()
    for entry in data["people"]:
        if entry["key"] == person:
            entry["matrix_id"] = f"@{person}:elsewhere.example"
    return Roster.model_validate(data)


async def test_failed_invitation_reported_rest_invited(synapse: SynapseServer,
                                                       tmp_path: Path) -> None:
    roster = load_roster(default_roster_path())
    away = roster.holder(FunctionRef.parse("operativ-chef@attunda"), START)
    matrix = MatrixHarness(synapse, tmp_path, roster=_unreachable(roster, away))
    await matrix.start()
    try:
        standing = await matrix.standing_room("samordnande")
        tib = await matrix.person("tib@lansstyrelsen")
        reply = await tib.say(standing, "!aktivera verkstallande Vattenläcka")
        assert "#2026-001" in reply["body"]
        await matrix.settle()
        war = await matrix.war_room("2026-001")
        await tib.join(war)
        notice = await _notice(tib, war, "elsewhere.example")
        assert matrix_texts.INVITE_FAILED_HEAD.strip("*").split("*")[0] in notice["content"]["body"]
        async with matrix.app.uow() as uow:
            called = {r.person for r in await uow.participants.of_activation("2026-001")}
        expected = {matrix.mxid(p) for p in called - {away, matrix.holder("tib@lansstyrelsen")}}
        assert await tib.members(war, "invite") == expected
    finally:
        await matrix.close()


async def test_rate_limits_are_waited_out_briefly_or_fail_fast(
        matrix: MatrixHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    assert matrix.bot is not None
    key = matrix.holder("tib@lansstyrelsen")
    await matrix.bot.post(Post(RoomRef("person", key), "första"))
    await asyncio.to_thread(matrix.server.override_ratelimit, matrix.bot_user.user_id, 1, 1)
    began = time.monotonic()
    for n in range(3):  # one message a second: the short waits Synapse asks for are kept
        await matrix.bot.post(Post(RoomRef("person", key), f"nummer {n}"))
    assert 1.0 < time.monotonic() - began < 10

    monkeypatch.setattr(matrix_client, "MAX_RATE_WAIT_MS", 100)  # waits longer than this fail
    began = time.monotonic()
    with pytest.raises(MatrixError) as raised:
        for _ in range(3):
            await matrix.bot.post(Post(RoomRef("person", key), "fler"))
    assert raised.value.code == "M_LIMIT_EXCEEDED"
    assert time.monotonic() - began < 2
