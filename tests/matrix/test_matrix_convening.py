"""While the homeserver throttles a war room's invitations they come first (issue 9): Synapse
counts invitations and messages in one allowance (rc_message), so the bot's notices wait until
everyone is invited, while answers to commands still go at once."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.effects import InvitePeople, OpenWarRoom, Post, RoomRef
from tests.matrix.harness import MatrixHarness

pytestmark = pytest.mark.synapse


async def test_notices_wait_for_throttled_invitations_answers_do_not(
        matrix: MatrixHarness) -> None:
    assert matrix.bot is not None
    tib_key = matrix.holder("tib@lansstyrelsen")
    tib = await matrix.person(tib_key)
    standing = await matrix.standing_room("samordnande")
    await matrix.bot.post(Post(RoomRef("person", tib_key), "fråga"))
    dm = await matrix.bot.room_for(RoomRef("person", tib_key))
    assert dm is not None
    await tib.join(dm)
    (asked,) = [m for m in await tib.messages(dm) if m["content"].get("body") == "fråga"]
    await matrix.bot.open_war_room(OpenWarRoom("2026-050", "2026-050 Prov", "", [tib_key],
                                               [tib_key]))
    war = await matrix.war_room("2026-050")
    await tib.join(war)
    others = [p.key for p in matrix.app.roster.people
              if p.matrix_id and p.key != tib_key][:6]
    for key in others:
        await matrix.person(key)  # registered, so the invitations can succeed
    # From now on one message a second for the bot, no burst: each invitation waits its turn.
    await asyncio.to_thread(matrix.server.override_ratelimit, matrix.bot_user.user_id, 1, 1)
    async with matrix.app.uow() as uow:
        await uow.outbox.add(InvitePeople("2026-050", others, by=tib_key, platform="matrix"))
        await uow.commit()
    matrix.app.relay.kick()
    async with asyncio.timeout(20):  # the first went at once, the second waits its turn
        while len(await tib.members(war, "invite")) < 2:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    async with matrix.app.uow() as uow:  # a notice of the core, and an answer to a command
        await uow.outbox.add_many([
            Post(RoomRef("forum", "samordnande"), "notis från kärnan"),
            Post(RoomRef("person", tib_key), "svar", by=tib_key, reply_to=asked["event_id"],
                 platform="matrix"),
        ])
        await uow.commit()
    matrix.app.relay.kick()
    await matrix.settle_all(limit_s=60)

    state = await tib.state(war)
    invited_at = sorted(e["origin_server_ts"] for e in state
                        if e["type"] == "m.room.member" and e["state_key"] != tib.mxid
                        and e["content"]["membership"] == "invite")
    assert len(invited_at) == len(others), state
    (notice,) = [m for m in await tib.messages(standing)
                 if m["content"].get("body") == "notis från kärnan"]
    (answer,) = [m for m in await tib.messages(dm) if m["content"].get("body") == "svar"]
    assert notice["origin_server_ts"] >= invited_at[-1]  # the notice waited for them all
    assert answer["origin_server_ts"] < invited_at[-1]  # the answer did not
