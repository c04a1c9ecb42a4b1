"""Resources: needs and offers of the actors, and the forums' priorities (issue 15).

Revision ID: 0004_resources
Revises: 0003_meeting_moves
Create Date: 2026-11-30
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004_resources"
down_revision: str | Sequence[str] | None = "0003_meeting_moves"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _str(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _text(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _int(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _record_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id"), nullable=False),
        sa.Column("activation_id", sa.String(), sa.ForeignKey("activations.id"),
                  nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "resources",
        *_record_columns(),
        _int("number"),
        _str("kind"),
        _str("actor"),
        _str("person"),
        _str("function"),
        _text("what"),
        _int("count", nullable=True),
        _text("spec", nullable=True),
        _text("place", nullable=True),
        _text("purpose", nullable=True),
        _at("due", nullable=True),
        _str("state"),
        _at("created_at"),
        _at("changed_at"),
        _str("changed_by"),
        _int("partner", nullable=True),
        sa.UniqueConstraint("event_id", "number", name="uq_resources_event_id_number"),
    )
    op.create_table(
        "resource_priorities",
        *_record_columns(),
        _int("decision"),
        _text("what"),
        _text("to"),
        _int("rank", nullable=True),
        _str("person"),
        _str("function"),
        _at("created_at"),
        sa.Column("needs", sa.JSON(), nullable=False),
    )
    op.create_index("ix_resource_priorities_event_id", "resource_priorities", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_resource_priorities_event_id", table_name="resource_priorities")
    op.drop_table("resource_priorities")
    op.drop_table("resources")
