"""Pure planning: owed firings, late/missed/superseded, cursor moves, firing keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.guards import DeliveryStatus
from bot.domain.recurrence import Recurrence
from bot.domain.schedule import ConferenceSeries, Firing, Meeting
from bot.scheduling.planning import Timing, advance, classify, firings_of

TZ = ZoneInfo("Europe/Stockholm")
T = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
TIMING = Timing()  # 15 and 5 minutes, late after 1 min, missed after 30 min
MIN = timedelta(minutes=1)


def _series(every: timedelta | None = None, planned_from: datetime | None = None,
            next_at: datetime | None = T) -> ConferenceSeries:
    return ConferenceSeries(7, "2026-001", T, every, None, T - timedelta(hours=1), next_at,
                            planned_from or T - timedelta(hours=1))


def test_firings_of_a_series_in_due_order() -> None:
    firings = firings_of(_series(), TIMING)
    assert [(f.due, f.offset) for f in firings] == [
        (T - 15 * MIN, 15 * MIN), (T - 5 * MIN, 5 * MIN), (T, timedelta(0))]
    assert [f.key for f in firings] == ["conference:7:20261123T133000Z:900",
                                        "conference:7:20261123T133000Z:300",
                                        "conference:7:20261123T133000Z:0"]


def test_reminders_before_planning_were_never_owed() -> None:
    late_plan = _series(planned_from=T - 10 * MIN)  # `konferens om 10 minuter`
    assert [f.offset for f in firings_of(late_plan, TIMING)] == [5 * MIN, timedelta(0)]
    assert firings_of(_series(next_at=None), TIMING) == []


@pytest.mark.parametrize(("offset", "late_by", "expected"), [
    (15, timedelta(0), DeliveryStatus.SENT),
    (15, 59 * timedelta(seconds=1), DeliveryStatus.SENT),
    (15, 2 * MIN, DeliveryStatus.LATE),
    (15, 15 * MIN, DeliveryStatus.SUPERSEDED),  # the conference has begun: nothing to remind
    (0, 29 * MIN, DeliveryStatus.LATE),
    (0, 31 * MIN, DeliveryStatus.MISSED),
])
def test_classify(offset: int, late_by: timedelta, expected: DeliveryStatus) -> None:
    firing = Firing.of("conference", 7, T, offset * MIN)
    assert classify(firing, firing.due + late_by, TIMING) is expected


def test_a_long_reminder_can_be_missed_before_the_start() -> None:
    timing = Timing(reminders=(timedelta(days=1),))
    firing = Firing.of("meeting", 1, T, timedelta(days=1))
    assert classify(firing, firing.due + timedelta(hours=2), timing) is DeliveryStatus.MISSED


def test_advance_recurring_and_one_off() -> None:
    every3 = _series(timedelta(hours=3))
    step = advance(every3, TZ, T, TIMING)
    assert (step.next_at, step.planned_from, step.skipped) == (T + timedelta(hours=3), T, 0)
    assert advance(_series(), TZ, T, TIMING).next_at is None


def test_advance_after_a_long_outage_skips_and_counts() -> None:
    every3 = _series(timedelta(hours=3))
    back = T + timedelta(hours=10)  # occurrences at +3, +6, +9 passed while down
    step = advance(every3, TZ, back, TIMING)
    assert step.skipped == 3 and step.next_at == T + timedelta(hours=12)
    assert step.planned_from == back - TIMING.grace


def test_advance_a_weekly_meeting_keeps_local_time() -> None:
    rule = Recurrence("weekly", weekday=3, hour=9)
    thursday = datetime(2027, 3, 25, 9, tzinfo=TZ).astimezone(UTC)
    meeting = Meeting(1, "veckokonferens", rule, thursday, None, thursday, thursday, thursday)
    step = advance(meeting, TZ, thursday, TIMING)
    assert step.next_at is not None and step.next_at.astimezone(TZ).hour == 9
    assert step.next_at - thursday == timedelta(days=7, hours=-1)  # clocks went forward


def test_firing_keys_round_trip() -> None:
    exact = Firing.of("meeting", 3, T + timedelta(microseconds=250), 5 * MIN)
    for firing in (Firing.of("conference", 12, T, 15 * MIN), exact):
        assert Firing.parse(firing.key) == firing
    with pytest.raises(ValueError):
        Firing.parse("other:1:20261123T133000Z:0")


def test_timing_from_roster_minutes() -> None:
    timing = Timing.from_minutes([5, 15, 15, 0])
    assert timing.reminders == (15 * MIN, 5 * MIN)
