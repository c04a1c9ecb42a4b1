"""What is said in an event: reports, decisions, commitments, public messages, the timeline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from bot.domain.record import (
    Approval,
    Commitment,
    Decision,
    EntryKind,
    PublicMessage,
    SituationReport,
    TimelineEntry,
)
from storage.repositories.base import SessionRepository, missing, to_record, to_row
from storage.tables import CommitmentRow, DecisionRow, MessageRow, ReportRow, TimelineRow


class SqlReportRepository(SessionRepository):
    async def add(self, report: SituationReport) -> SituationReport:
        row = to_row(report, ReportRow, fields=dict(report.fields))
        self.session.add(row)
        await self.session.flush()
        return _report(row)

    async def of_event(self, event_id: int) -> list[SituationReport]:
        query = select(ReportRow).where(col(ReportRow.event_id) == event_id)
        rows = await self.session.exec(query.order_by(col(ReportRow.id)))
        return [_report(row) for row in rows]

    async def latest_per_actor(self, event_id: int) -> list[SituationReport]:
        """The newest report of each actor, oldest first."""
        newest = (
            select(func.max(col(ReportRow.id)))
            .where(col(ReportRow.event_id) == event_id)
            .group_by(col(ReportRow.actor))
        )
        query = select(ReportRow).where(col(ReportRow.id).in_(newest)).order_by(col(ReportRow.id))
        return [_report(row) for row in await self.session.exec(query)]

    async def count(self, event_id: int) -> int:
        query = select(func.count()).select_from(ReportRow)
        return (await self.session.exec(query.where(col(ReportRow.event_id) == event_id))).one()


class SqlDecisionRepository(SessionRepository):
    async def add(self, decision: Decision) -> Decision:
        row = to_row(decision, DecisionRow)
        self.session.add(row)
        await self.session.flush()
        return to_record(row, Decision)

    async def of_event(self, event_id: int) -> list[Decision]:
        query = select(DecisionRow).where(col(DecisionRow.event_id) == event_id)
        rows = await self.session.exec(query.order_by(col(DecisionRow.id)))
        return [to_record(row, Decision) for row in rows]


class SqlCommitmentRepository(SessionRepository):
    async def add(self, commitment: Commitment) -> Commitment:
        row = to_row(commitment, CommitmentRow)
        self.session.add(row)
        await self.session.flush()
        return to_record(row, Commitment)

    async def of_event(self, event_id: int) -> list[Commitment]:
        query = select(CommitmentRow).where(col(CommitmentRow.event_id) == event_id)
        rows = await self.session.exec(query.order_by(col(CommitmentRow.id)))
        return [to_record(row, Commitment) for row in rows]


class SqlMessageRepository(SessionRepository):
    async def add(self, message: PublicMessage) -> PublicMessage:
        row = to_row(message, MessageRow, approvals=_approvals_json(message.approvals))
        self.session.add(row)
        await self.session.flush()
        return _message(row)

    async def update(self, message: PublicMessage) -> None:
        row = await self.session.get(MessageRow, message.id)
        if row is None:
            raise missing("message", message.id)
        row.approvals = _approvals_json(message.approvals)
        row.approved_at = message.approved_at
        await self.session.flush()

    async def of_event(self, event_id: int) -> list[PublicMessage]:
        query = select(MessageRow).where(col(MessageRow.event_id) == event_id)
        rows = await self.session.exec(query.order_by(col(MessageRow.id)))
        return [_message(row) for row in rows]


class SqlTimelineRepository(SessionRepository):
    """Append-only: no update, no delete (and the database refuses both)."""

    async def append(self, entry: TimelineEntry) -> TimelineEntry:
        row = to_row(entry, TimelineRow, data=dict(entry.data))
        self.session.add(row)
        await self.session.flush()
        return _entry(row)

    async def of_event(self, event_id: int) -> list[TimelineEntry]:
        query = select(TimelineRow).where(col(TimelineRow.event_id) == event_id)
        rows = await self.session.exec(query.order_by(col(TimelineRow.id)))
        return [_entry(row) for row in rows]

    async def of_kind(self, event_id: int, kind: EntryKind) -> list[TimelineEntry]:
        query = select(TimelineRow).where(col(TimelineRow.event_id) == event_id,
                                          col(TimelineRow.kind) == kind.value)
        rows = await self.session.exec(query.order_by(col(TimelineRow.id)))
        return [_entry(row) for row in rows]

    async def last(self, event_id: int, n: int) -> list[TimelineEntry]:
        """The newest `n` entries, oldest first."""
        if n <= 0:
            return []
        query = (
            select(TimelineRow)
            .where(col(TimelineRow.event_id) == event_id)
            .order_by(col(TimelineRow.id).desc())
            .limit(n)
        )
        rows = list(await self.session.exec(query))
        return [_entry(row) for row in reversed(rows)]


def _report(row: ReportRow) -> SituationReport:
    return to_record(row, SituationReport, fields=dict(row.fields))


def _entry(row: TimelineRow) -> TimelineEntry:
    return to_record(row, TimelineEntry, kind=EntryKind(row.kind), data=dict(row.data))


def _message(row: MessageRow) -> PublicMessage:
    approvals = [
        Approval(actor=a["actor"], person=a["person"], at=datetime.fromisoformat(a["at"]))
        for a in row.approvals
    ]
    return to_record(row, PublicMessage, approvals=approvals)


def _approvals_json(approvals: list[Approval]) -> list[dict[str, Any]]:
    return [_approval_json(a) for a in approvals]


def _approval_json(approval: Approval) -> dict[str, Any]:
    if approval.at.utcoffset() is None:
        raise ValueError(f"naive datetime cannot be stored: {approval.at!r}")
    at = approval.at.astimezone(UTC).isoformat()
    return {"actor": approval.actor, "person": approval.person, "at": at}
