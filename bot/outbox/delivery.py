"""One outbox item performed on every platform that has not yet done it; what came of it.

Each platform call runs inside `delivering(Delivery(key, repeat))`: the key is stable for the
item across retries, deferrals and restarts, so the platforms make a repeat harmless (Matrix:
the transaction id of the send; Slack: the key in the message's metadata, checked in the
channel's history before a repeat). See the README, "Exactly once".
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.domain.bridge import BridgeMessage
from bot.domain.delivery import RetryLater, Undeliverable
from bot.domain.effects import (
    CloseWarRoom,
    Delivery,
    Effect,
    InvitePeople,
    OpenWarRoom,
    Post,
    RoomRef,
    SetModerators,
    SetTopic,
    delivering,
    only_for,
)
from bot.domain.ports import ChatPlatform, OutboxItem, UnitOfWorkFactory
from bot.faults import fault_point
from bot.texts import t

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # failed rounds (errors that are neither a rate limit nor permanent)
NONCE_KEY = "outbox:nonce"  # kv: this database's part of every idempotency key


async def database_nonce(uow: UnitOfWorkFactory) -> str:
    """A random word kept in the database (made at the first call), so keys of two databases
    (a test suite against one homeserver, a restored backup) never meet."""
    async with uow() as work:
        nonce = await work.kv.get(NONCE_KEY)
        if nonce is None:
            nonce = uuid.uuid4().hex[:10]
            await work.kv.add_once(NONCE_KEY, nonce)
            await work.commit()
    async with uow() as work:
        return await work.kv.get(NONCE_KEY) or nonce


def _method(platform: ChatPlatform, effect: Effect) -> Callable[[Any], Awaitable[None]]:
    match effect:
        case OpenWarRoom():
            return platform.open_war_room
        case InvitePeople():
            return platform.invite
        case Post():
            return platform.post
        case SetModerators():
            return platform.set_moderators
        case SetTopic():
            return platform.set_topic
        case CloseWarRoom():
            return platform.close_war_room
        case BridgeMessage():  # bot.domain.bridge: each platform skips its own messages
            return platform.bridge
    raise TypeError(f"unknown effect {effect!r}")


@dataclass
class Outcome:
    """What one attempt at an item did: the platforms that performed it, the error of a
    failed call, whether the item is finished, the wait a platform asked for, and the
    reports of undeliverable posts to record with it."""

    done: list[str] = field(default_factory=list)
    error: str | None = None
    finished: bool = False
    wait_s: float | None = None  # a platform asked to be tried again after this long
    notices: list[Post] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether there is anything to record (a mere deferral records nothing)."""
        return bool(self.done or self.finished or self.error is not None or self.notices)


async def deliver(platforms: list[ChatPlatform], item: OutboxItem, key: str,
                  repeat: bool) -> Outcome:
    """Calls every platform that has not yet performed `item`, each inside
    `delivering(Delivery(key, repeat))`. It is finished when done everywhere (a permanent
    refusal counts as done), or after MAX_ATTEMPTS failed rounds; a rate limit (RetryLater)
    keeps it pending without counting an attempt."""
    out = Outcome()
    target = only_for(item.effect)
    for platform in platforms:
        if platform.name in item.done:
            continue
        if target is not None and target != platform.name:
            out.done.append(platform.name)
            continue
        try:
            fault_point(f"outbox.call.{item.effect.type}")
            with delivering(Delivery(key, repeat=repeat)):
                await _method(platform, item.effect)(item.effect)
            fault_point(f"outbox.called.{item.effect.type}")
        except RetryLater as exc:
            log.info("%s: %s deferred %.1f s (%s)", platform.name,
                     type(item.effect).__name__, exc.after_s, exc.reason)
            out.wait_s = max(out.wait_s or 0.0, exc.after_s)
            continue
        except Undeliverable as exc:
            log.warning("%s can never perform outbox item %s: %s", platform.name, item.id, exc)
            out.notices += undeliverable_notice(item.effect, platform.name, exc)
        except Exception as exc:
            log.exception("%s could not perform %s", platform.name, type(item.effect).__name__)
            out.error = f"{platform.name}: {exc}"
            continue
        out.done.append(platform.name)
    failed_for_good = out.error is not None and item.attempts + 1 >= MAX_ATTEMPTS
    out.finished = (out.error is None and out.wait_s is None) or failed_for_good
    if failed_for_good:
        log.error("giving up outbox item %s after %s attempts: %s", item.id,
                  item.attempts + 1, out.error)
    return out


def undeliverable_notice(effect: Effect, platform: str, exc: Undeliverable) -> list[Post]:
    """A Post telling the person whose command caused `effect` that it could not be
    delivered; none for effects without a person, or for such a notice itself."""
    if not isinstance(effect, Post) or effect.by is None:
        return []
    if effect.room == RoomRef("person", effect.by):
        return []  # the notice to that person is what failed: nothing further to try
    excerpt = " ".join(effect.text.split())[:140]
    text = t("sv", "delivery.undeliverable", room=_room_label(effect.room), reason=exc.reason,
             excerpt=excerpt)
    return [Post(room=RoomRef("person", effect.by), text=text, platform=platform)]


def _room_label(room: RoomRef) -> str:
    kind = room.kind if room.kind in ("activation", "forum") else "other"
    return t("sv", f"delivery.room.{kind}", key=room.key)
