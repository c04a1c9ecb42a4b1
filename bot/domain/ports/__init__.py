"""Ports: what the core needs from the outside world, as Protocols, by concern.

- `record`: the activation record (events, activations, participants, reports, decisions,
  commitments, messages, timeline);
- `rooms`: the outbox and the room bindings;
- `schedule`: conferences, meetings, agenda, roll calls and the scheduler;
- `guards`: key-value state and once-only delivery marks;
- `resources`: needs, offers and the forums' priorities;
- `watchers`: what the watchers of public warnings remember of each alert;
- `archive`: links to a closed activation's protocol files;
- `bridge`: incoming war-room messages taken, and what each became on the other platform.

Storage implements the repositories and the one unit of work that carries them all;
platforms implement `ChatPlatform`; the clock is injected so tests and exercises control time.
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.bridge import BridgeMessage
from bot.domain.effects import (
    CloseWarRoom,
    InvitePeople,
    OpenWarRoom,
    Post,
    SetModerators,
    SetTopic,
)
from bot.domain.ports.archive import ArchiveLinks
from bot.domain.ports.bridge import BridgeRepository
from bot.domain.ports.guards import DeliveryRepository, KeyValueRepository
from bot.domain.ports.record import (
    ActivationRepository,
    CommitmentRepository,
    DecisionRepository,
    EventRepository,
    MessageRepository,
    ParticipantRepository,
    ReportRepository,
    TimelineRepository,
)
from bot.domain.ports.resources import ResourceRepository
from bot.domain.ports.rooms import OutboxItem, OutboxRepository, RoomBindingRepository
from bot.domain.ports.schedule import (
    AgendaRepository,
    ConferenceRepository,
    MeetingRepository,
    RollCallRepository,
    Scheduler,
)
from bot.domain.ports.watchers import WatchRepository
from bot.domain.roster import Roster

__all__ = [
    "ActivationRepository",
    "AgendaRepository",
    "AppCore",
    "ArchiveLinks",
    "BridgeRepository",
    "ChatPlatform",
    "Clock",
    "CommitmentRepository",
    "ConferenceRepository",
    "DecisionRepository",
    "DeliveryRepository",
    "EventRepository",
    "KeyValueRepository",
    "MeetingRepository",
    "MessageRepository",
    "OutboxItem",
    "OutboxRepository",
    "ParticipantRepository",
    "ReportRepository",
    "ResourceRepository",
    "RollCallRepository",
    "RoomBindingRepository",
    "Scheduler",
    "TimelineRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "WatchRepository",
]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class AppCore(Protocol):
    """What the parts built around the core (time, watchers, the archive, the terminal) need
    of the composition root's `bot.bootstrap.App`: the roster, the unit of work, the clock
    and the region's time zone. Each part extends it with what else it needs."""

    @property
    def roster(self) -> Roster: ...
    @property
    def uow(self) -> UnitOfWorkFactory: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def tz(self) -> ZoneInfo: ...


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
    conferences: ConferenceRepository
    meetings: MeetingRepository
    agenda: AgendaRepository
    roll_calls: RollCallRepository
    deliveries: DeliveryRepository
    resources: ResourceRepository
    watchers: WatchRepository
    bridge: BridgeRepository

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
    async def bridge(self, effect: BridgeMessage) -> None:
        """Relay into this platform's war room of the activation (nothing when the message
        came from this platform, or the activation has no room here)."""
        ...
