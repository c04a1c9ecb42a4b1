"""Tables of the guards: key-value state and delivery marks.

`deliveries.key` is the guard behind "exactly once": a reminder or notice is inserted into the
outbox only in the transaction that inserted its delivery key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime


class KeyValueRow(SQLModel, table=True):
    __tablename__ = "kv"

    key: str = Field(primary_key=True)
    value: str = Field(default="", sa_type=Text)


class DeliveryRow(SQLModel, table=True):
    __tablename__ = "deliveries"

    key: str = Field(primary_key=True)
    due_at: datetime = Field(sa_type=UtcDateTime)
    at: datetime = Field(sa_type=UtcDateTime)
    status: str
