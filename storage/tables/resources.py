"""Tables of the resources concern: needs and offers (`resources`) and the forum's
priorities (`resource_priorities`). Migration `0004_resources` creates them; the two must
match (tests/storage/test_resources_storage.py compares them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime


class ResourceRow(SQLModel, table=True):
    """A need or an offer; `number` is unique within the event (one series for both kinds)."""

    __tablename__ = "resources"
    __table_args__ = (
        UniqueConstraint("event_id", "number", name="uq_resources_event_id_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id")
    activation_id: str = Field(foreign_key="activations.id")
    number: int
    kind: str
    actor: str
    person: str
    function: str
    what: str = Field(sa_type=Text)
    count: int | None = None
    spec: str | None = Field(default=None, sa_type=Text)
    place: str | None = Field(default=None, sa_type=Text)
    purpose: str | None = Field(default=None, sa_type=Text)
    due: datetime | None = Field(default=None, sa_type=UtcDateTime)
    state: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    changed_at: datetime = Field(sa_type=UtcDateTime)
    changed_by: str
    partner: int | None = None


class ResourcePriorityRow(SQLModel, table=True):
    """A priority of the forum: decision `decision` of the event; `needs` a JSON list of the
    need numbers it concerns."""

    __tablename__ = "resource_priorities"
    __table_args__ = (Index("ix_resource_priorities_event_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id")
    activation_id: str = Field(foreign_key="activations.id")
    decision: int
    what: str = Field(sa_type=Text)
    to: str = Field(sa_type=Text)
    rank: int | None = None
    person: str
    function: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    needs: list[int] = Field(default_factory=list, sa_type=JSON)
