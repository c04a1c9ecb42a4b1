"""Times as people say them, in Swedish or English, on the Europe/Stockholm clock.

One exact grammar, no guessing library: a phrase is a clock time (`14:00`, `kl 14`,
`at 7pm`, `02:30+01:00`), a relative time (`om 2 timmar`), and a day phrase
(`bot.grammar.days`: `i morgon bitti`, `nästa tisdag`, `25 december`, `ikväll`). A phrase
that cannot be read one way only is refused with a ParseError whose code says why and whose
`suggestion` is a phrase that would have been understood (the bot never silently picks one
reading):

- `24:00`, `25:00`, `14:75` are no clock times (`parse.bad_clock`);
- a day without a clock time and without a part of the day (`i morgon`) has no time
  (`parse.time_missing_clock`); a part of the day alone has its usual hour (`i morgon bitti`
  07:00, `tomorrow morning` 08:00, `ikväll` 19:00), which the reply shows;
- a clock time outside the part of the day (`i morgon bitti 15:00`) contradicts it
  (`parse.part_mismatch`); `ikväll kl 7` is 19:00 (12-hour speech), `ikväll 07:00` is refused;
- a local time that does not exist (the spring-forward gap) or exists twice (the repeated
  October hour) is refused unless the UTC offset is written (`02:30+01:00`);
- a time before now is refused (`parse.time_past`), except a bare clock time (`08:00`,
  tomorrow when past) and a bare weekday (`tisdag 09:00`, next week when past).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import ParseError
from bot.grammar.days import PARTS, DayPhrase, bad, read_days, resolve
from bot.grammar.words import is_number, plain

_OFFSET = r"(?:\s*(?:utc)?\s*(?P<off>[+-]\d{2}(?::?\d{2})?))?"
CLOCK = re.compile(
    r"(?:(?:\b(?:kl|klockan|at)\.?\s*)?\b(?P<h3>\d{1,2})(?::(?P<m3>\d{2}))?\s*(?P<ampm>am|pm)\b"
    r"|\b(?:kl|klockan|at)\.?\s*(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?(?!\d)"
    r"|\b(?P<h2>\d{1,2})[:.](?P<m2>\d{2})(?!\d))" + _OFFSET
)
_RELATIVE = re.compile(r"^(?:om|in)\s+(?P<n>\d+|[a-z]+)\s*(?P<unit>[a-z]+)$")

NUMBERS = {
    "en": 1, "ett": 1, "a": 1, "an": 1, "one": 1, "tva": 2, "two": 2, "tre": 3, "three": 3,
    "fyra": 4, "four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6, "tio": 10, "ten": 10,
    "tolv": 12, "twelve": 12, "femton": 15, "fifteen": 15, "tjugo": 20, "twenty": 20,
    "trettio": 30, "thirty": 30,
}
UNITS = {
    **dict.fromkeys(("minut", "minuter", "min", "mins", "m", "minute", "minutes"), 60),
    **dict.fromkeys(("timme", "timmar", "tim", "h", "t", "hour", "hours", "hr", "hrs"), 3600),
    **dict.fromkeys(("dag", "dagar", "dygn", "d", "day", "days"), 86400),
    **dict.fromkeys(("kvart", "quarter"), 900),
    **dict.fromkeys(("halvtimme", "halvtimma"), 1800),
}

MAX_AHEAD_DAYS = 366
"""How far ahead a relative time (`om 2 timmar`) or an interval (`var 3:e timme`) may
reach: a year. Further is no plan but a typo, and would overflow `datetime` (year 9999)."""
MAX_CLOCK_JUMP_DAYS = 60
"""The largest exercise clock jump (`klocka +60d`, `:clock +60d`): two months, room for
the weeks between meetings of ordinary work (its story jumps 38 days). Every deadline and
conference in a jump is replayed one by one, so a huge jump would hang the bot."""


def bounded_seconds(n: int, unit_seconds: int, text: str, *, code: str,
                    max_days: int) -> timedelta:
    """`n` units of `unit_seconds` as a timedelta, computed on Python ints so no size
    overflows. Raises ParseError `code` (params `value`, `max` in days) beyond `max_days`."""
    if n * unit_seconds > max_days * 86400:
        raise bad(code, text, max=max_days)
    return timedelta(seconds=n * unit_seconds)


class Clock:
    """A clock time read from text: the time, whether the hour is fixed as written (`07:00`
    with its leading zero, `7pm`) rather than spoken (`kl 7`), and a written UTC offset."""

    def __init__(self, at: time, *, padded: bool, offset: timedelta | None) -> None:
        self.at, self.padded, self.offset = at, padded, offset


def read_clock(match: re.Match[str], text: str) -> Clock:
    """The clock time of a CLOCK match. Raises `parse.bad_clock` for 24:00, 25:00, 14:75."""
    raw = match.group("h1") or match.group("h2") or match.group("h3")
    hour = int(raw)
    minute = int(match.group("m1") or match.group("m2") or match.group("m3") or 0)
    ampm = match.group("ampm")
    if ampm is not None:
        if not 1 <= hour <= 12:
            raise bad("parse.bad_clock", text, clock=match.group(0).strip())
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise bad("parse.bad_clock", text, clock=match.group(0).strip())
    offset = _offset(match.group("off"), text)
    return Clock(time(hour, minute), padded=raw.startswith("0") or ampm is not None,
                 offset=offset)


def _offset(written: str | None, text: str) -> timedelta | None:
    if written is None:
        return None
    digits = written[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise bad("parse.bad_time", text)
    sign = -1 if written[0] == "-" else 1
    return sign * timedelta(hours=hours, minutes=minutes)


def split_clock(s: str, text: str) -> tuple[Clock | None, str]:
    """The one clock time in `s` and the rest of the words. Two clock times contradict."""
    matches = list(CLOCK.finditer(s))
    if len(matches) > 1:
        raise bad("parse.two_times", text, suggestion=matches[-1].group(0).strip())
    if not matches:
        return None, s
    found = matches[0]
    return read_clock(found, text), s[: found.start()] + " " + s[found.end() :]


_DELTA = re.compile(r"^\+?\s*(\d+)\s*(m|min|minut|minuter|h|t|tim|timme|timmar|d|dag|dagar|"
                    r"minutes?|hours?|days?)$")


def parse_delta(text: str) -> timedelta:
    """`+30m`, `+2h`, `+1d`, `+45 min`, `2 timmar` -> a positive timedelta (exercise clock).
    Raises ParseError "parse.bad_delta", or "parse.clock_jump_too_large" (params `value`,
    `max` days) beyond MAX_CLOCK_JUMP_DAYS."""
    match = _DELTA.match(plain(text))
    if match is None or int(match.group(1)) <= 0:
        raise bad("parse.bad_delta", text)
    unit = match.group(2)[0]
    seconds = {"m": 60, "h": 3600, "t": 3600, "d": 86400}[unit]
    return bounded_seconds(int(match.group(1)), seconds, text,
                           code="parse.clock_jump_too_large", max_days=MAX_CLOCK_JUMP_DAYS)


def _relative(s: str, text: str) -> timedelta | None:
    if s in ("om en halvtimme", "om en halv timme", "in half an hour"):
        return timedelta(minutes=30)
    match = _RELATIVE.match(s)
    if match is None or match.group("unit") not in UNITS:
        return None
    n_text = match.group("n")
    n = int(n_text) if is_number(n_text) else NUMBERS.get(n_text)
    if n is None:
        return None
    return bounded_seconds(n, UNITS[match.group("unit")], text, code="parse.time_too_far",
                           max_days=MAX_AHEAD_DAYS)


def _time_of_day(clock: Clock | None, days: DayPhrase, text: str, suggested: time) -> time:
    """The clock time, checked against (or taken from) the part of the day; without either
    refused with `suggested` (a time still ahead) in the corrected phrase."""
    if days.part is None:
        if clock is None:
            raise bad("parse.time_missing_clock", text,
                      suggestion=f"{text.strip()} {suggested:%H:%M}")
        return clock.at
    default, first, last, afternoon = PARTS[days.part]
    if clock is None:
        return time(default)
    hour = clock.at.hour
    if afternoon and not clock.padded and 1 <= hour <= 11:
        hour += 12  # `ikväll 7`, `i kväll kl 7:30`: spoken 12-hour time
    if not first <= hour <= last:
        without = re.sub(CLOCK.pattern, " ", text, flags=re.IGNORECASE).split()
        raise bad("parse.part_mismatch", text, clock=clock.at.strftime("%H:%M"),
                  suggestion=" ".join([*without, hour_text(default)]))
    return time(hour, clock.at.minute)


def hour_text(hour: int) -> str:
    """`07:00` for 7."""
    return f"{hour:02d}:00"


def wall_time(day: date, clock: time, tz: ZoneInfo, offset: timedelta | None,
              text: str) -> datetime:
    """`day` at `clock` on the local wall clock, as an aware datetime. A time in the
    spring-forward gap is refused (`parse.time_gap`); one in the repeated autumn hour needs
    its offset (`parse.time_ambiguous`); a written offset must be the zone's."""
    naive = datetime.combine(day, clock)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    round_trip = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    stamp = f"{day:%Y-%m-%d} {clock:%H:%M}"
    if round_trip != naive:
        later = (naive + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
        raise bad("parse.time_gap", text, at=stamp, suggestion=later)
    offsets = {first.utcoffset(), second.utcoffset()}
    if offset is not None:
        if offset not in offsets:
            raise bad("parse.offset_mismatch", text, at=stamp,
                      suggestion=with_offset(first))
        return first if first.utcoffset() == offset else second
    if len(offsets) > 1:
        raise bad("parse.time_ambiguous", text, at=stamp, first=with_offset(first),
                  second=with_offset(second), suggestion=with_offset(first))
    return first


def with_offset(local: datetime) -> str:
    """`2026-10-25 02:30+02:00`: a local time with its UTC offset."""
    return local.strftime("%Y-%m-%d %H:%M") + local.strftime("%z")[:3] + ":" + \
        local.strftime("%z")[3:]


def parse_when(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """An absolute time (aware, UTC) from `14:00`, `om 2 timmar`, `imorgon 08:00`,
    `ikväll 19:00`, `i morgon bitti`, `nästa tisdag 09:00`, `25 december 10:00`, … .

    `now` must be aware. Raises ParseError with a code (`parse.bad_time`, `parse.bad_clock`,
    `parse.time_past`, `parse.day_past`, `parse.time_missing_clock`, `parse.month_without_day`,
    `parse.ambiguous_date`, `parse.ambiguous_jul`, `parse.ambiguous_night`,
    `parse.no_such_date`, `parse.weekday_mismatch`,
    `parse.two_days`, `parse.two_times`, `parse.part_mismatch`, `parse.time_gap`,
    `parse.time_ambiguous`, `parse.offset_mismatch`, `parse.time_too_far` beyond
    MAX_AHEAD_DAYS) and params `value` and, where a
    corrected phrase exists, `suggestion`.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    s = plain(text)
    if not s:
        raise bad("parse.bad_time", text)
    delta = _relative(s, text)
    if delta is not None:  # elapsed time: counted in UTC, a clock change does not stretch it
        return now.astimezone(UTC) + delta
    local_now = now.astimezone(tz)
    today = local_now.date()
    clock, rest = split_clock(s, text)
    days = read_days(rest, text, today)
    day = resolve(days, today)
    if day is not None and day < today and clock is None:  # `igår`: no clock time helps
        raise ParseError("parse.day_past", value=text.strip(), date=day.isoformat())
    at_time = _time_of_day(clock, days, text, _suggested(day or today, local_now))
    offset = clock.offset if clock is not None else None
    at = wall_time(day or today, at_time, tz, offset, text)
    if at <= now and ((day is None and days.part is None)
                      or (days.weekday is not None and days.on is None and days.offset is None)):
        # a bare clock time means the next one; a bare weekday the next such day
        step = 7 if day is not None else 1
        at = wall_time((day or today) + timedelta(days=step), at_time, tz, offset, text)
    if at < now:
        raise ParseError("parse.time_past", value=text.strip(),
                         at=at.astimezone(tz).strftime("%Y-%m-%d %H:%M"))
    return at.astimezone(UTC)


def _suggested(day: date, local_now: datetime) -> time:
    """The clock time a corrected phrase proposes: 10:00, or on today the next full hour
    when 10:00 has passed (23:59 in the last hour), so the suggestion is never past."""
    if day > local_now.date() or local_now.hour < 10:
        return time(10)
    return time(local_now.hour + 1) if local_now.hour < 23 else time(23, 59)


_UNTIL = re.compile(r"\s+(?:till|to|->|→)\s+")


def parse_day(text: str, now: datetime, tz: ZoneInfo) -> tuple[date, time | None]:
    """A named day with an optional time of day: `2026-12-23`, `onsdag 23 december 13:00`,
    `i morgon bitti` (local). Raises ParseError `parse.missing_day` when no day is named,
    and the day phrase's own codes."""
    s = plain(text)
    clock, rest = split_clock(s, text)
    days = read_days(rest, text, now.astimezone(tz).date())
    day = resolve(days, now.astimezone(tz).date())
    if day is None:
        raise bad("parse.missing_day", text)
    if clock is None and days.part is None:
        return day, None
    return day, _time_of_day(clock, days, text, time(10))


def parse_move(text: str, now: datetime, tz: ZoneInfo
               ) -> tuple[date, time | None, date | None]:
    """`<dag> [tid]` or `<från-dag> till <dag> [tid]` of `möte flytta`: (to day, to time or
    None, from day or None)."""
    parts = _UNTIL.split(text.strip(), maxsplit=1)
    if len(parts) == 2:
        from_day, _ = parse_day(parts[0], now, tz)
        to_day, clock = parse_day(parts[1], now, tz)
        return to_day, clock, from_day
    to_day, clock = parse_day(text, now, tz)
    return to_day, clock, None
