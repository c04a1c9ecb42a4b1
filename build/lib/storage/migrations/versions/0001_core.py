"""Core record: events, activations, participants, reports, decisions, commitments,
messages, the append-only timeline, the outbox, room bindings and key/value state.

Revision ID: 0001_core
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001_core"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "timeline is append-only"


def _at(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _str(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _text(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.Integer(), primary_key=True, nullable=False)


def _event_fk() -> sa.Column[Any]:
    return sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id"), nullable=False)


def _activation_fk(nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(
        "activation_id", sa.String(), sa.ForeignKey("activations.id"), nullable=nullable
    )


def _create_record_tables() -> None:
    op.create_table(
        "events",
        _id(),
        _str("title"),
        _str("scenario", nullable=True),
        _at("created_at"),
        sa.Column("exercise", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "activations",
        sa.Column("id", sa.String(), primary_key=True, nullable=False),
        _event_fk(),
        _str("forum"),
        _str("level"),
        _str("title"),
        _str("scenario", nullable=True),
        _str("status"),
        _str("chair"),
        _str("initiated_by"),
        _str("initiated_as"),
        _at("created_at"),
        sa.Column("parent_id", sa.String(), sa.ForeignKey("activations.id"), nullable=True),
        _at("closed_at", nullable=True),
        _text("summary", nullable=True),
        _text("protocol", nullable=True),
        sa.Column("exercise", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_activations_status", "activations", ["status"])
    op.create_index("ix_activations_event_id", "activations", ["event_id"])
    op.create_table(
        "participants",
        _id(),
        _activation_fk(),
        _str("function"),
        _str("actor"),
        _str("person"),
        _str("stage"),
        _at("called_at"),
        _at("deadline", nullable=True),
        _str("called_by"),
        _at("acked_at", nullable=True),
        _str("acked_by", nullable=True),
        _str("holder", nullable=True),
    )
    op.create_index("ix_participants_activation_id", "participants", ["activation_id"])
    op.create_index("ix_participants_person", "participants", ["person"])


def _create_statement_tables() -> None:
    op.create_table(
        "reports",
        _id(),
        _event_fk(),
        _activation_fk(),
        _str("actor"),
        _str("person"),
        _str("function"),
        _text("text"),
        _at("created_at"),
        sa.Column("fields", sa.JSON(), nullable=False),
    )
    op.create_index("ix_reports_event_id_actor_id", "reports", ["event_id", "actor", "id"])
    op.create_table(
        "decisions",
        _id(),
        _event_fk(),
        _activation_fk(),
        _str("forum"),
        sa.Column("number", sa.Integer(), nullable=False),
        _text("text"),
        _str("person"),
        _str("function"),
        _at("created_at"),
    )
    op.create_index("ix_decisions_event_id", "decisions", ["event_id"])
    op.create_table(
        "commitments",
        _id(),
        _event_fk(),
        _activation_fk(),
        _str("actor"),
        _text("text"),
        _str("person"),
        _str("function"),
        _at("created_at"),
    )
    op.create_index("ix_commitments_event_id", "commitments", ["event_id"])
    op.create_table(
        "messages",
        _id(),
        _event_fk(),
        _activation_fk(),
        sa.Column("number", sa.Integer(), nullable=False),
        _text("text"),
        _str("actor"),
        _str("person"),
        _at("created_at"),
        sa.Column("approvals", sa.JSON(), nullable=False),
        _at("approved_at", nullable=True),
    )
    op.create_index("ix_messages_event_id", "messages", ["event_id"])


def _create_timeline() -> None:
    op.create_table(
        "timeline",
        _id(),
        _event_fk(),
        _activation_fk(nullable=True),
        _at("at"),
        _str("kind"),
        _str("person", nullable=True),
        _str("function", nullable=True),
        _str("actor", nullable=True),
        _text("text"),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_timeline_event_id_id", "timeline", ["event_id", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION timeline_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END; $$"
        )
        op.execute(
            "CREATE TRIGGER timeline_append_only BEFORE UPDATE OR DELETE ON timeline "
            "FOR EACH ROW EXECUTE FUNCTION timeline_append_only()"
        )
        op.execute(
            "CREATE TRIGGER timeline_no_truncate BEFORE TRUNCATE ON timeline "
            "FOR EACH STATEMENT EXECUTE FUNCTION timeline_append_only()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER timeline_no_{action.lower()} BEFORE {action} ON timeline "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )


def _create_infrastructure_tables() -> None:
    op.create_table(
        "outbox",
        _id(),
        _str("kind"),
        sa.Column("effect", sa.JSON(), nullable=False),
        sa.Column("done", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _text("last_error", nullable=True),
        sa.Column("finished", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_outbox_finished_id", "outbox", ["finished", "id"])
    op.create_table(
        "room_bindings",
        _id(),
        _str("kind"),
        _str("key"),
        _str("platform"),
        _str("room_id"),
        sa.UniqueConstraint("kind", "key", "platform", name="uq_room_bindings_kind_key_platform"),
        sa.UniqueConstraint("platform", "room_id", name="uq_room_bindings_platform_room_id"),
    )
    op.create_table(
        "kv",
        sa.Column("key", sa.String(), primary_key=True, nullable=False),
        _text("value"),
    )


def upgrade() -> None:
    _create_record_tables()
    _create_statement_tables()
    _create_timeline()
    _create_infrastructure_tables()


def downgrade() -> None:
    for table in ("kv", "room_bindings", "outbox", "timeline"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION timeline_append_only()")
    for table in ("messages", "commitments", "decisions", "reports", "participants"):
        op.drop_table(table)
    op.drop_table("activations")
    op.drop_table("events")
