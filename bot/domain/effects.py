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

RoomKind = Literal["activation", "forum", "person"]


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
    invite: list[str]  # person keys
    moderators: list[str]
    link_to: str | None = None  # activation id of a linked (parent) war room
    type: Literal["open_room"] = "open_room"


@dataclass(frozen=True)
class InvitePeople:
    activation_id: str
    people: list[str]
    type: Literal["invite"] = "invite"


@dataclass(frozen=True)
class Post:
    room: RoomRef
    text: str  # light Markdown; mentions written as <@person-key>
    mentions: list[str] = field(default_factory=list)
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


Effect = OpenWarRoom | InvitePeople | Post | SetModerators | SetTopic | CloseWarRoom

_BY_TYPE: dict[str, type[Any]] = {
    "open_room": OpenWarRoom,
    "invite": InvitePeople,
    "post": Post,
    "moderators": SetModerators,
    "topic": SetTopic,
    "close_room": CloseWarRoom,
}


def effect_to_json(effect: Effect) -> dict[str, Any]:
    return asdict(effect)


def effect_from_json(data: dict[str, Any]) -> Effect:
    data = dict(data)
    cls = _BY_TYPE[data.pop("type")]
    if cls is Post:
        data["room"] = RoomRef(**data["room"])
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
