"""Repositories of conference series and ordinary meetings (the roster's standing ones too)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, update
from sqlmodel import SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.domain.record import ActivationStatus
from bot.domain.recurrence import Recurrence
from bot.domain.schedule import ConferenceSeries, Meeting, MovedOccurrence
from storage.repositories.base import SessionRepository, insert_once, missing
from storage.tables import (
    ActivationRow,
    ConferenceSeriesRow,
    MeetingRow,
)

_ACTIVE = ActivationStatus.ACTIVE.value


def _series(row: ConferenceSeriesRow) -> ConferenceSeries:
    every = timedelta(seconds=row.every_seconds) if row.every_seconds else None
    return ConferenceSeries(
        id=row.id, activation_id=row.activation_id, first_at=row.first_at, every=every,
        created_by=row.created_by, created_at=row.created_at, next_at=row.next_at,
        planned_from=row.planned_from, cancelled_at=row.cancelled_at,
        jobs_planned=row.jobs_planned,
    )


def _series_values(series: ConferenceSeries) -> dict[str, Any]:
    every = int(series.every.total_seconds()) if series.every else None
    return {
        "activation_id": series.activation_id, "first_at": series.first_at,
        "every_seconds": every, "created_by": series.created_by,
        "created_at": series.created_at, "next_at": series.next_at,
        "planned_from": series.planned_from, "cancelled_at": series.cancelled_at,
        "jobs_planned": series.jobs_planned,
    }


class SqlConferenceRepository(SessionRepository):
    async def add(self, series: ConferenceSeries) -> ConferenceSeries:
        row = ConferenceSeriesRow(**_series_values(series))
        self.session.add(row)
        await self.session.flush()
        return _series(row)

    async def get(self, series_id: int, *, lock: bool = False) -> ConferenceSeries | None:
        row = await self.session.get(
            ConferenceSeriesRow, series_id, with_for_update=lock, populate_existing=lock
        )
        return _series(row) if row else None

    async def get_many(self, ids: Sequence[int], *, lock: bool = False) -> list[ConferenceSeries]:
        query = select(ConferenceSeriesRow).where(col(ConferenceSeriesRow.id).in_(list(ids)))
        return [_series(row) for row in await self.session.exec(_locked(query, lock))]

    async def update(self, series: ConferenceSeries) -> None:
        row = await self.session.get(ConferenceSeriesRow, series.id)
        if row is None:
            raise missing("conference series", series.id)
        for name, value in _series_values(series).items():
            setattr(row, name, value)
        await self.session.flush()

    async def of_activation(self, activation_id: str) -> list[ConferenceSeries]:
        return await self._running(col(ConferenceSeriesRow.activation_id) == activation_id)

    async def running(self) -> list[ConferenceSeries]:
        return await self._running(None)

    async def due(self, before: datetime) -> list[ConferenceSeries]:
        return await self._running(col(ConferenceSeriesRow.next_at) <= before)

    async def unplanned(self) -> list[ConferenceSeries]:
        return await self._running(col(ConferenceSeriesRow.jobs_planned).is_(False))

    async def mark_planned(self, ids: Sequence[int]) -> None:
        await _mark_planned(self, ConferenceSeriesRow, ids)

    async def of_closed_activations(self) -> list[ConferenceSeries]:
        query = (
            select(ConferenceSeriesRow)
            .join(ActivationRow, col(ActivationRow.id) == col(ConferenceSeriesRow.activation_id))
            .where(col(ActivationRow.status) != _ACTIVE)
            .where(*_running_conditions())
        )
        return [_series(row) for row in await self.session.exec(query)]

    async def all(self) -> list[ConferenceSeries]:
        query = select(ConferenceSeriesRow).order_by(col(ConferenceSeriesRow.id))
        return [_series(row) for row in await self.session.exec(query)]

    async def _running(self, condition: ColumnElement[bool] | None) -> list[ConferenceSeries]:
        query = select(ConferenceSeriesRow).where(*_running_conditions())
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(col(ConferenceSeriesRow.next_at), col(ConferenceSeriesRow.id))
        return [_series(row) for row in await self.session.exec(query)]


def _running_conditions() -> tuple[ColumnElement[bool], ...]:
    return (
        col(ConferenceSeriesRow.next_at).is_not(None),
        col(ConferenceSeriesRow.cancelled_at).is_(None),
    )


def _meeting(row: MeetingRow) -> Meeting:
    return Meeting(
        id=row.id, forum=row.forum, rule=Recurrence(**row.rule), anchor=row.anchor,
        created_by=row.created_by, created_at=row.created_at, next_at=row.next_at,
        planned_from=row.planned_from, standing=row.standing_forum is not None,
        stopped_at=row.stopped_at, jobs_planned=row.jobs_planned,
        moves=[_move(m) for m in row.moves or []],
    )


def _move(stored: dict[str, Any]) -> MovedOccurrence:
    return MovedOccurrence(
        original=_utc(stored["original"]), moved_to=_utc(stored["moved_to"]),
        by=stored.get("by"), at=_utc(stored["at"]))


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _stored_move(move: MovedOccurrence) -> dict[str, Any]:
    return {"original": move.original.astimezone(UTC).isoformat(),
            "moved_to": move.moved_to.astimezone(UTC).isoformat(), "by": move.by,
            "at": move.at.astimezone(UTC).isoformat()}


def _meeting_values(meeting: Meeting) -> dict[str, Any]:
    return {
        "forum": meeting.forum, "rule": dataclasses.asdict(meeting.rule),
        "anchor": meeting.anchor, "created_by": meeting.created_by,
        "created_at": meeting.created_at, "next_at": meeting.next_at,
        "planned_from": meeting.planned_from,
        "standing_forum": meeting.forum if meeting.standing else None,
        "stopped_at": meeting.stopped_at, "jobs_planned": meeting.jobs_planned,
        "moves": [_stored_move(m) for m in meeting.moves] or None,
    }


class SqlMeetingRepository(SessionRepository):
    async def add(self, meeting: Meeting) -> Meeting:
        row = MeetingRow(**_meeting_values(meeting))
        self.session.add(row)
        await self.session.flush()
        return _meeting(row)

    async def get(self, meeting_id: int, *, lock: bool = False) -> Meeting | None:
        row = await self.session.get(
            MeetingRow, meeting_id, with_for_update=lock, populate_existing=lock
        )
        return _meeting(row) if row else None

    async def get_many(self, ids: Sequence[int], *, lock: bool = False) -> list[Meeting]:
        query = select(MeetingRow).where(col(MeetingRow.id).in_(list(ids)))
        return [_meeting(row) for row in await self.session.exec(_locked(query, lock))]

    async def update(self, meeting: Meeting) -> None:
        row = await self.session.get(MeetingRow, meeting.id)
        if row is None:
            raise missing("meeting", meeting.id)
        for name, value in _meeting_values(meeting).items():
            setattr(row, name, value)
        await self.session.flush()

    async def running(self) -> list[Meeting]:
        return await self._running(None)

    async def due(self, before: datetime) -> list[Meeting]:
        return await self._running(col(MeetingRow.next_at) <= before)

    async def unplanned(self) -> list[Meeting]:
        return await self._running(col(MeetingRow.jobs_planned).is_(False))

    async def mark_planned(self, ids: Sequence[int]) -> None:
        await _mark_planned(self, MeetingRow, ids)

    async def add_standing(self, meeting: Meeting) -> Meeting | None:
        values = _meeting_values(dataclasses.replace(meeting, standing=True))
        if not await insert_once(self, MeetingRow, values):
            return None
        return await self.standing(meeting.forum)

    async def standing(self, forum: str) -> Meeting | None:
        query = select(MeetingRow).where(col(MeetingRow.standing_forum) == forum)
        row = (await self.session.exec(query)).first()
        return _meeting(row) if row else None

    async def all(self) -> list[Meeting]:
        query = select(MeetingRow).order_by(col(MeetingRow.id))
        return [_meeting(row) for row in await self.session.exec(query)]

    async def _running(self, condition: ColumnElement[bool] | None) -> list[Meeting]:
        query = select(MeetingRow).where(
            col(MeetingRow.next_at).is_not(None), col(MeetingRow.stopped_at).is_(None)
        )
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(col(MeetingRow.next_at), col(MeetingRow.id))
        return [_meeting(row) for row in await self.session.exec(query)]


T = TypeVar("T", bound=SQLModel)


def _locked(query: SelectOfScalar[T], lock: bool) -> SelectOfScalar[T]:
    """FOR UPDATE on PostgreSQL (SQLite serialises writers and renders nothing); fresh rows."""
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return query


async def _mark_planned(repo: SessionRepository, table: Any, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        await repo.session.exec(update(table).where(table.id.in_(chunk))
                                .values(jobs_planned=True))
