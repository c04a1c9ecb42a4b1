"""Tables of rooms and the outbox: effects awaiting the platforms, and room bindings.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class OutboxRow(SQLModel, table=True):
    """An effect to perform after commit; `done` lists the platforms that have performed it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_finished_id", "finished", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    effect: dict[str, Any] = Field(sa_type=JSON)
    done: list[str] = Field(default_factory=list, sa_type=JSON)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    finished: bool = False


class RoomBindingRow(SQLModel, table=True):
    __tablename__ = "room_bindings"
    __table_args__ = (
        UniqueConstraint("kind", "key", "platform", name="uq_room_bindings_kind_key_platform"),
        UniqueConstraint("platform", "room_id", name="uq_room_bindings_platform_room_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    key: str
    platform: str
    room_id: str
