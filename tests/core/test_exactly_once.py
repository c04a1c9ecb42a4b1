"""The outbox gives every platform call the item's key, stable across retries and restarts,
and says when a call may be a repeat: an item left pending by an earlier process, or one
that failed before."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.bootstrap import App
from bot.domain.effects import Delivery, Post, RoomRef, current_delivery
from bot.outbox import OutboxRelay


class Crash(BaseException):
    """The process dies in the middle of a platform call (nothing is settled)."""


@dataclass
class KeyRecorder:
    name: str = "recorder"
    seen: list[tuple[str, bool, str]] = field(default_factory=list)
    crash: bool = False
    fail: bool = False

    async def post(self, effect: Post) -> None:
        delivery = current_delivery()
        assert delivery is not None
        self.seen.append((delivery.key, delivery.repeat, effect.text))
        if self.crash:
            raise Crash
        if self.fail:
            raise RuntimeError("the platform is down")


def _post(text: str) -> Post:
    return Post(RoomRef("forum", "samordnande"), text)


async def test_keys_are_stable_across_a_restart_and_mark_repeats(app: App) -> None:
    async with app.uow() as uow:
        await uow.outbox.add_many([_post("före kraschen")])
        await uow.commit()
    first = KeyRecorder(crash=True)
    app.relay.platforms.append(first)  # type: ignore[arg-type]
    with pytest.raises(Crash):
        await app.relay.drain()
    restarted = OutboxRelay(app.uow)
    await restarted.prepare()  # at start: what is pending may have been done already
    async with app.uow() as uow:
        await uow.outbox.add_many([_post("efter starten")])
        await uow.commit()
    second = KeyRecorder()
    restarted.platforms.append(second)  # type: ignore[arg-type]
    assert await restarted.drain() == 2
    (key, repeat, _), = first.seen
    assert not repeat
    assert second.seen[0] == (key, True, "före kraschen")
    assert second.seen[1][1:] == (False, "efter starten") and second.seen[1][0] != key
    nonce = key.split(".")[0]
    assert all(k.startswith(f"{nonce}.") for k, _, _ in second.seen)


async def test_a_failed_call_is_retried_as_a_repeat_with_the_same_key(app: App) -> None:
    platform = KeyRecorder(fail=True)
    app.relay.platforms.append(platform)  # type: ignore[arg-type]
    async with app.uow() as uow:
        await uow.outbox.add_many([_post("ett försök till")])
        await uow.commit()
    await app.relay.drain()
    platform.fail = False
    await app.relay.drain()
    assert [(k, r) for k, r, _ in platform.seen] == [(platform.seen[0][0], False),
                                                     (platform.seen[0][0], True)]


def test_message_keys_follow_the_content() -> None:
    delivery = Delivery("abc.7")
    one, two, again = (delivery.message_key(t) for t in ("del 1", "del 2", "del 1"))
    assert one != two and again == f"{one}.2"
    assert Delivery("abc.7").message_key("del 1") == one  # the same on a retry
    assert all(c.isalnum() or c in "._-" for c in one)
