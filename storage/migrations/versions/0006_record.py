"""The record's guards: one active activation per forum and folded title, and participants
covered by an acknowledgement already in the activation.

`activations.title_key` is the folded title of an activation that must stay unique among its
forum's active ones (a partial unique index, on SQLite and PostgreSQL); rows from before this
revision keep NULL and are checked by the handler alone. `participants.covered_by` is the
function whose acknowledgement answers for a row the escalation no longer chases.

Revision ID: 0006_record
Revises: 0005_watchers
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_record"
down_revision: str | Sequence[str] | None = "0005_watchers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE_TITLE = sa.text("status = 'aktiv' AND title_key IS NOT NULL")


def upgrade() -> None:
    op.add_column("activations", sa.Column("title_key", sa.String(), nullable=True))
    op.create_index("ux_activations_active_title", "activations", ["forum", "title_key"],
                    unique=True, sqlite_where=_ACTIVE_TITLE, postgresql_where=_ACTIVE_TITLE)
    op.add_column("participants", sa.Column("covered_by", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("covered_by")
    op.drop_index("ux_activations_active_title", table_name="activations")
    with op.batch_alter_table("activations") as batch:
        batch.drop_column("title_key")
