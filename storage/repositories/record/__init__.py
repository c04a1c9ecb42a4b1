"""Repositories of the activation record."""

from storage.repositories.record.activations import (
    SqlActivationRepository,
    SqlEventRepository,
    SqlParticipantRepository,
)
from storage.repositories.record.statements import (
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
    "SqlMessageRepository",
    "SqlParticipantRepository",
    "SqlReportRepository",
    "SqlTimelineRepository",
]
