"""Tables of the bridge (migration `0007_bridge` creates them; the two must match):
incoming events taken, by their unique key, and the message each became on the other side."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class BridgeEventRow(SQLModel, table=True):
    """One incoming message event (post, edit, deletion) taken for relaying; the primary key
    makes a re-delivered event (Matrix sync replay, Slack retry) a no-op."""

    __tablename__ = "bridge_events"

    platform: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    activation_id: str


class BridgedMessageRow(SQLModel, table=True):
    """(source platform, source message) → (target platform, room, message)."""

    __tablename__ = "bridged_messages"
    __table_args__ = (
        UniqueConstraint("source_platform", "source_id", "target_platform",
                         name="uq_bridged_messages_source_target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    activation_id: str
    source_platform: str
    source_id: str
    target_platform: str
    target_room: str
    target_id: str
