"""The watchers' memory: one row per (source, key) in `watched_alerts`."""

from __future__ import annotations

from sqlmodel import col, select

from bot.domain.watchers import Source, WatchState
from storage.repositories.base import SessionRepository
from storage.tables import WatchedAlertRow


def _state(row: WatchedAlertRow) -> WatchState:
    return WatchState(source=Source(row.source), key=row.key, title=row.title,
                      fingerprint=row.fingerprint, posted=row.posted, closed=row.closed,
                      ends_at=row.ends_at, changed_at=row.changed_at)


class SqlWatchRepository(SessionRepository):
    async def of_source(self, source: Source) -> dict[str, WatchState]:
        query = select(WatchedAlertRow).where(col(WatchedAlertRow.source) == source.value)
        return {row.key: _state(row) for row in await self.session.exec(query)}

    async def save_many(self, states: list[WatchState]) -> None:
        # Only the leader runs the watchers, so there is no concurrent writer of a row.
        for state in states:
            row = await self.session.get(WatchedAlertRow, (state.source.value, state.key))
            if row is None:
                row = WatchedAlertRow(source=state.source.value, key=state.key,
                                      title=state.title, fingerprint=state.fingerprint,
                                      posted=state.posted, closed=state.closed,
                                      ends_at=state.ends_at, changed_at=state.changed_at)
                self.session.add(row)
                continue
            row.title, row.fingerprint = state.title, state.fingerprint
            row.posted, row.closed = state.posted, state.closed
            row.ends_at, row.changed_at = state.ends_at, state.changed_at
        await self.session.flush()
