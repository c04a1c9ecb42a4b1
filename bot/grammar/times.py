"""Times and rules as people say them, in Swedish or English, on the Europe/Stockholm clock.

The common forms (`14:00`, `om 2 timmar`, `imorgon 08:00`, `2026-12-01 09:00`, `måndag
09:00`) go through small regular expressions: they take microseconds, while dateparser costs
~0.3 s on its first call (import and language data) and a millisecond or more after, and it
reads a bare past clock time as today, `1/12` as January 12 and `onsdag den 11 mars` as
year 2111. dateparser remains the fallback for the rest (`1 december 09:00`, `next friday
10:00`), guarded: the text must hold a clock time and the result must lie within a year.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import ParseError
from bot.domain.recurrence import Recurrence
from bot.grammar.words import plain

_TIME = re.compile(
    r"(?:\b(?:kl|klockan|at)\.?\s*(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?"
    r"|\b(?P<h2>\d{1,2})[:.](?P<m2>\d{2}))\b"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_RELATIVE = re.compile(r"^(?:om|in)\s+(?P<n>\d+|[a-z]+)\s*(?P<unit>[a-z]+)$")
_INTERVAL = re.compile(r"^(?P<n>\d+)?\s*(?::?(?:e|a|nd|rd|th|st)\b)?\s*(?P<unit>[a-z]+)$")
_FILLER = {"pa", "on", "at", "kl", "klockan", ",", "den", "nasta", "next", "kommande", "this"}

WEEKDAYS: dict[str, int] = {}
for _i, (_sv, _en) in enumerate(zip(
    ("mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag"),
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    strict=True,
)):
    WEEKDAYS.update(dict.fromkeys((_sv, _sv + "en", _sv + "ar", _sv + "arna", _sv + "s"), _i))
    WEEKDAYS.update(dict.fromkeys((_en, _en + "s", _en[:3]), _i))

DAY_WORDS = {
    "idag": 0, "i dag": 0, "today": 0, "imorgon": 1, "i morgon": 1, "tomorrow": 1,
    "overmorgon": 2, "i overmorgon": 2, "day after tomorrow": 2, "the day after tomorrow": 2,
}
NUMBERS = {
    "en": 1, "ett": 1, "a": 1, "an": 1, "one": 1, "tva": 2, "two": 2, "tre": 3, "three": 3,
    "fyra": 4, "four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6, "tio": 10, "ten": 10,
    "tolv": 12, "twelve": 12, "femton": 15, "fifteen": 15, "tjugo": 20, "twenty": 20,
    "trettio": 30, "thirty": 30,
}
ORDINALS = {  # "var tredje timme", "every third hour"; "andra" is also "other" (2)
    "annan": 2, "andra": 2, "other": 2, "second": 2, "tredje": 3, "third": 3, "fjarde": 4,
    "fourth": 4, "femte": 5, "fifth": 5, "sjatte": 6, "sixth": 6, "attonde": 8, "eighth": 8,
    "tolfte": 12, "twelfth": 12,
}
UNITS = {
    **dict.fromkeys(("minut", "minuter", "min", "mins", "m", "minute", "minutes"), 60),
    **dict.fromkeys(("timme", "timmar", "tim", "h", "t", "hour", "hours", "hr", "hrs"), 3600),
    **dict.fromkeys(("dag", "dagar", "dygn", "d", "day", "days"), 86400),
    **dict.fromkeys(("kvart", "quarter"), 900),
    **dict.fromkeys(("halvtimme", "halvtimma"), 1800),
}


def _bad(code: str, text: str) -> ParseError:
    return ParseError(code, value=text.strip())


def _clock(match: re.Match[str], text: str) -> time:
    hour = int(match.group("h1") or match.group("h2"))
    minute = int(match.group("m1") or match.group("m2") or 0)
    if hour > 23 or minute > 59:
        raise _bad("parse.bad_time", text)
    return time(hour, minute)


def _split_clock(s: str, text: str) -> tuple[time | None, list[str]]:
    """The clock time in `s` (the last one) and the other words, fillers dropped."""
    matches = list(_TIME.finditer(s))
    if not matches:
        return None, [w for w in s.replace(",", " ").split() if w not in _FILLER]
    last = matches[-1]
    rest = (s[: last.start()] + " " + s[last.end() :]).replace(",", " ")
    return _clock(last, text), [w for w in rest.split() if w not in _FILLER]


def _at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def _relative(s: str) -> timedelta | None:
    if s in ("om en halvtimme", "om en halv timme", "in half an hour"):
        return timedelta(minutes=30)
    match = _RELATIVE.match(s)
    if match is None or match.group("unit") not in UNITS:
        return None
    n_text = match.group("n")
    n = int(n_text) if n_text.isdigit() else NUMBERS.get(n_text)
    return None if n is None else timedelta(seconds=n * UNITS[match.group("unit")])


def _absolute(s: str, text: str, local_now: datetime, tz: ZoneInfo) -> datetime | None:
    clock, words = _split_clock(s, text)
    if clock is None:
        return None
    rest = " ".join(words)
    today = local_now.date()
    if not rest:
        at = _at(today, clock, tz)
        return at if at > local_now else _at(today + timedelta(days=1), clock, tz)
    if rest in DAY_WORDS:
        return _at(today + timedelta(days=DAY_WORDS[rest]), clock, tz)
    if (iso := _ISO_DATE.match(rest)) is not None:
        try:
            return _at(date(*(int(g) for g in iso.groups())), clock, tz)
        except ValueError:
            raise _bad("parse.bad_time", text) from None
    if rest in WEEKDAYS:
        ahead = (WEEKDAYS[rest] - today.weekday()) % 7
        at = _at(today + timedelta(days=ahead), clock, tz)
        return at if at > local_now else at + timedelta(days=7)
    return None


def _fallback(s: str, local_now: datetime, tz: ZoneInfo) -> datetime | None:
    if _TIME.search(s) is None and not re.search(r"\d\s*(?:am|pm)\b", s):
        return None
    import dateparser  # lazy: ~0.1 s to import, only needed for the rare forms

    settings = {
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "TIMEZONE": str(tz),
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
    }
    cleaned = re.sub(r"\b(?:kl|klockan)\.?\s*", "", s)
    found = dateparser.parse(cleaned, languages=["sv", "en"], settings=settings)
    if found is None or not local_now < found <= local_now + timedelta(days=366):
        return None
    return found


def parse_when(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """An absolute time (aware, UTC) from `14:00`, `om 2 timmar`, `imorgon 08:00`, ….

    A bare clock time already past today means tomorrow. Raises ParseError "parse.bad_time"
    if not understood, "parse.time_past" if it lies before `now`.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    s = plain(text)
    local_now = now.astimezone(tz)
    delta = _relative(s)
    # elapsed time: aware arithmetic in one zone would be wall-clock time across DST
    at = now.astimezone(UTC) + delta if delta is not None else _absolute(s, text, local_now, tz)
    if at is None:
        at = _fallback(s, local_now, tz)
    if at is None:
        raise _bad("parse.bad_time", text)
    if at < now:
        raise ParseError("parse.time_past", value=text.strip(),
                         at=at.astimezone(tz).strftime("%Y-%m-%d %H:%M"))
    return at.astimezone(UTC)


