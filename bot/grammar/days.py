"""The day part of a time phrase: `i morgon`, `nästa tisdag`, `25 december`, `julafton`,
`ikväll`, `tomorrow morning`, … read exactly, never guessed.

Input is `plain` text (lower case, no accents) with the clock time already taken out. The
result is a `DayPhrase`: which day (or how to find it) and which part of the day. Every way
the words can contradict each other or be read twice is refused with a `ParseError` whose
`suggestion` is a phrase that would have been understood:

- a month without a day (`december 10:00`) is no date; `jul` is Christmas in Swedish and
  July in English, so it is refused with both readings;
- `1/12` is 1 December in Sweden and 12 January in the US: refused, write the month;
- a weekday that contradicts the date (`torsdag 25 december` in 2026), a date that does not
  exist (`30 februari`), two different days (`i morgon fredag` on a Tuesday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.errors import ParseError

WEEKDAY_NAMES = {
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
}
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
               "september", "oktober", "november", "december")
_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")

WEEKDAYS: dict[str, int] = {}
for _i, (_sv, _en) in enumerate(zip(
    ("mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag"),
    WEEKDAY_NAMES["en"], strict=True,
)):
    WEEKDAYS.update(dict.fromkeys((_sv, _sv + "en", _sv + "ar", _sv + "arna", _sv + "s"), _i))
    WEEKDAYS.update(dict.fromkeys((_en, _en + "s", _en[:3]), _i))

MONTHS: dict[str, int] = {}
for _i, (_sv, _en) in enumerate(zip(MONTH_NAMES, _EN_MONTHS, strict=True), start=1):
    MONTHS.update(dict.fromkeys((_sv, _en, _en[:3], _sv[:3]), _i))
MONTHS.update({"sept": 9, "sep": 9, "okt": 10, "maj": 5, "may": 5})
del MONTHS["jul"]  # Christmas in Swedish: see AMBIGUOUS

DAY_OFFSETS = {"idag": 0, "today": 0, "imorgon": 1, "tomorrow": 1, "overmorgon": 2,
               "igar": -1, "yesterday": -1, "forrgar": -2}

# part of the day: (default hour, first hour, last hour, 12-hour reading adds 12)
PARTS: dict[str, tuple[int, int, int, bool]] = {
    "bitti": (7, 4, 9, False), "morgon": (8, 4, 11, False), "morning": (8, 4, 11, False),
    "formiddag": (10, 6, 12, False), "forenoon": (10, 6, 12, False),
    "lunch": (12, 11, 13, False), "noon": (12, 12, 12, False),
    "eftermiddag": (14, 12, 18, True), "afternoon": (14, 12, 18, True),
    "kvall": (19, 17, 23, True), "evening": (19, 17, 23, True), "tonight": (19, 17, 23, True),
}
_PART_FORMS = {"morgonen": "morgon", "formiddagen": "formiddag", "eftermiddagen": "eftermiddag",
               "kvallen": "kvall", "ikvall": "tonight", "ieftermiddag": "eftermiddag",
               "iformiddag": "formiddag"}

# Fixed-date days everyone knows by name; midsommarafton is the Friday 19–25 June.
HOLIDAYS: dict[str, tuple[int, int] | None] = {
    "julafton": (12, 24), "christmas_eve": (12, 24), "juldagen": (12, 25),
    "christmas_day": (12, 25), "christmas": (12, 25), "annandag_jul": (12, 26),
    "boxing_day": (12, 26), "nyarsafton": (12, 31), "new_years_eve": (12, 31),
    "nyarsdagen": (1, 1), "new_years_day": (1, 1), "trettondedag_jul": (1, 6),
    "nationaldagen": (6, 6), "midsommarafton": None,
}
AMBIGUOUS = {  # word → (error code, a phrase to write instead)
    "jul": ("parse.ambiguous_jul", "julafton 10:00"),
    "inatt": ("parse.ambiguous_night", "i morgon 02:00"),
    "natt": ("parse.ambiguous_night", "i morgon 02:00"),
    "midnatt": ("parse.ambiguous_night", "i morgon 00:00"),
    "midnight": ("parse.ambiguous_night", "tomorrow 00:00"),
}
_PHRASES = (  # multi-word forms joined into one token, longest first
    ("the day after tomorrow", "overmorgon"), ("day after tomorrow", "overmorgon"),
    ("i overmorgon", "overmorgon"), ("i morgon", "imorgon"), ("i dag", "idag"),
    ("i gar", "igar"), ("i kvall", "ikvall"), ("i eftermiddag", "ieftermiddag"),
    ("i formiddag", "iformiddag"), ("this evening", "tonight"), ("this afternoon", "afternoon"),
    ("this morning", "morning"), ("annandag jul", "annandag_jul"),
    ("trettondedag jul", "trettondedag_jul"), ("christmas eve", "christmas_eve"),
    ("christmas day", "christmas_day"), ("new year's eve", "new_years_eve"),
    ("new years eve", "new_years_eve"), ("new year's day", "new_years_day"),
    ("new years day", "new_years_day"), ("i natt", "inatt"),
)
_FILLER = {"pa", "on", "at", "den", "the", "kommande", "this", "om", "of", "in", ",", "i"}
_NEXT = {"nasta", "next"}
_DAY_NUMBER = re.compile(r"^(\d{1,2})(?::?(?:a|e|st|nd|rd|th))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH = re.compile(r"^\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class DayPhrase:
    """What the words said about the day. All fields None: no day was named."""

    offset: int | None = None  # days from today
    weekday: int | None = None
    next_week: bool = False  # `nästa tisdag`: never today
    on: date | None = None  # a calendar date
    part: str | None = None  # a key of PARTS

    @property
    def named(self) -> bool:
        return self.offset is not None or self.weekday is not None or self.on is not None


def bad(code: str, value: str, **params: object) -> ParseError:
    """A ParseError with `code`, the user's phrase as `value` and further params."""
    return ParseError(code, value=value.strip(), **params)


