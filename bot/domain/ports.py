"""Ports: what the core needs from the outside world, as Protocols.

Storage implements the repositories and the unit of work; platforms implement `ChatPlatform`;
the clock is injected so tests and exercises control time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol

from bot.domain.effects import (
    CloseWarRoom,
    Effect,
    InvitePeople,
    OpenWarRoom,
    Post,
    SetModerators,
    SetTopic,
)
from bot.domain.model import (
    Activation,
    Commitment,
    Decision,
    Event,
    Participant,
    PublicMessage,
    SituationReport,
    TimelineEntry,
)
from bot.domain.watchers import Source, WatchState


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class EventRepository(Protocol):
    async def add(self, event: Event) -> Event: ...
    async def get(self, event_id: int) -> Event | None: ...


class ActivationRepository(Protocol):
    async def next_id(self, year: int) -> str:
        """The next free id of the year, e.g. '2026-004' (not reserved until `add`)."""
        ...

    async def add(self, activation: Activation) -> None: ...
    async def get(self, activation_id: str) -> Activation | None: ...
    async def update(self, activation: Activation) -> None: ...
    async def active(self) -> list[Activation]: ...
    async def of_event(self, event_id: int) -> list[Activation]: ...


class ParticipantRepository(Protocol):
    async def add(self, participant: Participant) -> Participant: ...
    async def add_many(self, participants: list[Participant]) -> list[Participant]:
        """Adds all rows in one round trip; returns them with ids, in the same order."""
        ...

    async def update(self, participant: Participant) -> None: ...
    async def of_activation(self, activation_id: str) -> list[Participant]: ...
    async def active_of_person(self, person: str) -> list[Participant]:
        """Rows assigned to (or first held by) `person` in active activations."""
        ...

    async def overdue(self, now: datetime) -> list[Participant]:
        """Unacknowledged rows of active activations whose deadline is at or before `now`."""
        ...

    async def next_deadline(self) -> datetime | None: ...


class ReportRepository(Protocol):
    async def add(self, report: SituationReport) -> SituationReport: ...
    async def of_event(self, event_id: int) -> list[SituationReport]: ...
    async def latest_per_actor(self, event_id: int) -> list[SituationReport]: ...
    async def count(self, event_id: int) -> int: ...


class DecisionRepository(Protocol):
    async def add(self, decision: Decision) -> Decision: ...
    async def of_event(self, event_id: int) -> list[Decision]: ...


class CommitmentRepository(Protocol):
    async def add(self, commitment: Commitment) -> Commitment: ...
    async def of_event(self, event_id: int) -> list[Commitment]: ...


class MessageRepository(Protocol):
    async def add(self, message: PublicMessage) -> PublicMessage: ...
    async def update(self, message: PublicMessage) -> None:
        """Stores new approvals and `approved_at`; the text never changes."""
        ...

    async def of_event(self, event_id: int) -> list[PublicMessage]: ...


class TimelineRepository(Protocol):
    """Append-only by construction: there is no update and no delete."""

    async def append(self, entry: TimelineEntry) -> TimelineEntry: ...
    async def of_event(self, event_id: int) -> list[TimelineEntry]: ...
    async def last(self, event_id: int, n: int) -> list[TimelineEntry]: ...


@dataclass(frozen=True)
class OutboxItem:
    id: int
    effect: Effect
    done: frozenset[str]  # platforms that have performed it
    attempts: int


class OutboxRepository(Protocol):
    async def add(self, effect: Effect) -> int: ...
    async def add_many(self, effects: list[Effect]) -> None:
        """Adds the effects in order, in one round trip."""
        ...

    async def pending(self, limit: int = 100) -> list[OutboxItem]: ...
    async def mark_done(self, item_id: int, platform: str) -> None: ...
    async def mark_finished(self, item_id: int) -> None: ...
    async def record_failure(self, item_id: int, error: str) -> None: ...
    async def settle(
        self, item_id: int, done: list[str], *, finished: bool, error: str | None
    ) -> None:
        """Records in one step what a delivery attempt did: the platforms that performed the
        effect, whether the item is finished, and the error (which counts an attempt)."""
        ...


class RoomBindingRepository(Protocol):
    """Which platform room is which neutral room (activation war room, forum standing room)."""

    async def bind(self, kind: str, key: str, platform: str, room_id: str) -> None: ...
    async def room(self, kind: str, key: str, platform: str) -> str | None: ...
    async def lookup(self, platform: str, room_id: str) -> tuple[str, str] | None:
        """(kind, key) of a platform room, if bound."""
        ...


class KeyValueRepository(Protocol):
    """Small durable state: sync tokens, processed delivery ids (de-duplication)."""

    async def get(self, key: str) -> str | None: ...
    async def put(self, key: str, value: str) -> None: ...
    async def add_once(self, key: str, value: str = "") -> bool:
        """Insert `key` unless present; True when this call inserted it."""
        ...


class WatchRepository(Protocol):
    """What the watchers remember per alert (see `bot.domain.watchers.WatchState`)."""

    async def of_source(self, source: Source) -> dict[str, WatchState]:
        """Every remembered alert of `source`, by key."""
        ...

    async def save_many(self, states: list[WatchState]) -> None:
        """Inserts or replaces each state (keyed by source and key)."""
        ...


class UnitOfWork(Protocol):
    events: EventRepository
    activations: ActivationRepository
    participants: ParticipantRepository
    reports: ReportRepository
    decisions: DecisionRepository
    commitments: CommitmentRepository
    messages: MessageRepository
    timeline: TimelineRepository
    outbox: OutboxRepository
    rooms: RoomBindingRepository
    kv: KeyValueRepository
    watchers: WatchRepository

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Rolls back unless `commit` was called."""
        ...

    async def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class ChatPlatform(Protocol):
    """A transport (console, Matrix, Slack). Effects arrive after commit; each method must be
    idempotent for the same effect, because a crash may make the outbox deliver it again."""

    name: str

    async def open_war_room(self, effect: OpenWarRoom) -> None: ...
    async def invite(self, effect: InvitePeople) -> None: ...
    async def post(self, effect: Post) -> None: ...
    async def set_moderators(self, effect: SetModerators) -> None: ...
    async def set_topic(self, effect: SetTopic) -> None: ...
    async def close_war_room(self, effect: CloseWarRoom) -> None: ...

