"""The record of an event: activations, participants and everything said and decided.

Plain dataclasses, no persistence: the storage layer maps them to tables. All datetimes are
timezone-aware UTC; they are shown in the region's time zone by the texts layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class ActivationStatus(StrEnum):
    ACTIVE = "aktiv"
    CLOSED = "avslutad"


class Stage(StrEnum):
    """Who a participant row is currently assigned to."""

    HOLDER = "innehavare"
    DEPUTY = "ersättare"
    FALLBACK = "reserv"


class EntryKind(StrEnum):
    ACTIVATED = "aktiverad"
    CALLED = "kallad"
    ACKED = "kvitterad"
    ESCALATED_ACK = "ej_kvitterad_eskalerad"
    COVERED = "täckt"
    ESCALATED = "eskalerad"
    REPORT = "läge"
    DECISION = "beslut"
    COMMITMENT = "åtagande"
    MESSAGE_PROPOSED = "budskap"
    MESSAGE_APPROVED = "godkänt"
    CHAIR = "ordförande"
    CONFERENCE = "konferens"
    ATTENDANCE = "närvaro"
    RESOURCE = "resurs"
    NOTE = "notering"
    CHECKLIST = "checklista"
    FOLLOW_UP = "uppföljning"
    CLOSED = "avaktiverad"


@dataclass
class Event:
    """A händelse: what the activations of several forums are about."""

    id: int | None
    title: str
    scenario: str | None
    created_at: datetime
    exercise: bool = False


@dataclass
class Activation:
    id: str  # "2026-004"
    event_id: int
    forum: str
    level: str
    title: str
    scenario: str | None
    status: ActivationStatus
    chair: str  # function ref "tib@lansstyrelsen"
    initiated_by: str  # person key
    initiated_as: str  # function ref
    created_at: datetime
    parent_id: str | None = None
    closed_at: datetime | None = None
    summary: str | None = None
    protocol: str | None = None
    exercise: bool = False
    # The folded title while it must stay unique among the forum's active activations (the
    # database's guard against two officers at once); None for a deliberate second one.
    title_key: str | None = None

    @property
    def is_active(self) -> bool:
        return self.status is ActivationStatus.ACTIVE


@dataclass
class Participant:
    """One called function in one activation, and who answers for it now."""

    id: int | None
    activation_id: str
    function: str  # function ref
    actor: str
    person: str  # current assignee
    stage: Stage
    called_at: datetime
    deadline: datetime | None
    called_by: str
    acked_at: datetime | None = None
    acked_by: str | None = None
    holder: str | None = None  # the original holder when the row was escalated
    covered_by: str | None = None  # function ref whose acknowledgement answers for this row

    @property
    def answered(self) -> bool:
        """Acknowledged, or covered: its escalation target was already called and had
        acknowledged in the activation (a row the bot stops chasing)."""
        return self.acked_at is not None or self.covered_by is not None


@dataclass
class SituationReport:
    id: int | None
    event_id: int
    activation_id: str
    actor: str
    person: str
    function: str
    text: str
    created_at: datetime
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Decision:
    id: int | None
    event_id: int
    activation_id: str
    forum: str
    number: int
    text: str
    person: str
    function: str
    created_at: datetime


@dataclass
class Commitment:
    id: int | None
    event_id: int
    activation_id: str
    actor: str
    text: str
    person: str
    function: str
    created_at: datetime


@dataclass
class Approval:
    actor: str
    person: str
    at: datetime


@dataclass
class PublicMessage:
    id: int | None
    event_id: int
    activation_id: str
    number: int
    text: str
    actor: str
    person: str
    created_at: datetime
    approvals: list[Approval] = field(default_factory=list)
    approved_at: datetime | None = None


@dataclass
class TimelineEntry:
    """Append-only: who did what, as which function of which actor, and when."""

    id: int | None
    event_id: int
    activation_id: str | None
    at: datetime
    kind: EntryKind
    person: str | None
    function: str | None
    actor: str | None
    text: str
    data: dict[str, Any] = field(default_factory=dict)
