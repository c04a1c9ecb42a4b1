"""The bridge: incoming war-room messages taken for relaying (each event once, by its key)
and the message each became on the other platform, so edits and deletions find it.

Revision ID: 0007_bridge
Revises: 0006_record
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_bridge"
down_revision: str | Sequence[str] | None = "0006_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bridge_events",
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("activation_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "key"),
    )
    op.create_table(
        "bridged_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activation_id", sa.String(), nullable=False),
        sa.Column("source_platform", sa.String(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("target_platform", sa.String(), nullable=False),
        sa.Column("target_room", sa.String(), nullable=False),
        sa.Column("target_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_platform", "source_id", "target_platform",
                            name="uq_bridged_messages_source_target"),
    )


def downgrade() -> None:
    op.drop_table("bridged_messages")
    op.drop_table("bridge_events")
