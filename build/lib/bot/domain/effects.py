"""Side effects a handler asks for. They are stored in the outbox in the same transaction as
the record and performed by the platforms after commit, so a crash in between is repaired
on restart and nothing is done twice (each platform records what it has done)."""

from __future__ import annotations

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
