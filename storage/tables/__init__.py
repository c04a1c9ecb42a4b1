"""SQLModel tables by concern (record, rooms, schedule, guards, resources, watchers,
bridge). The core never sees these: repositories map them.

The migrations are the schema's source of truth; these classes must match them (a test
compares the two). Datetimes are `UtcDateTime`: aware UTC in, aware UTC out. Importing this
package registers every table in `SQLModel.metadata`.
"""

from storage.tables.bridge import BridgedMessageRow, BridgeEventRow
from storage.tables.guards import (
    DeliveryRow,
    KeyValueRow,
)
from storage.tables.record import (
    ActivationRow,
    CommitmentRow,
    DecisionRow,
    EventRow,
    MessageRow,
    ParticipantRow,
    ReportRow,
    TimelineRow,
)
from storage.tables.resources import ResourcePriorityRow, ResourceRow
from storage.tables.rooms import (
    OutboxRow,
    RoomBindingRow,
)
from storage.tables.schedule import (
    AgendaItemRow,
    AttendanceRow,
    ConferenceSeriesRow,
    MeetingRow,
    RollCallRow,
)
from storage.tables.watchers import WatchedAlertRow

__all__ = [
    "ActivationRow",
    "AgendaItemRow",
    "AttendanceRow",
    "BridgeEventRow",
    "BridgedMessageRow",
    "CommitmentRow",
    "ConferenceSeriesRow",
    "DecisionRow",
    "DeliveryRow",
    "EventRow",
    "KeyValueRow",
    "MeetingRow",
    "MessageRow",
    "OutboxRow",
    "ParticipantRow",
    "ReportRow",
    "ResourcePriorityRow",
    "ResourceRow",
    "RollCallRow",
    "RoomBindingRow",
    "TimelineRow",
    "WatchedAlertRow",
]
