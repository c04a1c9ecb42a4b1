"""Recurrence math: when the occurrences of a conference series or a meeting rule fall.

Two kinds of time are at play. An interval series (`konferens … var 3:e timme`) counts
elapsed time, so it is computed in UTC and a clock change does not stretch an interval.
A calendar rule (`varje torsdag 09:00`, `första måndagen i månaden 13:00`) names a wall-clock
time, so it is expanded with dateutil.rrule in naive local time and only then given the
region's zone: 09:00 stays 09:00 across the March and October changes.

Local times that do not exist (02:30 on the March change day) are read with the offset in
force before the change, as zoneinfo does for `fold=0`, which lands one hour later on the
wall clock; ambiguous ones (the repeated October hour) take the first of the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.rrule import HOURLY, MONTHLY, WEEKLY, rrule, weekday


@dataclass(frozen=True)
class Recurrence:
    """A recurring rule as people say it, normalised.

    `freq` hourly: every `interval` hours from the first time. weekly: on `weekday`
    (0=Monday) at `time`. monthly: the `nth` (1..4, -1 = last) `weekday` of the month at `time`.
    """

    freq: Literal["hourly", "weekly", "monthly"]
    interval: int = 1
    weekday: int | None = None
    nth: int | None = None
    hour: int = 0
    minute: int = 0
    text: str = ""


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def check_rule(rule: Recurrence) -> None:
    """Raises ValueError for a rule that cannot be expanded."""
    if rule.interval < 1:
        raise ValueError("interval must be at least 1")
    if not (0 <= rule.hour < 24 and 0 <= rule.minute < 60):
        raise ValueError(f"no such time of day: {rule.hour}:{rule.minute}")
    if rule.freq in ("weekly", "monthly") and (rule.weekday is None or not 0 <= rule.weekday < 7):
        raise ValueError(f"a {rule.freq} rule needs a weekday 0..6")
    if rule.freq == "monthly" and rule.nth not in (1, 2, 3, 4, -1):
        raise ValueError("a monthly rule needs nth in 1..4 or -1 (last)")


def rule_rrule(rule: Recurrence, anchor_local: datetime) -> rrule:
    """The dateutil rule in naive local time, counted from `anchor_local` (naive)."""
    check_rule(rule)
    start = anchor_local.replace(second=0, microsecond=0, tzinfo=None)
    if rule.freq == "hourly":
        return rrule(HOURLY, interval=rule.interval, dtstart=start)
    assert rule.weekday is not None
    day = weekday(rule.weekday, rule.nth) if rule.freq == "monthly" else weekday(rule.weekday)
    return rrule(
        MONTHLY if rule.freq == "monthly" else WEEKLY,
        interval=rule.interval,
        byweekday=day,
        byhour=rule.hour,
        byminute=rule.minute,
        bysecond=0,
        dtstart=start.replace(hour=0, minute=0),
    )


def rule_occurrences(
    rule: Recurrence, tz: ZoneInfo, after: datetime, anchor: datetime
) -> Iterator[datetime]:
    """Occurrences (aware UTC) strictly after `after`, in order, without end.

    `anchor` fixes the phase of rules with an interval above one (every other week) and of
    hourly rules; it is an aware datetime, typically when the meeting was created.
    """
    if rule.freq == "hourly":
        yield from interval_occurrences(anchor, timedelta(hours=rule.interval), after)
        return
    after_utc = after.astimezone(UTC)
    anchor_local = anchor.astimezone(tz).replace(tzinfo=None)
    # Start a day early in naive local time: around a clock change naive and real order may
    # differ by an hour, and the UTC filter below restores the exact boundary.
    after_local = after_utc.astimezone(tz).replace(tzinfo=None)
    start_local = max(anchor_local, after_local - timedelta(days=1))
    for local in rule_rrule(rule, anchor_local).xafter(start_local, inc=True):
        at = local.replace(tzinfo=tz).astimezone(UTC)
        if at > after_utc:
            yield at


def next_rule_occurrence(
    rule: Recurrence, tz: ZoneInfo, after: datetime, anchor: datetime
) -> datetime:
    return next(rule_occurrences(rule, tz, after, anchor))


def interval_occurrences(
    first: datetime, every: timedelta | None, after: datetime
) -> Iterator[datetime]:
    """`first`, `first + every`, … (UTC) strictly after `after`; one-off when `every` is None."""
    first = first.astimezone(UTC)
    if every is None:
        if first > after:
            yield first
        return
    if every <= timedelta(0):
        raise ValueError("the interval must be positive")
    k = 0 if after < first else (after - first) // every + 1
    while True:
        yield first + k * every
        k += 1


def take(occurrences: Iterator[datetime], count: int) -> list[datetime]:
    return list(islice(occurrences, count))


def rrule_text(rule: Recurrence) -> str:
    """The iCalendar RRULE value (RFC 5545) of a calendar rule, e.g. `FREQ=MONTHLY;BYDAY=-1FR`."""
    check_rule(rule)
    parts = [f"FREQ={rule.freq.upper()}"]
    if rule.interval != 1:
        parts.append(f"INTERVAL={rule.interval}")
    if rule.freq != "hourly":
        assert rule.weekday is not None
        nth = str(rule.nth) if rule.freq == "monthly" else ""
        parts.append(f"BYDAY={nth}{_BYDAY[rule.weekday]}")
    return ";".join(parts)
