"""Repositories implementing `bot.domain.ports`; each works inside one session (one UoW)."""

from storage.repositories.infrastructure import (
    SqlKeyValueRepository,
    SqlOutboxRepository,
    SqlRoomBindingRepository,
)
from storage.repositories.records import (
    SqlActivationRepository,
    SqlEventRepository,
    SqlParticipantRepository,
)
from storage.repositories.statements import (
    SqlCommitmentRepository,
    SqlDecisionRepository,
    SqlMessageRepository,
    SqlReportRepository,
    SqlTimelineRepository,
)

__all__ = [
    "SqlActivationRepository",
    "SqlCommitmentRepository",
    "SqlDecisionRepository",
    "SqlEventRepository",
    "SqlKeyValueRepository",
    "SqlMessageRepository",
    "SqlOutboxRepository",
    "SqlParticipantRepository",
    "SqlReportRepository",
    "SqlRoomBindingRepository",
    "SqlTimelineRepository",
]
