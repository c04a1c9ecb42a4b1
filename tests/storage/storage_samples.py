"""Sample records for the storage suite (imported by its conftest and tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.record import Activation, ActivationStatus, Participant, Stage

T0 = datetime(2026, 1, 14, 7, 30, tzinfo=UTC)


@dataclass
class Seed:
    event_id: int
    activation_id: str


def activation(activation_id: str, event_id: int, **changes: object) -> Activation:
    values: dict[str, object] = {
        "id": activation_id,
        "event_id": event_id,
        "forum": "samordnande-forum",
        "level": "samordnande",
        "title": "Snöstorm Gorm",
        "scenario": "oväder",
        "status": ActivationStatus.ACTIVE,
        "chair": "tib@lansstyrelsen",
        "initiated_by": "anna",
        "initiated_as": "tib@lansstyrelsen",
        "created_at": T0,
    }
    return Activation(**(values | changes))  # type: ignore[arg-type]


def participant(activation_id: str, person: str, **changes: object) -> Participant:
    values: dict[str, object] = {
        "id": None,
        "activation_id": activation_id,
        "function": "tib@polisen",
        "actor": "polisen",
        "person": person,
        "stage": Stage.HOLDER,
        "called_at": T0,
        "deadline": T0 + timedelta(minutes=15),
        "called_by": "anna",
    }
    return Participant(**(values | changes))  # type: ignore[arg-type]