def read_days(words: str, text: str, today: date) -> DayPhrase:
    """The day phrase in `words` (plain, clock removed). `text` is the user's original, for
    messages. Raises ParseError for anything unknown, ambiguous or contradictory."""
    for phrase, token in _PHRASES:
        words = re.sub(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", token, words)
    tokens = [_PART_FORMS.get(w, w) for w in words.replace(",", " ").split()
              if w not in _FILLER]
    found, parts = DayPhrase(), _DateParts(today)
    for token in tokens:
        _ambiguous(token, text)
        if not _day_word(found, token, text) and not parts.take(token, found, text):
            raise bad("parse.bad_time", text)
    if parts.month is not None or parts.day is not None or parts.year is not None:
        _set(found, "on", _calendar_date(parts.day, parts.month, parts.year, text, today),
             text)
    _check(found, text, today)
    return found


def _ambiguous(token: str, text: str) -> None:
    if token in AMBIGUOUS:
        code, instead = AMBIGUOUS[token]
        raise bad(code, text, suggestion=instead)
    if _SLASH.match(token):  # 1/12: 1 December in Sweden, 12 January in the US
        raise bad("parse.ambiguous_date", text, suggestion="1 december 10:00")


def _day_word(found: DayPhrase, token: str, text: str) -> bool:
    """Takes a word naming a day or a part of one; False if it is none of those."""
    if token in _NEXT:
        found.next_week = True
    elif token == "tonight":
        _set(found, "offset", 0, text)
        _set(found, "part", "kvall", text)
    elif token in PARTS:
        _set(found, "part", token, text)
    elif token in DAY_OFFSETS:
        _set(found, "offset", DAY_OFFSETS[token], text)
    elif token in WEEKDAYS:
        _set(found, "weekday", WEEKDAYS[token], text)
    else:
        return False
    return True


@dataclass
class _DateParts:
    """Day number, month and year seen so far, in any order (`25 december 2026`,
    `december 25th`, `2026-12-25`), and named days (`julafton`)."""

    today: date
    day: int | None = None
    month: int | None = None
    year: int | None = None

    def take(self, token: str, found: DayPhrase, text: str) -> bool:
        if token in HOLIDAYS:
            _set(found, "on", holiday(token, self.today), text)
        elif (iso := _ISO.match(token)) is not None and self.day is None:
            self.year, self.month, self.day = (int(g) for g in iso.groups())
        elif token in MONTHS and self.month is None:
            self.month = MONTHS[token]
        elif (number := _DAY_NUMBER.match(token)) is not None and self.day is None:
            self.day = int(number.group(1))
        elif _YEAR.match(token) and self.year is None:
            self.year = int(token)
        else:
            return False
        return True


def _set(found: DayPhrase, name: str, value: object, text: str) -> None:
    if getattr(found, name) not in (None, False) and getattr(found, name) != value:
        raise bad("parse.two_days", text, suggestion="i morgon 10:00")
    setattr(found, name, value)


def _calendar_date(day: int | None, month: int | None, year: int | None, text: str,
                   today: date) -> date:
    if month is None:
        raise bad("parse.bad_time", text)
    if day is None:
        raise bad("parse.month_without_day", text,
                  suggestion=f"1 {MONTH_NAMES[month - 1]} 10:00")
    try:
        if year is not None:
            return date(year, month, day)
        this_year = date(today.year, month, day) if _exists(today.year, month, day) else None
        if this_year is not None and this_year >= today:
            return this_year
        return date(today.year + 1, month, day)
    except ValueError:
        last = _last_day(year or today.year, month)
        raise bad("parse.no_such_date", text, date=f"{day} {MONTH_NAMES[month - 1]}",
                  suggestion=f"{last} {MONTH_NAMES[month - 1]} 10:00") from None


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _last_day(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _check(found: DayPhrase, text: str, today: date) -> None:
    """A weekday or `i morgon` beside a date must name the same day."""
    on = found.on
    if on is None and found.offset is not None:
        on = today + timedelta(days=found.offset)
        if found.weekday is None:
            return
    if on is None or found.weekday is None:
        return
    if on.weekday() != found.weekday:
        right = WEEKDAY_NAMES["sv"][on.weekday()]
        raise bad("parse.weekday_mismatch", text, date=_day_text(on),
                  weekday=right, suggestion=f"{right} {_day_text(on)} 10:00")


def _day_text(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def holiday(name: str, today: date) -> date:
    """The next day (today or later) called `name` (a key of HOLIDAYS)."""
    for year in (today.year, today.year + 1):
        fixed = HOLIDAYS[name]
        if fixed is None:  # midsommarafton: the Friday between 19 and 25 June
            june19 = date(year, 6, 19)
            day = june19 + timedelta(days=(4 - june19.weekday()) % 7)
        else:
            day = date(year, *fixed)
        if day >= today:
            return day
    raise AssertionError("unreachable: a named day recurs every year")


def resolve(found: DayPhrase, today: date) -> date | None:
    """The day named, or None when only the clock decides (`14:00`, `ikväll` aside)."""
    if found.on is not None:
        return found.on
    if found.offset is not None:
        return today + timedelta(days=found.offset)
    if found.weekday is not None:
        ahead = (found.weekday - today.weekday()) % 7
        if found.next_week and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    return None
