"""Moved occurrences of ordinary meetings (`möte flytta`): a JSON list on the meeting.

Revision ID: 0003_meeting_moves
Revises: 0002_schedule
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_meeting_moves"
down_revision: str | Sequence[str] | None = "0002_schedule"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("moves", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("moves")
