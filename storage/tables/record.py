"""Tables of the activation record: events, activations, participants, reports, decisions,
commitments, common messages and the append-only timeline (migration `0001_core`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, text
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime

ACTIVE_TITLE = text("status = 'aktiv' AND title_key IS NOT NULL")


class EventRow(SQLModel, table=True):
    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    scenario: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    exercise: bool = False


class ActivationRow(SQLModel, table=True):
    __tablename__ = "activations"
    __table_args__ = (
        Index("ix_activations_status", "status"),
        Index("ix_activations_event_id", "event_id"),
        # One active activation per forum and folded title (bot.handlers.activation).
        Index("ux_activations_active_title", "forum", "title_key", unique=True,
              sqlite_where=ACTIVE_TITLE, postgresql_where=ACTIVE_TITLE),
    )

    id: str = Field(primary_key=True)
    event_id: int = Field(foreign_key="events.id")
    forum: str
    level: str
    title: str
    scenario: str | None = None
    status: str
    chair: str
    initiated_by: str
    initiated_as: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    parent_id: str | None = Field(default=None, foreign_key="activations.id")
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    summary: str | None = Field(default=None, sa_type=Text)
    protocol: str | None = Field(default=None, sa_type=Text)
    exercise: bool = False
    title_key: str | None = None


class ParticipantRow(SQLModel, table=True):
    __tablename__ = "participants"
    __table_args__ = (
        Index("ix_participants_activation_id", "activation_id"),
        Index("ix_participants_person", "person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    activation_id: str = Field(foreign_key="activations.id")
    function: str
    actor: str
    person: str
    stage: str
    called_at: datetime = Field(sa_type=UtcDateTime)
    deadline: datetime | None = Field(default=None, sa_type=UtcDateTime)
    called_by: str
    acked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    acked_by: str | None = None
    holder: str | None = None
    covered_by: str | None = None


class ReportRow(SQLModel, table=True):
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_event_id_actor_id", "event_id", "actor", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id")
    activation_id: str = Field(foreign_key="activations.id")
    actor: str
    person: str
    function: str
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)
    fields: dict[str, str] = Field(default_factory=dict, sa_type=JSON)


class DecisionRow(SQLModel, table=True):
    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_event_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id")
    activation_id: str = Field(foreign_key="activations.id")
    forum: str
    number: int
    text: str = Field(sa_type=Text)
    person: str
    function: str
    created_at: datetime = Field(sa_type=UtcDateTime)


class CommitmentRow(SQLModel, table=True):
    __tablename__ = "commitments"
    __table_args__ = (Index("ix_commitments_event_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id")
    activation_id: str = Field(foreign_key="activations.id")
    actor: str
    text: str = Field(sa_type=Text)
    person: str
    function: str
    created_at: datetime = Field(sa_type=UtcDateTime)


class MessageRow(SQLModel, table=True):
    """A public message; `approvals` is a JSON list of {actor, person, at (ISO 8601 UTC)}."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_event_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id")
    activation_id: str = Field(foreign_key="activations.id")
    number: int
    text: str = Field(sa_type=Text)
    actor: str
    person: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    approvals: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    approved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class TimelineRow(SQLModel, table=True):
    """Append-only; database triggers refuse UPDATE and DELETE."""

    __tablename__ = "timeline"
    __table_args__ = (Index("ix_timeline_event_id_id", "event_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id")
    activation_id: str | None = Field(default=None, foreign_key="activations.id")
    at: datetime = Field(sa_type=UtcDateTime)
    kind: str
    person: str | None = None
    function: str | None = None
    actor: str | None = None
    text: str = Field(sa_type=Text)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
