"""Intervals and recurrence rules as people say them: `var 3:e timme`, `varje tisdag 09:00`,
`första måndagen i månaden 13:00`, `sista fredagen i månaden 10:00` (and in English).

A rule's clock time is a wall-clock time in the region's zone (`bot.domain.recurrence`).
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.domain.errors import ParseError
from bot.domain.recurrence import Recurrence
from bot.grammar.days import WEEKDAYS
from bot.grammar.times import MAX_AHEAD_DAYS, UNITS, bounded_seconds, split_clock
from bot.grammar.words import is_number, plain

_INTERVAL = re.compile(r"^(?P<n>\d+)?\s*(?::?(?:e|a|nd|rd|th|st)\b)?\s*(?P<unit>[a-z]+)$")
ORDINALS = {  # "var tredje timme", "every third hour"; "andra" is also "other" (2)
    "annan": 2, "andra": 2, "other": 2, "second": 2, "tredje": 3, "third": 3, "fjarde": 4,
    "fourth": 4, "femte": 5, "fifth": 5, "sjatte": 6, "sixth": 6, "attonde": 8, "eighth": 8,
    "tolfte": 12, "twelfth": 12,
}
_NTH = {
    "forsta": 1, "1:a": 1, "1a": 1, "first": 1, "1st": 1, "andra": 2, "2:a": 2, "2a": 2,
    "second": 2, "2nd": 2, "tredje": 3, "3:e": 3, "3e": 3, "third": 3, "3rd": 3,
    "fjarde": 4, "4:e": 4, "4e": 4, "fourth": 4, "4th": 4, "sista": -1, "last": -1,
}
_NTH_OK = {None, 1, 2, 3, 4, -1}
_MONTH = {"manaden", "manad", "manadens", "month", "months", "monthly"}
_WEEK = {"vecka", "veckan", "veckor", "week", "weeks", "weekly"}
_RULE_FILLER = {"var", "varje", "every", "each", "i", "in", "of", "the", "a", "pa", "on",
                "at", "kl", "klockan", ","}


def _bad(code: str, text: str) -> ParseError:
    return ParseError(code, value=text.strip())


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
    return n * UNITS[match.group("unit")] if n > 0 else None  # a Python int: no overflow


def parse_interval(text: str) -> timedelta:
    """`var 3:e timme`, `var 30:e minut`, `varannan timme`, `every 3 hours` -> timedelta.
    Raises ParseError "parse.bad_interval", or "parse.interval_too_long" (params `value`,
    `max` days) beyond MAX_AHEAD_DAYS."""
    seconds = _interval_seconds(plain(text).replace("every other", "varannan"))
    if seconds is None:
        raise _bad("parse.bad_interval", text)
    return bounded_seconds(seconds, 1, text, code="parse.interval_too_long",
                           max_days=MAX_AHEAD_DAYS)


def parse_rule(text: str) -> Recurrence:
    """`varje tisdag 09:00`, `första måndagen i månaden 13:00`, `var 3:e timme`, … (local
    wall-clock time). Raises ParseError "parse.bad_rule", "parse.rule_missing_time" or the
    clock's own codes (`parse.bad_clock` for 24:00)."""
    s = plain(text).replace("every other", "varannan")
    seconds = _interval_seconds(s)
    if seconds is not None:
        if seconds % 3600:
            raise _bad("parse.bad_rule", text)
        return Recurrence("hourly", interval=seconds // 3600, text=text.strip())
    clock, rest = split_clock(s, text)
    words = [w for w in rest.replace(",", " ").split()]
    weekday, number, interval, seen = None, None, 1, set()
    for prev, word in zip(["", *words], words, strict=False):
        if word in WEEKDAYS and weekday is None:
            weekday = WEEKDAYS[word]
        elif word in ("varannan", "other") or (word == "andra" and prev in ("var", "varje")):
            interval = 2  # "varje andra tisdag" is every other Tuesday, not the second one
        elif (word in _NTH or is_number(word)) and number is None:
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
    at = clock.at
    if number is not None:
        return Recurrence("monthly", weekday=weekday, nth=number, hour=at.hour,
                          minute=at.minute, text=text.strip())
    return Recurrence("weekly", interval=interval, weekday=weekday, hour=at.hour,
                      minute=at.minute, text=text.strip())
