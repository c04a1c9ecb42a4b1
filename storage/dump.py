"""A deterministic text dump of every row of every table, for "nothing changed" checks.

The same ordered SELECTs serve SQLite and PostgreSQL: tables by name, columns by position,
rows by primary key (or by every column when there is none).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, select
from sqlalchemy.engine import Connection

from storage.database import sync_url


def dump(url: str) -> str:
    """Every row of every table of the database at `url` (blocking; sync driver)."""
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            return _dump(connection)
    finally:
        engine.dispose()


class Dumper:
    """`dump` for many calls on one database: the engine and the reflected tables are kept
    (the schema must not change meanwhile). Same text as `dump`; `close()` when done."""

    def __init__(self, url: str, metadata: MetaData | None = None) -> None:
        """`metadata`: tables reflected before from a database of the same schema (reflecting
        costs ~0.1 s); None reflects them here."""
        self.engine = create_engine(sync_url(url))
        self.metadata = metadata if metadata is not None else MetaData()
        if metadata is None:
            with self.engine.connect() as connection:
                self.metadata.reflect(connection)

    def dump(self) -> str:
        lines: list[str] = []
        with self.engine.connect() as connection:
            for name in sorted(self.metadata.tables):
                lines.extend(_table_lines(connection, self.metadata.tables[name]))
        return "\n".join(lines) + "\n"

    def close(self) -> None:
        self.engine.dispose()


async def dump_async(url: str) -> str:
    """`dump` for async callers, run in a worker thread."""
    return await asyncio.to_thread(dump, url)


def _dump(connection: Connection) -> str:
    metadata = MetaData()
    metadata.reflect(connection)
    lines: list[str] = []
    for name in sorted(metadata.tables):
        lines.extend(_table_lines(connection, metadata.tables[name]))
    return "\n".join(lines) + "\n"


def _table_lines(connection: Connection, table: Table) -> list[str]:
    columns = list(table.columns)
    order = list(table.primary_key.columns) or columns
    lines = [f"-- {table.name} ({', '.join(c.name for c in columns)})"]
    for row in connection.execute(select(*columns).order_by(*order)):
        lines.append("(" + ", ".join(_literal(value) for value in row) + ")")
    return lines


def _literal(value: Any) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None:
        # PostgreSQL returns timestamptz in the session's zone; normalise for stable text.
        return repr(value.astimezone(UTC).isoformat())
    if isinstance(value, datetime):
        return repr(value.isoformat())
    if isinstance(value, bytes | bytearray | memoryview):
        return "x'" + bytes(value).hex() + "'"
    return repr(value)
