"""Matrix messages as people send them, on a real Synapse: an Element reply (with the
rich-reply fallback), an edit, upgraded rooms (with and without the bot invited into the
replacement) and a post the homeserver refuses for good."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

import pytest
from nio import RoomSendResponse

from bot.platforms.matrix import texts as matrix_texts
from tests.matrix.harness import MatrixHarness, Person

pytestmark = pytest.mark.synapse


async def _activate_small(matrix: MatrixHarness, tib: Person) -> str:
    """`!aktivera verkstallande …` from the samordnande standing room; the war room joined."""
    standing = await matrix.standing_room("samordnande")
    assert "#2026-001" in (await tib.say(standing, "!aktivera verkstallande Vattenläcka"))["body"]
    await matrix.settle()
    war = await matrix.war_room("2026-001")
    await tib.join(war)
    return war


async def _send(person: Person, room_id: str, content: dict[str, Any]) -> str:
    resp = await person.client.room_send(room_id, "m.room.message", content)
    assert isinstance(resp, RoomSendResponse), resp
    return str(resp.event_id)


async def _acked(matrix: MatrixHarness, person_key: str) -> bool:
    async with matrix.app.uow() as uow:
        rows = await uow.participants.of_activation("2026-001")
    return any(r.person == person_key and r.acked_at is not None for r in rows)


async def test_reply_with_rich_fallback_runs_the_command(matrix: MatrixHarness) -> None:
    tib = await matrix.person("tib@lansstyrelsen")
    war = await _activate_small(matrix, tib)
    police_key = matrix.holder("vakthavande-befal@polisen")
    police = await matrix.person(police_key)
    await police.join(war)
    summary = next(m for m in await police.messages(war) if m["sender"] == matrix.bot_user.user_id)
    quoted = summary["content"]["body"].splitlines()[0]
    content = {
        "msgtype": "m.text",
        "body": f"> <{matrix.bot_user.user_id}> {quoted}\n> mer citat\n\n!kvittera",
        "format": "org.matrix.custom.html",
        "formatted_body": f"<mx-reply><blockquote>{quoted}</blockquote></mx-reply>!kvittera",
        "m.relates_to": {"m.in_reply_to": {"event_id": summary["event_id"]}},
    }
    answer = await police.reply_to(war, await _send(police, war, content))
    assert "kvitter" in answer["body"].lower(), answer["body"]
    assert await _acked(matrix, police_key)


async def test_an_edit_is_not_run_again(matrix: MatrixHarness) -> None:
    tib = await matrix.person("tib@lansstyrelsen")
    war = await _activate_small(matrix, tib)
    police_key = matrix.holder("vakthavande-befal@polisen")
    police = await matrix.person(police_key)
    await police.join(war)
    first = await police.send(war, "!vem tib@lansstyrelsen")
    await police.reply_to(war, first)
    edit = await _send(police, war, {
        "msgtype": "m.text", "body": "* !kvittera",
        "m.new_content": {"msgtype": "m.text", "body": "!kvittera"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": first}})
    await police.say(war, "!vem tib@lansstyrelsen")  # handled after the edit: it was seen
    answered = [m for m in await police.messages(war)
                if m["content"].get("m.relates_to", {}).get("m.in_reply_to", {})
                .get("event_id") == edit]
    assert answered == [] and not await _acked(matrix, police_key)


async def _upgrade(person: Person, room_id: str) -> str:
    """The server-side room upgrade (POST /rooms/{id}/upgrade): tombstone and new room."""
    client = person.client
    path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/upgrade"
    resp = await client.send("POST", path, json.dumps({"new_version": "12"}),
                             {"Authorization": f"Bearer {client.access_token}",
                              "Content-Type": "application/json"})
    data = await resp.json()
    assert resp.status == 200, data
    return str(data["replacement_room"])


async def _bound_forum(matrix: MatrixHarness, forum: str) -> str | None:
    async with matrix.app.uow() as uow:
        return await uow.rooms.room("forum", forum, "matrix")


async def _dm_notice(matrix: MatrixHarness, person: Person, key: str, needle: str) -> str:
    """The text of the bot's notice to `key` in its DM room (joined first), polled."""
    async with asyncio.timeout(20):
        while True:
            await matrix.settle()
            async with matrix.app.uow() as uow:
                dm = await uow.rooms.room("person", key, "matrix")
            if dm is not None:
                await person.join(dm)
                for m in await person.messages(dm):
                    if needle in m["content"]["body"]:
                        return str(m["content"]["body"])
            await asyncio.sleep(0.1)


@pytest.mark.parametrize("reinvite", [True, False], ids=["bot-reinvited", "not-invited"])
async def test_upgraded_standing_room(matrix: MatrixHarness, reinvite: bool) -> None:
    tib_key = matrix.holder("tib@lansstyrelsen")
    tib = await matrix.person(tib_key)
    old = await matrix.standing_room("planeringsforum")
    await tib.say(old, "!vem tib@lansstyrelsen")  # the bot is in and the forum is bound
    assert await _bound_forum(matrix, "planeringsforum") == old
    new = await _upgrade(tib, old)
    # Invite-only: Synapse invites nobody into the replacement; the bot says so to whoever
    # upgraded the room, and follows once invited.
    told = await _dm_notice(matrix, tib, tib_key, "uppgraderats")
    assert matrix.bot_user.user_id in told
    if not reinvite:
        assert await _bound_forum(matrix, "planeringsforum") == old
        return
    await tib.invite(new, matrix.bot_user.user_id)
    await tib.wait_joined(new, matrix.bot_user.user_id)
    async with asyncio.timeout(20):
        while await _bound_forum(matrix, "planeringsforum") != new:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    await matrix.settle()
    bodies = [m["content"]["body"] for m in await tib.messages(new)]
    assert matrix_texts.UPGRADE_FOLLOWED in bodies
    assert "Länsstyrelsen" in (await tib.say(new, "!vem tib@lansstyrelsen"))["body"]


async def test_undeliverable_post_is_reported_to_its_author(matrix: MatrixHarness) -> None:
    tib_key = matrix.holder("tib@lansstyrelsen")
    tib = await matrix.person(tib_key)
    standing = await matrix.standing_room("samordnande")
    await tib.say(standing, "!vem tib@lansstyrelsen")  # bound to the forum
    ban = await tib.client.room_ban(standing, matrix.bot_user.user_id, "test")
    assert type(ban).__name__ == "RoomBanResponse", ban
    direct = await tib.create_room(invite=[matrix.bot_user.user_id], is_direct=True)
    await tib.wait_joined(direct, matrix.bot_user.user_id)
    reply = await tib.say(direct, "!aktivera samordnande Provlarm Gorm")
    assert "#2026-001" in reply["body"]  # the answer comes where the command was given
    told = await _dm_notice(matrix, tib, tib_key, "kunde inte levereras")
    assert "Provlarm" in told  # the excerpt says which message it was
    await matrix.settle_all(limit_s=30)
    async with matrix.app.uow() as uow:
        assert await uow.outbox.pending() == []  # not retried forever
