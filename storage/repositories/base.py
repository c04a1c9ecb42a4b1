"""What every repository shares: the session and the row <-> record mapping."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

RecordT = TypeVar("RecordT")
RowT = TypeVar("RowT", bound=SQLModel)


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session


def record_values(record: Any) -> dict[str, Any]:
    """A domain dataclass as column values (enums stored by value)."""
    return {f.name: _plain(getattr(record, f.name)) for f in dataclasses.fields(record)}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def to_row(record: Any, row_type: type[RowT], **overrides: Any) -> RowT:
    return row_type(**(record_values(record) | overrides))


def to_record(row: SQLModel, record_type: type[RecordT], **overrides: Any) -> RecordT:
    """The dataclass for `row`; columns the dataclass lacks are ignored."""
    names = [f.name for f in dataclasses.fields(record_type)]  # type: ignore[arg-type]
    values = {name: getattr(row, name) for name in names} | overrides
    return record_type(**values)


def update_row(row: SQLModel, record: Any, *, skip: tuple[str, ...] = ("id",)) -> None:
    for name, value in record_values(record).items():
        if name not in skip:
            setattr(row, name, value)


def missing(kind: str, key: object) -> LookupError:
    return LookupError(f"no {kind} with id {key!r}")


async def insert_once(repo: SessionRepository, table: Any, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: no exception, no savepoint, and under concurrency the
    database lets exactly one transaction insert (PostgreSQL waits for the other to commit)."""
    connection = await repo.session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table.__table__).values(**values).on_conflict_do_nothing()
    result = await connection.execute(statement)
    return bool(result.rowcount)
