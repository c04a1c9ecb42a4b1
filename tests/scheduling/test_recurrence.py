"""Recurrence math: weekly rules keep local time across clock changes, monthly rules land on
the right days (hand-checked table), interval series count elapsed time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.domain.recurrence import (
    Recurrence,
    interval_occurrences,
    rrule_text,
    rule_occurrences,
    take,
)
from bot.grammar.rules import parse_rule

TZ = ZoneInfo("Europe/Stockholm")
THURSDAY_9 = Recurrence("weekly", weekday=3, hour=9, minute=0, text="varje torsdag 09:00")

# Hand-checked against a printed calendar (and `calendar.monthcalendar`): 2026-01 … 2027-12.
FIRST_MONDAYS = [5, 2, 2, 6, 4, 1, 6, 3, 7, 5, 2, 7, 4, 1, 1, 5, 3, 7, 5, 2, 6, 4, 1, 6]
LAST_FRIDAYS = [30, 27, 27, 24, 29, 26, 31, 28, 25, 30, 27, 25,
                29, 26, 26, 30, 28, 25, 30, 27, 24, 29, 26, 31]
MONTHS = [(2026 + i // 12, i % 12 + 1) for i in range(24)]


def _local(at: datetime) -> datetime:
    return at.astimezone(TZ)


@pytest.mark.parametrize(("start", "change"), [
    (datetime(2026, 3, 1, tzinfo=TZ), datetime(2026, 3, 29, tzinfo=TZ)),
    (datetime(2026, 10, 1, tzinfo=TZ), datetime(2026, 10, 25, tzinfo=TZ)),
    (datetime(2027, 3, 1, tzinfo=TZ), datetime(2027, 3, 28, tzinfo=TZ)),
    (datetime(2027, 10, 1, tzinfo=TZ), datetime(2027, 10, 31, tzinfo=TZ)),
])
def test_weekly_thursday_stays_at_nine_across_clock_changes(start: datetime,
                                                            change: datetime) -> None:
    found = take(rule_occurrences(THURSDAY_9, TZ, start, start), 8)
    assert [(_local(a).weekday(), _local(a).hour, _local(a).minute) for a in found] == \
        [(3, 9, 0)] * 8
    offsets = {a.astimezone(TZ).utcoffset() for a in found}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # the change is inside
    before = [a for a in found if a < change]
    after = [a for a in found if a > change]
    assert before and after
    # Seven days of wall clock are 167 or 169 hours of elapsed time across the change.
    gap = after[0] - before[-1]
    assert gap in (timedelta(hours=167), timedelta(hours=169))
    assert all(b - a == timedelta(days=7) for a, b in pairwise(before))


def test_weekly_utc_times_are_exact() -> None:
    start = datetime(2026, 3, 20, tzinfo=TZ)
    found = take(rule_occurrences(THURSDAY_9, TZ, start, start), 3)
    assert found == [datetime(2026, 3, 26, 8, 0, tzinfo=UTC),  # CET, UTC+1
                     datetime(2026, 4, 2, 7, 0, tzinfo=UTC),  # CEST, UTC+2
                     datetime(2026, 4, 9, 7, 0, tzinfo=UTC)]


@pytest.mark.parametrize(("text", "days", "weekday", "hour"), [
    ("första måndagen i månaden 13:00", FIRST_MONDAYS, 0, 13),
    ("sista fredagen i månaden 10:00", LAST_FRIDAYS, 4, 10),
])
def test_monthly_rules_for_24_months(text: str, days: list[int], weekday: int,
                                     hour: int) -> None:
    rule = parse_rule(text)
    start = datetime(2025, 12, 31, 12, tzinfo=TZ)
    found = [_local(a) for a in take(rule_occurrences(rule, TZ, start, start), 24)]
    assert [(a.year, a.month) for a in found] == MONTHS
    assert [a.day for a in found] == days
    assert {(a.weekday(), a.hour, a.minute) for a in found} == {(weekday, hour, 0)}


def test_second_and_other_week_rules() -> None:
    second_tuesday = Recurrence("monthly", weekday=1, nth=2, hour=8, minute=30)
    start = datetime(2026, 1, 1, tzinfo=TZ)
    found = [_local(a) for a in take(rule_occurrences(second_tuesday, TZ, start, start), 3)]
    assert [(a.month, a.day, a.hour, a.minute) for a in found] == \
        [(1, 13, 8, 30), (2, 10, 8, 30), (3, 10, 8, 30)]
    every_other = Recurrence("weekly", interval=2, weekday=3, hour=9)
    anchor = datetime(2026, 1, 5, tzinfo=TZ)  # Monday; first Thursday is the 8th
    found = [_local(a) for a in take(rule_occurrences(every_other, TZ, anchor, anchor), 3)]
    assert [a.day for a in found] == [8, 22, 5]  # 8 Jan, 22 Jan, 5 Feb


def test_strictly_after_and_resuming_mid_series() -> None:
    at_nine = datetime(2026, 11, 26, 9, 0, tzinfo=TZ)
    found = take(rule_occurrences(THURSDAY_9, TZ, at_nine, datetime(2026, 1, 1, tzinfo=TZ)), 1)
    assert _local(found[0]) == datetime(2026, 12, 3, 9, 0, tzinfo=TZ)


def test_interval_occurrences_count_elapsed_time_across_a_clock_change() -> None:
    # The night the clocks go forward; arithmetic in UTC (aware + timedelta on a ZoneInfo
    # datetime is wall-clock arithmetic in Python).
    first = datetime(2026, 3, 28, 23, 0, tzinfo=TZ).astimezone(UTC)
    found = take(interval_occurrences(first, timedelta(hours=3), first - timedelta(1)), 3)
    assert [b - a for a, b in pairwise(found)] == [timedelta(hours=3)] * 2
    assert [_local(a).hour for a in found] == [23, 3, 6]  # 02:00 local does not exist
    after = first + timedelta(hours=4)
    assert next(interval_occurrences(first, timedelta(hours=3), after)) == \
        first + timedelta(hours=6)
    assert take(interval_occurrences(first, None, first), 5) == []
    assert take(interval_occurrences(first, None, first - timedelta(seconds=1)), 5) == [first]


def test_rrule_texts() -> None:
    assert rrule_text(THURSDAY_9) == "FREQ=WEEKLY;BYDAY=TH"
    assert rrule_text(parse_rule("sista fredagen i månaden 10:00")) == "FREQ=MONTHLY;BYDAY=-1FR"
    assert rrule_text(parse_rule("första måndagen i månaden 13:00")) == "FREQ=MONTHLY;BYDAY=1MO"
    assert rrule_text(Recurrence("weekly", interval=2, weekday=1, hour=9)) == \
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
