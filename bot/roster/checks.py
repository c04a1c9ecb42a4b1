"""Cross-reference checks of a roster: every key a roster uses must name something it defines.

Each problem carries its location as an index path into the source data (e.g.
`("forums", 0, "calls", 4)`) so that a loader can turn it into a file line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from bot.domain.roster import FunctionRef

if TYPE_CHECKING:
    from bot.domain.roster import Function, Roster

Loc = tuple[str | int, ...]

_MATRIX_ID = re.compile(r"^@[^:\s]+:\S+$")


class RosterIssue(NamedTuple):
    loc: Loc
    message: str


def render_loc(loc: Loc) -> str:
    """`("forums", 0, "calls", 4)` → `forums[0].calls[4]`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class CrossReferenceError(ValueError):
    """Raised by `validated_roster`; keeps the structured issues for located reports."""

    def __init__(self, issues: Sequence[RosterIssue]) -> None:
        super().__init__("; ".join(f"{render_loc(i.loc)}: {i.message}" for i in issues))
        self.issues = list(issues)


def validated_roster(data: Mapping[str, Any]) -> Roster:
    """A roster from plain data (e.g. parsed TOML), checked field by field and across.

    Raises pydantic's `ValidationError` for a malformed field and `CrossReferenceError` for a
    key that names nothing the roster defines. `bot.roster.loader.load_roster` does the same
    for files and adds file:line locations.
    """
    from bot.domain.roster import Roster

    roster = Roster.model_validate(data)
    issues = cross_check(roster)
    if issues:
        raise CrossReferenceError(issues)
    return roster


def cross_check(roster: Roster) -> list[RosterIssue]:
    """Every reference between sections (holders, deputies, forum members, scenarios) checked;
    an empty list means the roster is consistent. Each issue carries its index path."""
    duplicates = list(_duplicates(roster))
    if duplicates:  # every lookup by key is ambiguous until these are fixed
        return duplicates
    issues = [*_people(roster), *_members(roster), *_region(roster)]
    return [*issues, *_forums(roster), *_scenarios(roster)]


def _duplicates(roster: Roster) -> Iterable[RosterIssue]:
    sections: tuple[tuple[str, Sequence[object]], ...] = (
        ("people", roster.people),
        ("actors", roster.actors),
        ("forums", roster.forums),
        ("scenarios", roster.scenarios),
    )
    for name, items in sections:
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            key: str = getattr(item, "key")  # noqa: B009 - every section item has a key
            if key in first:
                yield RosterIssue(
                    (name, i, "key"), f"nyckeln {key!r} finns redan ({name}[{first[key]}])"
                )
            else:
                first[key] = i


def _people(roster: Roster) -> Iterable[RosterIssue]:
    seen: dict[tuple[str, str], str] = {}
    for i, person in enumerate(roster.people):
        if person.matrix_id is not None and not _MATRIX_ID.match(person.matrix_id):
            yield RosterIssue(
                ("people", i, "matrix_id"),
                f"{person.matrix_id!r} är inget Matrix-id (form: @namn:server)",
            )
        if person.email is not None and "@" not in person.email:
            yield RosterIssue(("people", i, "email"), f"{person.email!r} är ingen e-postadress")
        if person.prefers == "matrix" and not person.matrix_id:
            yield RosterIssue(("people", i, "prefers"), "prefers = \"matrix\" men personen har "
                              "inget matrix_id")
        if person.prefers == "slack" and not (person.email or person.slack_id):
            yield RosterIssue(("people", i, "prefers"), "prefers = \"slack\" men personen har "
                              "varken email eller slack_id")
        for field in ("matrix_id", "email", "slack_id"):
            value = getattr(person, field)
            if value is None:
                continue
            other = seen.setdefault((field, value.lower()), person.key)
            if other != person.key:
                yield RosterIssue(
                    ("people", i, field), f"{value!r} används redan av personen {other!r}"
                )


def _members(roster: Roster) -> Iterable[RosterIssue]:
    people = roster.people_by_key
    for a, actor in enumerate(roster.actors):
        for f, fn in enumerate(actor.functions):
            for field, person in _person_fields(fn):
                if person not in people:
                    yield RosterIssue(
                        ("actors", a, "functions", f, *field), f"okänd person {person!r}"
                    )


def _person_fields(fn: Function) -> Iterable[tuple[Loc, str]]:
    if fn.holder is not None:
        yield ("holder",), fn.holder
    if fn.rotation is not None:
        for k, person in enumerate(fn.rotation.people):
            yield ("rotation", "people", k), person
    if fn.deputy is not None:
        yield ("deputy",), fn.deputy


def _region(roster: Roster) -> Iterable[RosterIssue]:
    if (err := check_ref(roster, roster.region.convener)) is not None:
        yield RosterIssue(("region", "convener"), err)
    try:
        ZoneInfo(roster.region.timezone)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        yield RosterIssue(("region", "timezone"), f"okänd tidszon {roster.region.timezone!r}")
    for i, minutes in enumerate(roster.region.reminder_minutes):
        if minutes <= 0:
            yield RosterIssue(("region", "reminder_minutes", i), "ska vara större än 0")


def _forums(roster: Roster) -> Iterable[RosterIssue]:
    for n, forum in enumerate(roster.forums):
        seen: set[str] = set()
        for i, call in enumerate(forum.calls):
            if (err := check_ref(roster, call)) is not None:
                yield RosterIssue(("forums", n, "calls", i), err)
            elif call in seen:
                yield RosterIssue(("forums", n, "calls", i), f"{call!r} kallas redan")
            seen.add(call)
        for i, who in enumerate(forum.may_activate):
            if (err := check_ref(roster, who, wildcard=True)) is not None:
                yield RosterIssue(("forums", n, "may_activate", i), err)
        if forum.chair and (err := check_ref(roster, forum.chair)) is not None:
            yield RosterIssue(("forums", n, "chair"), err)
        target = forum.escalates_to
        if target is not None and (target not in roster.forums_by_key or target == forum.key):
            what = "sig själv" if target == forum.key else f"okänt forum {target!r}"
            yield RosterIssue(("forums", n, "escalates_to"), f"eskalerar till {what}")


def _scenarios(roster: Roster) -> Iterable[RosterIssue]:
    for n, sc in enumerate(roster.scenarios):
        if sc.forum not in roster.forums_by_key:
            yield RosterIssue(("scenarios", n, "forum"), f"okänt forum {sc.forum!r}")
        for i, call in enumerate(sc.extra_calls):
            if "@" in call:
                err = check_ref(roster, call)
            else:
                err = None if call in roster.actors_by_key else f"okänd aktör {call!r}"
            if err is not None:
                yield RosterIssue(("scenarios", n, "extra_calls", i), err)


def check_ref(roster: Roster, text: str, *, wildcard: bool = False) -> str | None:
    """Why `text` (`funktion@aktör`) names no function of the roster, or None if it does.

    With `wildcard`, `*` may stand for the function or the actor (permissions)."""
    try:
        ref = FunctionRef.parse(text)
    except ValueError:
        return f"{text!r} har inte formen funktion@aktör"
    if wildcard and ref.actor == "*":
        known = ref.function == "*" or any(a.function(ref.function) for a in roster.actors)
        return None if known else f"ingen aktör har funktionen {ref.function!r}"
    actor = roster.actors_by_key.get(ref.actor)
    if actor is None:
        return f"okänd aktör {ref.actor!r} i {text!r}"
    if (wildcard and ref.function == "*") or actor.function(ref.function) is not None:
        return None
    return f"aktören {ref.actor!r} har ingen funktion {ref.function!r}"
