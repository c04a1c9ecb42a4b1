"""Times, intervals and recurrence rules as people say them (fixed `now`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from grammar_roster import NOW, TZ

from bot.domain.errors import ParseError
from bot.domain.recurrence import Recurrence
from bot.grammar.times import parse_interval, parse_rule, parse_when


def local(day: int, hour: int, minute: int = 0, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


# NOW is Tuesday 2026-03-10 12:00 in Stockholm.
WHEN = [
    ("14:00", local(10, 14)),
    ("14.30", local(10, 14, 30)),
    ("kl 14", local(10, 14)),
    ("klockan 9", local(11, 9)),  # past today: tomorrow
    ("08:00", local(11, 8)),
    ("12:00", local(11, 12)),  # exactly now is not ahead
    ("om 2 timmar", local(10, 14)),
    ("om 30 minuter", local(10, 12, 30)),
    ("om en timme", local(10, 13)),
    ("om en kvart", local(10, 12, 15)),
    ("om en halvtimme", local(10, 12, 30)),
    ("om 2h", local(10, 14)),
    ("om två dagar", local(12, 12)),
    ("imorgon 08:00", local(11, 8)),
    ("i morgon 08:00", local(11, 8)),
    ("I MORGON kl 08.00", local(11, 8)),
    ("idag 16:00", local(10, 16)),
    ("i dag 16:00", local(10, 16)),
    ("i övermorgon 10:00", local(12, 10)),
    ("2026-12-01 09:00", local(1, 9, month=12)),
    ("måndag 09:00", local(16, 9)),
    ("på måndag kl 09:00", local(16, 9)),
    ("tisdag 14:00", local(10, 14)),  # today, still ahead
    ("tisdag 09:00", local(17, 9)),  # today, already past: next week
    ("nästa fredag 10:00", local(13, 10)),
    ("söndag 18:00", local(15, 18)),
    ("in 2 hours", local(10, 14)),
    ("in 30 minutes", local(10, 12, 30)),
    ("in an hour", local(10, 13)),
    ("tomorrow 08:00", local(11, 8)),
    ("tomorrow at 08:00", local(11, 8)),
    ("today 16:00", local(10, 16)),
    ("monday 09:00", local(16, 9)),
    ("on friday at 10:00", local(13, 10)),
    ("at 15:45", local(10, 15, 45)),
    # the rarer forms go to dateparser
    ("1 december 09:00", local(1, 9, month=12)),
    ("den 5 december kl 09:00", local(5, 9, month=12)),
    ("5 dec 2026 09:00", local(5, 9, month=12)),
]


@pytest.mark.parametrize(("text", "expected"), WHEN)
def test_parse_when(text: str, expected: datetime) -> None:
    got = parse_when(text, NOW, TZ)
    assert got == expected
    assert got.tzinfo is UTC


def test_now_in_utc_gives_the_same_answer() -> None:
    assert parse_when("14:00", NOW.astimezone(UTC), TZ) == local(10, 14)


def test_across_the_spring_dst_change() -> None:
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=TZ)  # clocks go forward on the 29th
    assert parse_when("imorgon 08:00", saturday, TZ) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    assert parse_when("om 24 timmar", saturday, TZ) == datetime(2026, 3, 29, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "parse.bad_time"),
        ("snart", "parse.bad_time"),
        ("25:00", "parse.bad_time"),
        ("14:75", "parse.bad_time"),
        ("2026-02-30 09:00", "parse.bad_time"),
        ("jul", "parse.bad_time"),  # dateparser would say July: no clock time, refused
        ("14", "parse.bad_time"),
        ("om många timmar", "parse.bad_time"),
        ("idag 08:00", "parse.time_past"),
        ("2025-12-01 09:00", "parse.time_past"),
    ],
)
def test_parse_when_refuses(text: str, code: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_when(text, NOW, TZ)
    assert err.value.code == code
    assert err.value.params["value"] == text.strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("var 3:e timme", timedelta(hours=3)),
        ("3:e timme", timedelta(hours=3)),
        ("var 30:e minut", timedelta(minutes=30)),
        ("varje timme", timedelta(hours=1)),
        ("varannan timme", timedelta(hours=2)),
        ("var tredje timme", timedelta(hours=3)),
        ("var 2 timmar", timedelta(hours=2)),
        ("every 3 hours", timedelta(hours=3)),
        ("every hour", timedelta(hours=1)),
        ("every 45 minutes", timedelta(minutes=45)),
        ("every other hour", timedelta(hours=2)),
        ("every 2h", timedelta(hours=2)),
        ("varje dygn", timedelta(days=1)),
    ],
)
def test_parse_interval(text: str, expected: timedelta) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["var banan", "var 0:e timme", "", "every 3 bananas", "3"])
def test_parse_interval_refuses(text: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_interval(text)
    assert err.value.code == "parse.bad_interval"


def weekly(weekday: int, hour: int, minute: int = 0, interval: int = 1) -> Recurrence:
    return Recurrence("weekly", interval=interval, weekday=weekday, hour=hour, minute=minute)


def monthly(nth: int, weekday: int, hour: int, minute: int = 0) -> Recurrence:
    return Recurrence("monthly", weekday=weekday, nth=nth, hour=hour, minute=minute)


RULES = [
    ("varje tisdag 09:00", weekly(1, 9)),
    ("varje tisdag kl 9", weekly(1, 9)),
    ("tisdagar 09:30", weekly(1, 9, 30)),
    ("varje vecka torsdag 09:00", weekly(3, 9)),
    ("varannan onsdag 10:00", weekly(2, 10, interval=2)),
    ("varje andra onsdag 10:00", weekly(2, 10, interval=2)),
    ("var 2:a vecka fredag 08:15", weekly(4, 8, 15, interval=2)),
    ("första måndagen i månaden 13:00", monthly(1, 0, 13)),
    ("forsta mandagen i manaden 13:00", monthly(1, 0, 13)),
    ("andra tisdagen i månaden 13:00", monthly(2, 1, 13)),
    ("tredje onsdagen i månaden 13:00", monthly(3, 2, 13)),
    ("fjärde torsdagen i månaden 13:00", monthly(4, 3, 13)),
    ("sista fredagen i månaden 10:00", monthly(-1, 4, 10)),
    ("1:a måndagen varje månad kl 13", monthly(1, 0, 13)),
    ("13:00 första måndagen i månaden", monthly(1, 0, 13)),
    ("var 3:e timme", Recurrence("hourly", interval=3)),
    ("varannan timme", Recurrence("hourly", interval=2)),
    ("every tuesday 09:00", weekly(1, 9)),
    ("every week on thursday at 09:00", weekly(3, 9)),
    ("every other wednesday 10:00", weekly(2, 10, interval=2)),
    ("every 2 weeks on friday 08:00", weekly(4, 8, interval=2)),
    ("first monday of the month 13:00", monthly(1, 0, 13)),
    ("second tuesday of every month 13:00", monthly(2, 1, 13)),
    ("last friday of the month 10:00", monthly(-1, 4, 10)),
    ("every 3 hours", Recurrence("hourly", interval=3)),
]


@pytest.mark.parametrize(("text", "expected"), RULES)
def test_parse_rule(text: str, expected: Recurrence) -> None:
    got = parse_rule(text)
    assert got.text == text
    assert got == Recurrence(**{**expected.__dict__, "text": text})


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("varje dag 08:00", "parse.bad_rule"),
        ("femte måndagen i månaden 13:00", "parse.bad_rule"),
        ("första i månaden 13:00", "parse.bad_rule"),
        ("i månaden 13:00", "parse.bad_rule"),
        ("var 30:e minut", "parse.bad_rule"),  # a rule recurs by whole hours
        ("varje tisdag", "parse.rule_missing_time"),
        ("första måndagen i månaden", "parse.rule_missing_time"),
        ("every blue moon 10:00", "parse.bad_rule"),
        ("", "parse.bad_rule"),
    ],
)
def test_parse_rule_refuses(text: str, code: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_rule(text)
    assert err.value.code == code
