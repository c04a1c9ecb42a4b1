"""Who is invited first when a server throttles, who hears of refusals, and the answer of a
committed command queued with it (Origin.durable_reply)."""

from __future__ import annotations

from bot.bootstrap import App
from bot.domain.effects import InvitePeople, OpenWarRoom, Post, RoomRef
from bot.handlers.types import Origin
from tests.core.conftest import holder, say


async def _effects(app: App) -> list[object]:
    async with app.uow() as uow:
        return [item.effect for item in await uow.outbox.pending()]


async def test_chair_and_tib_first_then_the_forum_then_the_rest(app: App) -> None:
    app.service.relay = None  # keep the effects in the outbox to read them
    assert (await say(app, "tib@lansstyrelsen", "aktivera samordnande oväder Snöstorm")).ok
    (room,) = [e for e in await _effects(app) if isinstance(e, OpenWarRoom)]
    forum = app.roster.forum("samordnande")
    in_forum = [holder(app, str(r)) for r in forum.call_refs]
    assert room.invite[0] == holder(app, "tib@lansstyrelsen")  # chair = convener
    assert room.invite[:len(dict.fromkeys(in_forum))] == list(dict.fromkeys(in_forum))
    extras = room.invite[len(dict.fromkeys(in_forum)):]
    assert extras and all(app.roster.person(p).key not in in_forum for p in extras)
    assert room.by == holder(app, "tib@lansstyrelsen")
    assert room.notify == [RoomRef("person", room.by)]  # the console speaker's own room


async def test_called_and_deputies_name_who_hears_of_refusals(app: App) -> None:
    app.service.relay = None
    await say(app, "tib@lansstyrelsen", "aktivera verkstallande Vattenläcka")
    await say(app, "tib@lansstyrelsen", "kalla #2026-001 smhi")
    (called,) = [e for e in await _effects(app) if isinstance(e, InvitePeople)]
    assert called.by == holder(app, "tib@lansstyrelsen") and called.people


async def test_a_committed_answer_is_queued_first_with_the_command(app: App) -> None:
    app.service.relay = None
    tib = holder(app, "tib@lansstyrelsen")
    origin = Origin("console", tib, "!rummet", user=tib, delivery_id="$ev1",
                    durable_reply=True)
    reply = await app.service.handle("aktivera verkstallande Vattenläcka", origin)
    assert reply.ok and reply.queued
    first = (await _effects(app))[0]
    assert first == Post(RoomRef("platform", "!rummet"), reply.text, list(reply.mentions),
                         by=tib, reply_to="$ev1", platform="console")
    refused = await app.service.handle("aktivera nowhere x", Origin(
        "console", tib, "!rummet", user=tib, delivery_id="$ev2", durable_reply=True))
    assert not refused.ok and not refused.queued  # nothing committed: the platform sends it
