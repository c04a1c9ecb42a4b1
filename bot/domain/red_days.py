"""Röda dagar: Swedish public holidays and the common days off (julafton, midsommarafton,
nyårsafton), on which a recurring meeting is flagged with a suggested working day.

The calendar comes from the `holidays` library (Sweden, categories `public` and `de_facto`,
Swedish names): `public` holds the statutory holidays (lag 1989:253 om allmänna helgdagar,
plus midsommarafton as the library lists it), `de_facto` julafton, midsommarafton and
nyårsafton, which are days off by custom and collective agreements. Ordinary Sundays are
not flagged: a rule that names a Sunday chose it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

SEARCH_DAYS = 14  # how far from a red day a working day is looked for


@lru_cache(maxsize=32)
def _year(year: int) -> dict[date, str]:
    found = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"),
                                      language="sv")
    return dict(found.items())


def red_day(day: date) -> str | None:
    """The Swedish name of the holiday or common day off on `day` (`Juldagen`), or None."""
    return _year(day.year).get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday and no red day."""
    return day.weekday() < 5 and red_day(day) is None


def alternative(day: date, not_before: date) -> date | None:
    """The working day nearest to `day`, the earlier one on a tie, not before `not_before`;
    None if none lies within SEARCH_DAYS."""
    for distance in range(1, SEARCH_DAYS + 1):
        for candidate in (day - timedelta(days=distance), day + timedelta(days=distance)):
            if candidate >= not_before and is_working_day(candidate):
                return candidate
    return None


@dataclass(frozen=True)
class RedOccurrence:
    """An occurrence (aware UTC) on a red day, its name and a suggested working day."""

    at: datetime
    name: str
    suggestion: date | None


def red_occurrences(occurrences: Iterable[datetime], tz: ZoneInfo,
                    today: date) -> list[RedOccurrence]:
    """The occurrences (aware) that fall on a red day in `tz`, in order, each with the
    nearest working day from `today` on."""
    found: list[RedOccurrence] = []
    for at in occurrences:
        day = at.astimezone(tz).date()
        name = red_day(day)
        if name is not None:
            found.append(RedOccurrence(at, name, alternative(day, today)))
    return found
