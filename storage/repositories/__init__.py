"""Repositories implementing `bot.domain.ports`, by concern (record, rooms, schedule, guards,
resources, watchers); each works inside one session (one unit of work)."""

from storage.repositories.bridge import SqlBridgeRepository
from storage.repositories.guards import SqlDeliveryRepository, SqlKeyValueRepository
from storage.repositories.record import (
    SqlActivationRepository,
    SqlCommitmentRepository,
    SqlDecisionRepository,
    SqlEventRepository,
    SqlMessageRepository,
    SqlParticipantRepository,
    SqlReportRepository,
    SqlTimelineRepository,
)
from storage.repositories.resources import SqlResourceRepository
from storage.repositories.rooms import SqlOutboxRepository, SqlRoomBindingRepository
from storage.repositories.schedule import (
    SqlAgendaRepository,
    SqlConferenceRepository,
    SqlMeetingRepository,
    SqlRollCallRepository,
)
from storage.repositories.watchers import SqlWatchRepository

__all__ = [
    "SqlActivationRepository",
    "SqlAgendaRepository",
    "SqlBridgeRepository",
    "SqlCommitmentRepository",
    "SqlConferenceRepository",
    "SqlDecisionRepository",
    "SqlDeliveryRepository",
    "SqlEventRepository",
    "SqlKeyValueRepository",
    "SqlMeetingRepository",
    "SqlMessageRepository",
    "SqlOutboxRepository",
    "SqlParticipantRepository",
    "SqlReportRepository",
    "SqlResourceRepository",
    "SqlRollCallRepository",
    "SqlRoomBindingRepository",
    "SqlTimelineRepository",
    "SqlWatchRepository",
]
