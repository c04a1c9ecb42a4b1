"""Tables of the schedule: conference series, meetings, agenda items, roll calls and
attendance (migration `0002_schedule`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime


class ConferenceSeriesRow(SQLModel, table=True):
    __tablename__ = "conference_series"
    __table_args__ = (
        Index("ix_conference_series_activation_id", "activation_id"),
        Index("ix_conference_series_next_at", "next_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    activation_id: str = Field(foreign_key="activations.id")
    first_at: datetime = Field(sa_type=UtcDateTime)
    every_seconds: int | None = None
    created_by: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    next_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    planned_from: datetime = Field(sa_type=UtcDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    jobs_planned: bool = False


class MeetingRow(SQLModel, table=True):
    """`rule` is the JSON of `Recurrence`; `standing_forum` is set (unique) for the roster's
    standing meeting of a forum, so that it is created once and never again once stopped."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_next_at", "next_at"),
        UniqueConstraint("standing_forum", name="uq_meetings_standing_forum"),
    )

    id: int | None = Field(default=None, primary_key=True)
    forum: str
    rule: dict[str, Any] = Field(sa_type=JSON)
    anchor: datetime = Field(sa_type=UtcDateTime)
    created_by: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    next_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    planned_from: datetime = Field(sa_type=UtcDateTime)
    standing_forum: str | None = None
    stopped_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    jobs_planned: bool = False
    # `möte flytta`: [{"original", "moved_to", "by", "at"}] with ISO 8601 UTC times
    moves: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)


class AgendaItemRow(SQLModel, table=True):
    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_forum_handled_at", "forum", "handled_at"),)

    id: int | None = Field(default=None, primary_key=True)
    forum: str
    text: str = Field(sa_type=Text)
    person: str | None = None
    actor: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    meeting_id: int | None = Field(default=None, foreign_key="meetings.id")
    occurrence: datetime | None = Field(default=None, sa_type=UtcDateTime)
    handled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class RollCallRow(SQLModel, table=True):
    __tablename__ = "roll_calls"
    __table_args__ = (
        UniqueConstraint(
            "conference_id", "occurrence", name="uq_roll_calls_conference_id_occurrence"
        ),
        Index("ix_roll_calls_activation_id", "activation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference_series.id")
    activation_id: str = Field(foreign_key="activations.id")
    occurrence: datetime = Field(sa_type=UtcDateTime)
    opened_at: datetime = Field(sa_type=UtcDateTime)


class AttendanceRow(SQLModel, table=True):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("roll_call_id", "person", name="uq_attendance_roll_call_id_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    roll_call_id: int = Field(foreign_key="roll_calls.id")
    activation_id: str = Field(foreign_key="activations.id")
    person: str
    function: str | None = None
    actor: str | None = None
    at: datetime = Field(sa_type=UtcDateTime)
