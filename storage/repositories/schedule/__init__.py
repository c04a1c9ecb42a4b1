"""Repositories of the schedule."""

from storage.repositories.schedule.agenda import SqlAgendaRepository, SqlRollCallRepository
from storage.repositories.schedule.series import SqlConferenceRepository, SqlMeetingRepository

__all__ = [
    "SqlAgendaRepository",
    "SqlConferenceRepository",
    "SqlMeetingRepository",
    "SqlRollCallRepository",
]
