"""Guards: durable marks that make a notice or a delivery happen once, even across restarts
and two overlapping processes (ports: `bot.domain.ports.guards`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DeliveryStatus(StrEnum):
    SENT = "skickad"
    LATE = "försenad"  # sent after an outage, marked so in the room
    MISSED = "missad"  # too late to be useful: the room is told it was missed
    SUPERSEDED = "ersatt"  # a reminder whose meeting had already begun: nothing to say


@dataclass(frozen=True)
class Delivery:
    key: str
    due_at: datetime
    at: datetime
    status: DeliveryStatus
