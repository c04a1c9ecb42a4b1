"""What every repository shares: the session and the row <-> record mapping."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any, TypeVar

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
