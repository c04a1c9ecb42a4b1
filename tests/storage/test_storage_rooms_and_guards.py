"""Outbox, room bindings and key/value state on both databases."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.bridge import BridgeMessage
from bot.domain.effects import (
    CloseWarRoom,
    Effect,
    InvitePeople,
    OpenWarRoom,
    Post,
    RoomRef,
    SetModerators,
    SetTopic,
)
from storage.database import make_engine
from storage.uow import SqlUnitOfWorkFactory

EVERY_EFFECT: list[Effect] = [
    OpenWarRoom("2026-004", "2026-004 Snöstorm Gorm", "Läge: röd", ["anna", "bert"], ["anna"]),
    OpenWarRoom("2026-005", "2026-005 Elavbrott", "", [], [], link_to="2026-004"),
    InvitePeople("2026-004", ["cecilia", "david"]),
    Post(RoomRef("activation", "2026-004"), "**Beslut 1**: <@anna> skolor stängs", ["anna"]),
    Post(RoomRef("forum", "samordnande-forum"), "Hej"),
    Post(RoomRef("person", "bert"), "Du är kallad — kvittera"),
    SetModerators("2026-004", ["anna", "bert"]),
    SetTopic("2026-004", "Ny ordförande: TiB Länsstyrelsen"),
    CloseWarRoom("2026-004", "# Protokoll\n\n1. Åtgärder"),
    BridgeMessage("2026-004", "matrix", "post", "$ev", "**Anna (TiB):** hej <@bert>", ["bert"]),
]


async def test_outbox_round_trips_every_effect_type(uow_factory: SqlUnitOfWorkFactory) -> None:
    assert {type(e) for e in EVERY_EFFECT} == set(Effect.__args__)
    async with uow_factory() as uow:
        ids = [await uow.outbox.add(effect) for effect in EVERY_EFFECT]
        await uow.commit()
    assert ids == sorted(set(ids))
    async with uow_factory() as uow:
        items = await uow.outbox.pending()
    assert [item.effect for item in items] == EVERY_EFFECT
    assert [item.id for item in items] == ids
    assert all(item.done == frozenset() and item.attempts == 0 for item in items)
    assert isinstance(items[3].effect, Post) and items[3].effect.room == RoomRef("activation",
                                                                                   "2026-004")


async def test_outbox_lifecycle_and_redelivery_after_restart(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    uows = SqlUnitOfWorkFactory(engine)
    async with uows() as uow:
        first, second, third = [await uow.outbox.add(e) for e in EVERY_EFFECT[:3]]
        await uow.commit()
    async with uows() as uow:
        await uow.outbox.mark_done(first, "slack")
        await uow.outbox.mark_done(first, "matrix")
        await uow.outbox.mark_done(first, "slack")  # a repeat changes nothing
        await uow.outbox.record_failure(first, "ratelimited")
        await uow.outbox.record_failure(first, "timeout")
        await uow.outbox.mark_finished(second)
        await uow.commit()
    await engine.dispose()  # a crash before the first item was finished

    engine = make_engine(migrated_url)
    uows = SqlUnitOfWorkFactory(engine)
    async with uows() as uow:
        pending = await uow.outbox.pending()
        assert [(i.id, i.done, i.attempts) for i in pending] == [
            (first, frozenset({"slack", "matrix"}), 2), (third, frozenset(), 0)]
        assert [i.id for i in await uow.outbox.pending(limit=1)] == [first]
        await uow.outbox.mark_finished(first)
        await uow.commit()
    async with uows() as uow:
        assert [i.id for i in await uow.outbox.pending()] == [third]
        for mark in (uow.outbox.mark_finished(9999), uow.outbox.mark_done(9999, "slack"),
                     uow.outbox.record_failure(9999, "x")):
            with pytest.raises(LookupError):
                await mark
    await engine.dispose()


async def test_outbox_items_vanish_with_a_rollback(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.outbox.add(EVERY_EFFECT[0])
    async with uow_factory() as uow:
        assert await uow.outbox.pending() == []


async def test_room_bindings_both_directions(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.rooms.bind("activation", "2026-004", "slack", "C0123")
        await uow.rooms.bind("activation", "2026-004", "matrix", "!abc:samverkan.test")
        await uow.rooms.bind("forum", "samordnande-forum", "slack", "C0999")
        await uow.rooms.bind("activation", "2026-004", "slack", "C0123")  # idempotent
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.rooms.room("activation", "2026-004", "slack") == "C0123"
        assert await uow.rooms.room("activation", "2026-004", "matrix") == "!abc:samverkan.test"
        assert await uow.rooms.room("activation", "2026-005", "slack") is None
        assert await uow.rooms.lookup("slack", "C0123") == ("activation", "2026-004")
        assert await uow.rooms.lookup("matrix", "!abc:samverkan.test") == ("activation",
                                                                            "2026-004")
        assert await uow.rooms.lookup("slack", "C0999") == ("forum", "samordnande-forum")
        assert await uow.rooms.lookup("matrix", "C0123") is None
        await uow.rooms.bind("activation", "2026-004", "slack", "C0456")  # re-bind
        with pytest.raises(ValueError):
            await uow.rooms.bind("activation", "2026-005", "slack", "C0999")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.rooms.room("activation", "2026-004", "slack") == "C0456"
        assert await uow.rooms.lookup("slack", "C0123") is None
        assert await uow.rooms.room("activation", "2026-005", "slack") is None


async def test_kv_get_put_add_once(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.kv.get("matrix.next_batch") is None
        await uow.kv.put("matrix.next_batch", "s1_2")
        await uow.kv.put("matrix.next_batch", "s3_4")
        assert await uow.kv.add_once("slack.delivery:Ev1") is True
        assert await uow.kv.add_once("slack.delivery:Ev1", "again") is False
        assert await uow.kv.add_once("matrix.next_batch") is False
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.kv.get("matrix.next_batch") == "s3_4"
        assert await uow.kv.get("slack.delivery:Ev1") == ""
        assert await uow.kv.add_once("slack.delivery:Ev1") is False
        assert await uow.kv.add_once("slack.delivery:Ev2", "x") is True
    async with uow_factory() as uow:
        assert await uow.kv.get("slack.delivery:Ev2") is None, "not committed"


async def test_kv_put_many_inserts_and_replaces_in_one_statement(
        uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.kv.put("invited:!r:a", "pending")
        assert await uow.kv.get("invited:!r:a") == "pending"  # read into this unit of work
        await uow.kv.put_many({})
        await uow.kv.put_many({f"invited:!r:{c}": "ok" for c in "abc"})
        assert await uow.kv.get("invited:!r:a") == "ok", "a row read before is not stale"
        await uow.commit()
    async with uow_factory() as uow:
        assert [await uow.kv.get(f"invited:!r:{c}") for c in "abcd"] == ["ok", "ok", "ok", None]
        await uow.kv.put_many({"invited:!r:b": "M_FORBIDDEN", "invited:!r:d": "ok"})
    async with uow_factory() as uow:
        assert await uow.kv.get("invited:!r:b") == "ok", "not committed"


async def test_kv_add_once_race_between_concurrent_units_of_work(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    first_inserted = asyncio.Event()

    async def slow_first() -> bool:
        async with uow_factory() as uow:
            inserted = await uow.kv.add_once("delivery:race", "first")
            first_inserted.set()
            await asyncio.sleep(0.3)  # hold the uncommitted insert while the other tries
            await uow.kv.put("after", "the savepoint left the transaction usable")
            await uow.commit()
            return inserted

    async def second() -> bool:
        await asyncio.wait_for(first_inserted.wait(), timeout=10)
        async with uow_factory() as uow:
            inserted = await uow.kv.add_once("delivery:race", "second")
            await uow.kv.put("second.after", "still usable")
            await uow.commit()
            return inserted

    results = await asyncio.wait_for(asyncio.gather(slow_first(), second()), timeout=60)
    assert list(results) == [True, False]
    async with uow_factory() as uow:
        assert await uow.kv.get("delivery:race") == "first"
        assert await uow.kv.get("second.after") == "still usable"


async def test_kv_add_once_many_contenders_one_winner(uow_factory: SqlUnitOfWorkFactory) -> None:
    async def contender(n: int) -> bool:
        async with uow_factory() as uow:
            inserted = await uow.kv.add_once("delivery:crowd", str(n))
            await uow.commit()
            return inserted

    results = await asyncio.wait_for(
        asyncio.gather(*(contender(n) for n in range(8))), timeout=60)
    assert sorted(results) == [False] * 7 + [True]