def _interval_seconds(s: str) -> int | None:
    words = s.split()
    if words and words[0] in ("var", "varje", "every", "each"):
        words = words[1:]
    if words and words[0] == "varannan":
        words[0] = "2"
    if words and words[0] in ORDINALS:
        words[0] = str(ORDINALS[words[0]])
    match = _INTERVAL.match(" ".join(words))
    if match is None or match.group("unit") not in UNITS:
        return None
    n = int(match.group("n") or 1)
    return n * UNITS[match.group("unit")] if n > 0 else None


_DELTA = re.compile(r"^\+?\s*(\d+)\s*(m|min|minut|minuter|h|t|tim|timme|timmar|d|dag|dagar|"
                    r"minutes?|hours?|days?)$")


def parse_delta(text: str) -> timedelta:
    """`+30m`, `+2h`, `+1d`, `+45 min`, `2 timmar` -> a positive timedelta (exercise clock)."""
    match = _DELTA.match(plain(text))
    if match is None or int(match.group(1)) <= 0:
        raise _bad("parse.bad_delta", text)
    unit = match.group(2)[0]
    seconds = {"m": 60, "h": 3600, "t": 3600, "d": 86400}[unit]
    return timedelta(seconds=int(match.group(1)) * seconds)


def parse_interval(text: str) -> timedelta:
    """`var 3:e timme`, `var 30:e minut`, `varannan timme`, `every 3 hours` -> timedelta."""
    seconds = _interval_seconds(plain(text).replace("every other", "varannan"))
    if seconds is None:
        raise _bad("parse.bad_interval", text)
    return timedelta(seconds=seconds)


_NTH = {
    "forsta": 1, "1:a": 1, "1a": 1, "first": 1, "1st": 1, "andra": 2, "2:a": 2, "2a": 2,
    "second": 2, "2nd": 2, "tredje": 3, "3:e": 3, "3e": 3, "third": 3, "3rd": 3,
    "fjarde": 4, "4:e": 4, "4e": 4, "fourth": 4, "4th": 4, "sista": -1, "last": -1,
}
_MONTH = {"manaden", "manad", "manadens", "month", "months", "monthly"}
_WEEK = {"vecka", "veckan", "veckor", "week", "weeks", "weekly"}
_RULE_FILLER = {"var", "varje", "every", "each", "i", "in", "of", "the", "a"}


def parse_rule(text: str) -> Recurrence:
    """`varje tisdag 09:00`, `första måndagen i månaden 13:00`, `var 3:e timme`, … (local)."""
    s = plain(text).replace("every other", "varannan")
    seconds = _interval_seconds(s)
    if seconds is not None:
        if seconds % 3600:
            raise _bad("parse.bad_rule", text)
        return Recurrence("hourly", interval=seconds // 3600, text=text.strip())
    clock, words = _split_clock(s, text)
    weekday, number, interval, seen = None, None, 1, set()
    for prev, word in zip(["", *words], words, strict=False):
        if word in WEEKDAYS and weekday is None:
            weekday = WEEKDAYS[word]
        elif word in ("varannan", "other") or (word == "andra" and prev in ("var", "varje")):
            interval = 2  # "varje andra tisdag" is every other Tuesday, not the second one
        elif (word in _NTH or word.isdigit()) and number is None:
            number = _NTH.get(word) or int(word)
        elif word in _MONTH or word in _WEEK:
            seen.add("month" if word in _MONTH else "week")
        elif word not in _RULE_FILLER:
            raise _bad("parse.bad_rule", text)
    if "week" in seen and "month" not in seen and number is not None:
        interval, number = number, None  # "var 2:a vecka tisdag", "every 2 weeks on tuesday"
    if weekday is None or ("month" in seen and number is None) or number not in _NTH_OK:
        raise _bad("parse.bad_rule", text)
    if clock is None:
        raise _bad("parse.rule_missing_time", text)
    if number is not None:
        return Recurrence("monthly", weekday=weekday, nth=number, hour=clock.hour,
                          minute=clock.minute, text=text.strip())
    return Recurrence("weekly", interval=interval, weekday=weekday, hour=clock.hour,
                      minute=clock.minute, text=text.strip())


_NTH_OK = {None, 1, 2, 3, 4, -1}
