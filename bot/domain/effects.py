"""Side effects a handler asks for. They are stored in the outbox in the same transaction as
the record and performed by the platforms after commit, so a crash in between is repaired
on restart and nothing is done twice (each platform records what it has done)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.domain.bridge import BridgeMessage

# "platform": a room only one platform knows (key = its own room id), e.g. the room a command
# came from that is neither a war room nor a standing room; used with `Post.platform`.
RoomKind = Literal["activation", "forum", "person", "platform"]


@dataclass(frozen=True)
class RoomRef:
    """A room in neutral terms: an activation's war room, a forum's standing room, or a DM."""

    kind: RoomKind
    key: str


@dataclass(frozen=True)
class OpenWarRoom:
    activation_id: str
    name: str  # "2026-004 Snöstorm Gorm"
    topic: str
    invite: list[str]  # person keys, in the order they should be invited
    moderators: list[str]
    link_to: str | None = None  # activation id of a linked (parent) war room
    # Who asked (person key), and where to report invitations that fail for good besides the
    # war room (the activator's standing room or DM).
    by: str | None = None
    notify: list[RoomRef] = field(default_factory=list)
    type: Literal["open_room"] = "open_room"


@dataclass(frozen=True)
class InvitePeople:
    """Invite `people` (in this order) into the activation's war room. Each invitation is
    durable work: done once, paced by the server, reported when refused for good."""

    activation_id: str
    people: list[str]
    by: str | None = None
    notify: list[RoomRef] = field(default_factory=list)
    platform: str | None = None  # only this platform performs it (None: every platform)
    type: Literal["invite"] = "invite"


@dataclass(frozen=True)
class Post:
    room: RoomRef
    text: str  # light Markdown; mentions written as <@person-key>
    mentions: list[str] = field(default_factory=list)
    by: str | None = None  # the person whose command caused it: told if it cannot be delivered
    reply_to: str | None = None  # the platform's id of the command message this answers
    platform: str | None = None  # only this platform performs it (None: every platform)
    # "<platform>:<room>" where the answer to the command that caused it says the same: a
    # platform whose answers everyone in the room sees (Matrix) does not post it there again.
    answered_in: str | None = None
    type: Literal["post"] = "post"


@dataclass(frozen=True)
class SetModerators:
    activation_id: str
    moderators: list[str]
    type: Literal["moderators"] = "moderators"


@dataclass(frozen=True)
class SetTopic:
    activation_id: str
    topic: str
    type: Literal["topic"] = "topic"


@dataclass(frozen=True)
class CloseWarRoom:
    activation_id: str
    protocol: str
    type: Literal["close_room"] = "close_room"


Effect = (OpenWarRoom | InvitePeople | Post | SetModerators | SetTopic | CloseWarRoom
          | BridgeMessage)

_BY_TYPE: dict[str, type[Any]] = {
    "open_room": OpenWarRoom,
    "invite": InvitePeople,
    "post": Post,
    "moderators": SetModerators,
    "topic": SetTopic,
    "close_room": CloseWarRoom,
    "bridge": BridgeMessage,  # relayed into the war room on the other platforms
}


def only_for(effect: Effect) -> str | None:
    """The one platform that performs `effect`, or None when every platform does."""
    return getattr(effect, "platform", None)


def lanes(effect: Effect) -> tuple[set[str], set[str]]:
    """(keys, waits): the ordering lanes an effect occupies, and the lanes in which every
    earlier unfinished item must be done before it may run. Posts, room changes and the
    opening of a war room share the room's lane (order per room); invitations have their
    own lane per war room, after its opening, so that answers in the room never queue
    behind a throttled stream of invitations."""
    match effect:
        case Post():
            key = f"room:{effect.room.kind}:{effect.room.key}"
            return {key}, {key}
        case OpenWarRoom():
            key = f"room:activation:{effect.activation_id}"
            return {key, f"open:{effect.activation_id}"}, {key}
        case InvitePeople():
            key = f"invite:{effect.activation_id}"
            return {key}, {key, f"open:{effect.activation_id}"}
        case _:
            key = f"room:activation:{effect.activation_id}"
            return {key}, {key}


def effect_to_json(effect: Effect) -> dict[str, Any]:
    return asdict(effect)


def effect_from_json(data: dict[str, Any]) -> Effect:
    data = dict(data)
    cls = _BY_TYPE[data.pop("type")]
    if cls is Post:
        data["room"] = RoomRef(**data["room"])
    if "notify" in data:
        data["notify"] = [RoomRef(**r) for r in data["notify"]]
    effect: Effect = cls(**data)
    return effect


# -- which outbox item a platform call performs -------------------------------------------


@dataclass
class Delivery:
    """The outbox item being performed, for the platforms' idempotency keys.

    `key` is stable for the item across retries and restarts (the database's nonce and the
    item's id: "<nonce>.<id>"); `repeat` is True when an earlier attempt may have reached the
    platform (a failed attempt, or an item found pending after a start), so a platform that
    has no idempotent API checks before sending again. `message_key` names each message of
    the effect by its content, so a retry that sends the same text gets the same key and a
    different text never does.
    """

    key: str
    repeat: bool = False
    _seen: Counter[str] = field(default_factory=Counter, repr=False)

    def message_key(self, text: str) -> str:
        """"<key>.<digest>[.<n>]": the digest of `text`, with n for its n-th repetition
        within this effect (n from 2). Only [A-Za-z0-9._-]: usable as a Matrix txn id."""
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        self._seen[digest] += 1
        n = self._seen[digest]
        return f"{self.key}.{digest}" + (f".{n}" if n > 1 else "")


_DELIVERY: ContextVar[Delivery | None] = ContextVar("samverkan_delivery", default=None)


def current_delivery() -> Delivery | None:
    """The outbox item the current platform call performs; None outside the outbox relay
    (answers to commands, notices the adapters write themselves)."""
    return _DELIVERY.get()


@contextmanager
def delivering(delivery: Delivery) -> Iterator[Delivery]:
    """Makes `delivery` current for the calls made inside the block (same task)."""
    token = _DELIVERY.set(delivery)
    try:
        yield delivery
    finally:
        _DELIVERY.reset(token)
