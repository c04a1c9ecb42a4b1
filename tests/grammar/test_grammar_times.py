"""Times, intervals and recurrence rules as people say them (fixed `now`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from grammar_roster import NOW, TZ

from bot.domain.errors import ParseError
from bot.domain.recurrence import Recurrence
from bot.grammar.rules import parse_interval, parse_rule
from bot.grammar.times import parse_when


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
    ("1 december 09:00", local(1, 9, month=12)),
    ("den 5 december kl 09:00", local(5, 9, month=12)),
    ("5 dec 2026 09:00", local(5, 9, month=12)),
    ("den 5:e december 09:00", local(5, 9, month=12)),
    ("december 5th at 09:00", local(5, 9, month=12)),
    ("10 mars 15:00", local(10, 15)),  # today, ahead
    ("9 mars 15:00", local(9, 15, year=2027)),  # passed this year: next year's
    ("fredag 13 mars 10:00", local(13, 10)),  # weekday agrees with the date
    ("tisdag 2026-03-17 09:00", local(17, 9)),
    # what a duty officer says every day
    ("ikväll 19:00", local(10, 19)),
    ("i kväll kl 19", local(10, 19)),
    ("ikväll kl 7", local(10, 19)),  # spoken 12-hour time in the evening
    ("i kväll kl 7:30", local(10, 19, 30)),
    ("ikväll", local(10, 19)),
    ("i morgon bitti", local(11, 7)),
    ("imorgon bitti 06:30", local(11, 6, 30)),
    ("i morgon förmiddag", local(11, 10)),
    ("i morgon eftermiddag kl 3", local(11, 15)),
    ("imorgon kväll 20:00", local(11, 20)),
    ("i eftermiddag 15:00", local(10, 15)),
    ("fredag kväll 18:00", local(13, 18)),
    ("nästa tisdag 09:00", local(17, 9)),  # never today
    ("nästa tisdag 14:00", local(17, 14)),
    ("nästa onsdag 09:00", local(11, 9)),
    ("på fredag 10:00", local(13, 10)),
    ("kl 14", local(10, 14)),
    ("kl. 14.15", local(10, 14, 15)),
    ("klockan 14", local(10, 14)),
    ("julafton 10:00", local(24, 10, month=12)),
    ("nyårsafton kl 14", local(31, 14, month=12)),
    ("midsommarafton 12:00", local(19, 12, month=6)),
    ("tonight 19:00", local(10, 19)),
    ("tonight at 7pm", local(10, 19)),
    ("this evening 20:00", local(10, 20)),
    ("tomorrow morning", local(11, 8)),
    ("tomorrow morning 07:30", local(11, 7, 30)),
    ("tomorrow afternoon at 3pm", local(11, 15)),
    ("next tuesday 09:00", local(17, 9)),
    ("next friday at 10:00", local(13, 10)),
    ("at 14", local(10, 14)),
    ("at 2pm", local(10, 14)),
    ("at 9am", local(11, 9)),
    ("christmas eve 10:00", local(24, 10, month=12)),
    ("2026-12-01 09:00+01:00", local(1, 9, month=12)),
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


REFUSED = [
    ("", "parse.bad_time"),
    ("snart", "parse.bad_time"),
    ("25:00", "parse.bad_clock"),
    ("24:00", "parse.bad_clock"),  # midnight is 00:00 of the next day: which day?
    ("i morgon 24:00", "parse.bad_clock"),
    ("14:75", "parse.bad_clock"),
    ("13pm", "parse.bad_clock"),
    ("2026-02-30 09:00", "parse.no_such_date"),
    ("30 februari 10:00", "parse.no_such_date"),
    ("31 april kl 9", "parse.no_such_date"),
    ("jul", "parse.ambiguous_jul"),
    ("jul 10:00", "parse.ambiguous_jul"),  # Christmas (sv) or July (en): never 25 July
    ("Jul 10:00", "parse.ambiguous_jul"),
    ("1/12 10:00", "parse.ambiguous_date"),  # 1 December or 12 January
    ("12/1 10:00", "parse.ambiguous_date"),
    ("inatt 02:00", "parse.ambiguous_night"),
    ("midnatt", "parse.ambiguous_night"),
    ("december 10:00", "parse.month_without_day"),
    ("juli 10:00", "parse.month_without_day"),
    ("in december at 10:00", "parse.month_without_day"),
    ("torsdag 25 december 10:00", "parse.weekday_mismatch"),  # a Friday in 2026
    ("måndag 2026-03-17 09:00", "parse.weekday_mismatch"),
    ("imorgon fredag 10:00", "parse.weekday_mismatch"),  # tomorrow is a Wednesday
    ("i morgon i övermorgon 10:00", "parse.two_days"),
    ("julafton 25 december 10:00", "parse.two_days"),
    ("i morgon bitti ikväll", "parse.two_days"),
    ("10:00 11:00", "parse.two_times"),
    ("kl 10 14:00", "parse.two_times"),
    ("i morgon bitti 15:00", "parse.part_mismatch"),
    ("ikväll 07:00", "parse.part_mismatch"),  # written with its zero: morning, not evening
    ("tomorrow morning 6pm", "parse.part_mismatch"),
    ("imorgon", "parse.time_missing_clock"),
    ("fredag", "parse.time_missing_clock"),
    ("25 december", "parse.time_missing_clock"),
    ("idag", "parse.time_missing_clock"),  # at 12:00: `idag 13:00`, not a past 10:00
    ("igår", "parse.day_past"),  # found by a new user: `senast igår` suggested `igår 10:00`
    ("i går", "parse.day_past"),
    ("yesterday", "parse.day_past"),
    ("i förrgår", "parse.day_past"),
    ("2025-12-01", "parse.day_past"),
    ("14", "parse.bad_time"),
    ("om många timmar", "parse.bad_time"),
    ("banan 10:00", "parse.bad_time"),
    ("idag 08:00", "parse.time_past"),
    ("i går 10:00", "parse.time_past"),
    ("yesterday 10:00", "parse.time_past"),
    ("2025-12-01 09:00", "parse.time_past"),
    ("i eftermiddag 11:00", "parse.part_mismatch"),
    ("i förmiddag 11:00", "parse.time_past"),
    ("2027-03-28 02:30", "parse.time_gap"),  # spring forward: 02:00 → 03:00
    ("28 mars 2027 02:00", "parse.time_gap"),
    ("2026-10-25 02:30", "parse.time_ambiguous"),  # fall back: 02:00–03:00 twice
    ("25 oktober 02:59", "parse.time_ambiguous"),
    ("2026-10-25 02:30+03:00", "parse.offset_mismatch"),
    ("2026-12-01 09:00+02:00", "parse.offset_mismatch"),  # winter time is +01:00
]


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_parse_when_refuses(text: str, code: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_when(text, NOW, TZ)
    assert err.value.code == code
    assert err.value.params["value"] == text.strip()
    suggestion = err.value.params.get("suggestion")
    if suggestion is not None and code != "parse.two_times":
        parse_when(suggestion, NOW, TZ)  # the corrected example is itself understood


@pytest.mark.parametrize("minute", range(0, 24 * 60, 37))
def test_the_suggested_clock_time_is_never_past(minute: int) -> None:
    now = datetime(2026, 3, 10, tzinfo=TZ) + timedelta(minutes=minute)
    for text in ("idag", "i morgon", "fredag"):
        with pytest.raises(ParseError) as err:
            parse_when(text, now, TZ)
        assert parse_when(err.value.params["suggestion"], now, TZ) > now


def test_the_repeated_october_hour_is_read_with_its_offset() -> None:
    summer = parse_when("2026-10-25 02:30+02:00", NOW, TZ)
    winter = parse_when("2026-10-25 02:30+01:00", NOW, TZ)
    assert summer == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert winter == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_christmas_is_never_july() -> None:
    advent = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)
    with pytest.raises(ParseError) as err:
        parse_when("jul 10:00", advent, TZ)
    assert err.value.code == "parse.ambiguous_jul"
    assert parse_when(err.value.params["suggestion"], advent, TZ) == datetime(
        2026, 12, 24, 9, 0, tzinfo=UTC)


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
