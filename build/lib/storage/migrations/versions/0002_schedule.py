"""Time side: conference series, ordinary meetings, agenda items, roll calls, attendance and
deliveries (the exactly-once guard of reminders and notices).

Revision ID: 0002_schedule
Revises: 0001_core
Create Date: 2026-11-21
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002_schedule"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _str(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.Integer(), primary_key=True, nullable=False)


def _flag(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.Boolean(), nullable=False)


def _activation_fk() -> sa.Column[Any]:
    return sa.Column("activation_id", sa.String(), sa.ForeignKey("activations.id"), nullable=False)


def _create_series() -> None:
    op.create_table(
        "conference_series",
        _id(),
        _activation_fk(),
        _at("first_at"),
        sa.Column("every_seconds", sa.Integer(), nullable=True),
        _str("created_by", nullable=True),
        _at("created_at"),
        _at("next_at", nullable=True),
        _at("planned_from"),
        _at("cancelled_at", nullable=True),
        _flag("jobs_planned"),
    )
    op.create_index("ix_conference_series_activation_id", "conference_series", ["activation_id"])
    op.create_index("ix_conference_series_next_at", "conference_series", ["next_at"])
    op.create_table(
        "meetings",
        _id(),
        _str("forum"),
        sa.Column("rule", sa.JSON(), nullable=False),
        _at("anchor"),
        _str("created_by", nullable=True),
        _at("created_at"),
        _at("next_at", nullable=True),
        _at("planned_from"),
        _str("standing_forum", nullable=True),
        _at("stopped_at", nullable=True),
        _flag("jobs_planned"),
        sa.UniqueConstraint("standing_forum", name="uq_meetings_standing_forum"),
    )
    op.create_index("ix_meetings_next_at", "meetings", ["next_at"])


def _create_records() -> None:
    op.create_table(
        "agenda_items",
        _id(),
        _str("forum"),
        sa.Column("text", sa.Text(), nullable=False),
        _str("person", nullable=True),
        _str("actor", nullable=True),
        _at("created_at"),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id"), nullable=True),
        _at("occurrence", nullable=True),
        _at("handled_at", nullable=True),
    )
    op.create_index("ix_agenda_items_forum_handled_at", "agenda_items", ["forum", "handled_at"])
    op.create_table(
        "roll_calls",
        _id(),
        sa.Column(
            "conference_id", sa.Integer(), sa.ForeignKey("conference_series.id"), nullable=False
        ),
        _activation_fk(),
        _at("occurrence"),
        _at("opened_at"),
        sa.UniqueConstraint(
            "conference_id", "occurrence", name="uq_roll_calls_conference_id_occurrence"
        ),
    )
    op.create_index("ix_roll_calls_activation_id", "roll_calls", ["activation_id"])
    op.create_table(
        "attendance",
        _id(),
        sa.Column("roll_call_id", sa.Integer(), sa.ForeignKey("roll_calls.id"), nullable=False),
        _activation_fk(),
        _str("person"),
        _str("function", nullable=True),
        _str("actor", nullable=True),
        _at("at"),
        sa.UniqueConstraint("roll_call_id", "person", name="uq_attendance_roll_call_id_person"),
    )
    op.create_table(
        "deliveries",
        sa.Column("key", sa.String(), primary_key=True, nullable=False),
        _at("due_at"),
        _at("at"),
        _str("status"),
    )


def upgrade() -> None:
    _create_series()
    _create_records()


def downgrade() -> None:
    for table in ("deliveries", "attendance", "roll_calls", "agenda_items", "meetings",
                  "conference_series"):
        op.drop_table(table)
