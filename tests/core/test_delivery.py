"""The outbox relay under rate limits and permanent refusals, with a fake platform: a rate
limit defers an item (no attempt counted) while other rooms go on; order is kept per room;
invitations wait for their war room; an undeliverable post ends and its author is told."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.bridge import BridgeMessage
from bot.domain.delivery import RetryLater, Undeliverable
from bot.domain.effects import (
    CloseWarRoom,
    Effect,
    InvitePeople,
    OpenWarRoom,
    Post,
    RoomRef,
    SetModerators,
    SetTopic,
    lanes,
)
from bot.settings import Settings
from tests.conftest import sqlite_url
from tests.core.conftest import START


class FakePlatform:
    """Records what it performed; `refuse[label]` is what to raise for an effect (once per
    entry in its list)."""

    name = "fake"

    def __init__(self) -> None:
        self.done: list[str] = []
        self.refuse: dict[str, list[Exception]] = {}

    async def _do(self, label: str) -> None:
        if self.refuse.get(label):
            raise self.refuse[label].pop(0)
        self.done.append(label)

    async def open_war_room(self, effect: OpenWarRoom) -> None:
        await self._do(f"open {effect.activation_id}")

    async def invite(self, effect: InvitePeople) -> None:
        await self._do(f"invite {effect.activation_id} {','.join(effect.people)}")

    async def post(self, effect: Post) -> None:
        await self._do(f"post {effect.room.key} {effect.text}")

    async def set_moderators(self, effect: SetModerators) -> None:
        await self._do(f"mods {effect.activation_id}")

    async def set_topic(self, effect: SetTopic) -> None:
        await self._do(f"topic {effect.activation_id}")

    async def close_war_room(self, effect: CloseWarRoom) -> None:
        await self._do(f"close {effect.activation_id}")

    async def bridge(self, effect: BridgeMessage) -> None:
        await self._do(f"bridge {effect.activation_id}")


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[tuple[App, FakePlatform]]:
    built = await build_app(Settings(database_url=sqlite_url(tmp_path)),
                            clock=ManualClock(START))
    fake = FakePlatform()
    built.add_platform(fake)
    try:
        yield built, fake
    finally:
        await built.close()


async def _record(app: App, effects: list[Effect]) -> None:
    async with app.uow() as uow:
        await uow.outbox.add_many(effects)
        await uow.commit()


def _post(room: str, text: str, by: str | None = None) -> Post:
    return Post(RoomRef("activation", room), text, by=by)


@pytest.mark.parametrize(("effect", "keys", "waits"), [
    (_post("A", "x"), {"room:activation:A"}, {"room:activation:A"}),
    (Post(RoomRef("forum", "f"), "x"), {"room:forum:f"}, {"room:forum:f"}),
    (OpenWarRoom("A", "n", "t", [], []), {"room:activation:A", "open:A"}, {"room:activation:A"}),
    (InvitePeople("A", ["p"]), {"invite:A"}, {"invite:A", "open:A"}),
    (SetTopic("A", "t"), {"room:activation:A"}, {"room:activation:A"}),
])
def test_lanes(effect: Effect, keys: set[str], waits: set[str]) -> None:
    assert lanes(effect) == (keys, waits)


async def test_rate_limit_defers_its_room_only_and_keeps_order(
        app: tuple[App, FakePlatform]) -> None:
    built, fake = app
    fake.refuse["post A 1"] = [RetryLater(0.3, "429")]
    await _record(built, [_post("A", "1"), _post("A", "2"), _post("B", "1")])
    assert await built.relay.drain() == 1
    assert fake.done == ["post B 1"]  # A's second post waits behind the first
    due = built.relay.next_due_s()
    assert due is not None and 0.1 < due <= 0.3
    await asyncio.sleep(0.35)  # the relay's timer drains when due (or this drain does)
    await built.relay.wait_idle()
    await built.relay.drain()
    assert fake.done == ["post B 1", "post A 1", "post A 2"]
    async with built.uow() as uow:
        assert await uow.outbox.pending() == []


async def test_the_wake_timer_drains_when_due(app: tuple[App, FakePlatform]) -> None:
    built, fake = app
    fake.refuse["post A 1"] = [RetryLater(0.2), RetryLater(0.2)]
    await _record(built, [_post("A", "1")])
    built.relay.kick()
    async with asyncio.timeout(5):
        while "post A 1" not in fake.done:  # noqa: ASYNC110 - the relay's own timer
            await asyncio.sleep(0.05)
    await built.relay.wait_idle()
    async with built.uow() as uow:
        assert await uow.outbox.pending() == []


async def test_invitations_wait_for_their_room_not_for_posts(
        app: tuple[App, FakePlatform]) -> None:
    built, fake = app
    fake.refuse["open A"] = [RetryLater(0.2)]
    fake.refuse["post A late"] = [RetryLater(5)]
    await _record(built, [OpenWarRoom("A", "n", "t", ["p1"], []), InvitePeople("A", ["p2"]),
                          _post("B", "other")])
    await built.relay.drain()
    assert fake.done == ["post B other"]  # the invitation waits for the room to exist
    await asyncio.sleep(0.25)
    await _record(built, [_post("A", "late")])
    await built.relay.drain()
    # the room opens, and its invitations go on although a post in the room is throttled
    assert fake.done == ["post B other", "open A", "invite A p2"]


async def test_undeliverable_ends_the_item_and_tells_its_author(
        app: tuple[App, FakePlatform]) -> None:
    built, fake = app
    fake.refuse["post A Beslut 3"] = [Undeliverable("M_FORBIDDEN", "utestängd")]
    await _record(built, [_post("A", "Beslut 3", by="anna")])
    await built.relay.drain()
    (told,) = [d for d in fake.done if d.startswith("post anna ")]
    assert "utestängd" in told and "Beslut 3" in told
    async with built.uow() as uow:
        assert await uow.outbox.pending() == []


async def test_failures_back_off_and_end_after_max_attempts(
        app: tuple[App, FakePlatform], monkeypatch: pytest.MonkeyPatch) -> None:
    built, fake = app
    monkeypatch.setattr("bot.outbox.MAX_BACKOFF_S", 0.0)
    fake.refuse["post A x"] = [RuntimeError("boom")] * 10
    await _record(built, [_post("A", "x")])
    for _ in range(5):
        await built.relay.drain()
    async with built.uow() as uow:
        assert await uow.outbox.pending() == []  # given up after MAX_ATTEMPTS, logged
    assert "post A x" not in fake.done
