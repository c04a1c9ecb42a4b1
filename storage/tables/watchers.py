"""Tables of the watchers: what they remember of each public alert (migration
`0005_watchers` creates it; the two must match)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime


class WatchedAlertRow(SQLModel, table=True):
    """One alert of one source (`bot.domain.watchers.WatchState`)."""

    __tablename__ = "watched_alerts"

    source: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    title: str = Field(sa_type=Text)
    fingerprint: str
    posted: bool
    closed: bool
    ends_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    changed_at: datetime = Field(sa_type=UtcDateTime)
