"""The one unit of work: one session, one transaction, rolled back unless committed; it carries
the repositories of every concern (record, rooms, schedule, guards)."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.ports import (
    ActivationRepository,
    AgendaRepository,
    BridgeRepository,
    CommitmentRepository,
    ConferenceRepository,
    DecisionRepository,
    DeliveryRepository,
    EventRepository,
    KeyValueRepository,
    MeetingRepository,
    MessageRepository,
    OutboxRepository,
    ParticipantRepository,
    ReportRepository,
    ResourceRepository,
    RollCallRepository,
    RoomBindingRepository,
    TimelineRepository,
    UnitOfWork,
    UnitOfWorkFactory,
    WatchRepository,
)
from storage.repositories import (
    SqlActivationRepository,
    SqlAgendaRepository,
    SqlBridgeRepository,
    SqlCommitmentRepository,
    SqlConferenceRepository,
    SqlDecisionRepository,
    SqlDeliveryRepository,
    SqlEventRepository,
    SqlKeyValueRepository,
    SqlMeetingRepository,
    SqlMessageRepository,
    SqlOutboxRepository,
    SqlParticipantRepository,
    SqlReportRepository,
    SqlResourceRepository,
    SqlRollCallRepository,
    SqlRoomBindingRepository,
    SqlTimelineRepository,
    SqlWatchRepository,
)


class SqlUnitOfWork:
    """Use as `async with factory() as uow: …; await uow.commit()`.

    Leaving the block without `commit()` (or after more work following it) rolls back.
    """

    # Declared with the port types: protocol attributes are invariant.
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

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.events = SqlEventRepository(session)
        self.activations = SqlActivationRepository(session)
        self.participants = SqlParticipantRepository(session)
        self.reports = SqlReportRepository(session)
        self.decisions = SqlDecisionRepository(session)
        self.commitments = SqlCommitmentRepository(session)
        self.messages = SqlMessageRepository(session)
        self.timeline = SqlTimelineRepository(session)
        self.outbox = SqlOutboxRepository(session)
        self.rooms = SqlRoomBindingRepository(session)
        self.kv = SqlKeyValueRepository(session)
        self.conferences = SqlConferenceRepository(session)
        self.meetings = SqlMeetingRepository(session)
        self.agenda = SqlAgendaRepository(session)
        self.roll_calls = SqlRollCallRepository(session)
        self.deliveries = SqlDeliveryRepository(session)
        self.resources = SqlResourceRepository(session)
        self.watchers = SqlWatchRepository(session)
        self.bridge = SqlBridgeRepository(session)

    async def __aenter__(self) -> SqlUnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()


class SqlUnitOfWorkFactory:
    """Makes a fresh unit of work (and session) per call."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions())


def _conforms(factory: SqlUnitOfWorkFactory) -> tuple[UnitOfWorkFactory, UnitOfWork]:
    # Static check only: mypy proves the classes satisfy the ports.
    return factory, factory()
