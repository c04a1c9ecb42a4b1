"""Events, activations and participants."""

from __future__ import annotations

import dataclasses
import re
import zlib
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, and_, cast, func, insert, or_, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.domain.errors import Conflict
from bot.domain.record import Activation, ActivationStatus, Event, Participant, Stage
from storage.repositories.base import (
    SessionRepository,
    missing,
    record_values,
    to_record,
    to_row,
    update_row,
)
from storage.tables import ActivationRow, EventRow, ParticipantRow

_YEAR = re.compile(r"\d{4}")
_ACTIVE = ActivationStatus.ACTIVE.value

# High 32 bits of the numbering locks' keys ("SVAC"); the low 32 bits name the series.
_NUMBERING_LOCK = 0x5356_4143 << 32


class SqlEventRepository(SessionRepository):
    async def add(self, event: Event) -> Event:
        row = to_row(event, EventRow)
        self.session.add(row)
        await self.session.flush()
        return _event(row)

    async def get(self, event_id: int) -> Event | None:
        row = await self.session.get(EventRow, event_id)
        return _event(row) if row else None


class SqlActivationRepository(SessionRepository):
    async def next_id(self, year: int, mark: str = "") -> str:
        if not _YEAR.fullmatch(f"{year:04d}") or mark not in ("", "Ö"):
            raise ValueError(f"year or mark out of range: {year} {mark!r}")
        prefix = f"{mark}{year:04d}-"
        await self._serialise_numbering(prefix)
        # Numbers grow past 999 ("2026-1000"), so compare them as integers, not as text.
        number = cast(func.substr(col(ActivationRow.id), len(prefix) + 1), Integer)
        query = select(func.max(number)).where(col(ActivationRow.id).like(f"{prefix}%"))
        highest = (await self.session.exec(query)).one()
        return f"{prefix}{(highest or 0) + 1:03d}"

    async def _serialise_numbering(self, prefix: str) -> None:
        """On PostgreSQL, a transaction-scoped advisory lock per series (`2026-`, `Ö2026-`):
        a second transaction numbering at the same time waits until the first commits, then
        sees its number (READ COMMITTED). SQLite has one writer and needs nothing."""
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            key = _NUMBERING_LOCK | zlib.crc32(prefix.encode())
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    async def add(self, activation: Activation) -> None:
        """Conflict "activation.concurrent" when a simultaneous transaction took its id or its
        (forum, title_key) first; the rest of this transaction stays usable (a savepoint)."""
        try:
            async with self.session.begin_nested():
                self.session.add(to_row(activation, ActivationRow))
        except IntegrityError as err:
            if not _unique_violation(err):
                raise  # a broken reference is a bug, not a race
            raise Conflict("activation.concurrent", id=activation.id) from err

    async def get(self, activation_id: str) -> Activation | None:
        row = await self.session.get(ActivationRow, activation_id)
        return _activation(row) if row else None

    async def update(self, activation: Activation) -> None:
        row = await self.session.get(ActivationRow, activation.id)
        if row is None:
            raise missing("activation", activation.id)
        update_row(row, activation)
        await self.session.flush()

    async def active(self) -> list[Activation]:
        return await self._where(col(ActivationRow.status) == _ACTIVE)

    async def active_titled(self, forum: str, title_key: str) -> list[Activation]:
        key = col(ActivationRow.title_key)
        return await self._where(and_(col(ActivationRow.status) == _ACTIVE,
                                      col(ActivationRow.forum) == forum,
                                      or_(key == title_key, key.is_(None))))

    async def of_event(self, event_id: int) -> list[Activation]:
        return await self._where(col(ActivationRow.event_id) == event_id)

    async def _where(self, condition: ColumnElement[bool]) -> list[Activation]:
        query = (
            select(ActivationRow)
            .where(condition)
            .order_by(col(ActivationRow.created_at), col(ActivationRow.id))
        )
        return [_activation(row) for row in await self.session.exec(query)]


class SqlParticipantRepository(SessionRepository):
    async def add(self, participant: Participant) -> Participant:
        row = to_row(participant, ParticipantRow)
        self.session.add(row)
        await self.session.flush()
        return _participant(row)

    async def add_many(self, participants: list[Participant]) -> list[Participant]:
        """One executemany for a whole forum (46 rows), not one ORM flush per row; the ids
        are read back by function, which is unique within an activation."""
        if not participants:
            return []
        values = [{k: v for k, v in record_values(p).items() if k != "id"} for p in participants]
        connection = await self.session.connection()  # Core executemany, same transaction
        await connection.execute(insert(ParticipantRow), values)
        activations = {p.activation_id for p in participants}
        query = select(col(ParticipantRow.id), col(ParticipantRow.activation_id),
                       col(ParticipantRow.function)).where(
            col(ParticipantRow.activation_id).in_(activations),
            col(ParticipantRow.function).in_({p.function for p in participants}),
        )
        ids = {(a, f): i for i, a, f in (await self.session.exec(query)).all()}
        return [dataclasses.replace(p, id=ids[(p.activation_id, p.function)])
                for p in participants]

    async def update(self, participant: Participant) -> None:
        row = await self.session.get(ParticipantRow, participant.id)
        if row is None:
            raise missing("participant", participant.id)
        update_row(row, participant)
        await self.session.flush()

    async def of_activation(self, activation_id: str) -> list[Participant]:
        query = (
            select(ParticipantRow)
            .where(col(ParticipantRow.activation_id) == activation_id)
            .order_by(col(ParticipantRow.id))
        )
        return [_participant(row) for row in await self.session.exec(query)]

    async def active_of_person(self, person: str) -> list[Participant]:
        query = (
            _of_active_activations()
            .where(or_(col(ParticipantRow.person) == person, col(ParticipantRow.holder) == person))
            .order_by(col(ParticipantRow.id))
        )
        return [_participant(row) for row in await self.session.exec(query)]

    async def overdue(self, now: datetime) -> list[Participant]:
        query = (
            _of_active_activations()
            .where(col(ParticipantRow.acked_at).is_(None))
            .where(col(ParticipantRow.deadline) <= now)
            .order_by(col(ParticipantRow.deadline), col(ParticipantRow.id))
        )
        return [_participant(row) for row in await self.session.exec(query)]

    async def next_deadline(self) -> datetime | None:
        query = (
            select(func.min(col(ParticipantRow.deadline)))
            .join(ActivationRow, col(ActivationRow.id) == col(ParticipantRow.activation_id))
            .where(col(ActivationRow.status) == _ACTIVE)
            .where(col(ParticipantRow.acked_at).is_(None))
        )
        earliest: datetime | None = (await self.session.exec(query)).one()
        return earliest


def _of_active_activations() -> SelectOfScalar[ParticipantRow]:
    return (
        select(ParticipantRow)
        .join(ActivationRow, col(ActivationRow.id) == col(ParticipantRow.activation_id))
        .where(col(ActivationRow.status) == _ACTIVE)
    )


def _event(row: EventRow) -> Event:
    return to_record(row, Event)


def _activation(row: ActivationRow) -> Activation:
    return to_record(row, Activation, status=ActivationStatus(row.status))


def _participant(row: ParticipantRow) -> Participant:
    return to_record(row, Participant, stage=Stage(row.stage))


def _unique_violation(err: IntegrityError) -> bool:
    """PostgreSQL's SQLSTATE 23505, or SQLite's "UNIQUE constraint failed"."""
    orig = err.orig
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint" in str(orig)
