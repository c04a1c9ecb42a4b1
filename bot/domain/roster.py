"""The region as data: people, actors, functions, forums, scenarios (validated with pydantic).

The roster says *who holds a function when*; everything else in the bot calls people by
function and mandate and asks the roster for the current holder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator


class Level(StrEnum):
    DIRECTING = "inriktande"
    COORDINATING = "samordnande"
    EXECUTIVE = "verkstallande"


class Mode(StrEnum):
    ORDINARY = "ordinarie"
    ACTIVATED = "aktiverat"


LEVEL_RANK = {Level.EXECUTIVE: 0, Level.COORDINATING: 1, Level.DIRECTING: 2}


def _key(value: str) -> str:
    if not value or value != value.strip() or any(c in value for c in " @#,"):
        raise ValueError(f"nyckeln {value!r} måste vara icke-tom, utan mellanslag och utan @ # ,")
    return value


Key = Annotated[str, AfterValidator(_key)]


@dataclass(frozen=True, order=True)
class FunctionRef:
    """`<funktion>@<aktör>` as keys; the actor key `*` means any actor (permissions only)."""

    function: str
    actor: str

    @classmethod
    def parse(cls, text: str) -> FunctionRef:
        function, sep, actor = text.partition("@")
        if not sep or not function or not actor:
            raise ValueError(f"{text!r} is not of the form funktion@aktör")
        return cls(function.strip(), actor.strip())

    def __str__(self) -> str:
        return f"{self.function}@{self.actor}"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Model):
    key: Key
    name: str
    matrix_id: str | None = None
    email: str | None = None
    slack_id: str | None = None
    phone: str | None = None
    # Where a person on both platforms is invited when an activation has a war room on each
    # (`bot.domain.bridge.preferred`; without it: Matrix).
    prefers: Literal["matrix", "slack"] | None = None


class Rotation(_Model):
    """An on-call rotation: `people[i]` holds the function during shift i, cyclically."""

    start: datetime
    shift_hours: int = Field(default=168, gt=0)
    people: list[Key] = Field(min_length=1)
    timezone: str = "Europe/Stockholm"

    @model_validator(mode="after")
    def _aware(self) -> Rotation:
        if self.start.tzinfo is None:
            raise ValueError(
                "rotationens start måste ha UTC-offset, t.ex. 2026-01-05T08:00:00+01:00"
            )
        return self

    def index_at(self, at: datetime) -> int:
        """Shifts are counted on the wall clock, so a 08:00 handover stays at 08:00 in
        summer time too."""
        tz = ZoneInfo(self.timezone)
        start = self.start.astimezone(tz).replace(tzinfo=None)
        now = at.astimezone(tz).replace(tzinfo=None)
        shifts = (now - start) // timedelta(hours=self.shift_hours)
        return int(shifts) % len(self.people)


class Function(_Model):
    key: Key
    name: str
    aliases: list[str] = []
    holder: Key | None = None
    rotation: Rotation | None = None
    deputy: Key | None = None
    ack_minutes: int | None = Field(default=None, gt=0)
    mandate: list[Level] = []

    @model_validator(mode="after")
    def _one_holder(self) -> Function:
        if (self.holder is None) == (self.rotation is None):
            raise ValueError(f"funktionen {self.key!r} ska ha antingen 'holder' eller 'rotation'")
        return self

    def holder_at(self, at: datetime) -> str:
        if self.rotation is not None:
            return self.rotation.people[self.rotation.index_at(at)]
        assert self.holder is not None
        return self.holder

    def deputy_at(self, at: datetime) -> str | None:
        """The named deputy, else the next person of the rotation."""
        if self.deputy is not None:
            return self.deputy
        if self.rotation is not None and len(self.rotation.people) > 1:
            i = self.rotation.index_at(at)
            return self.rotation.people[(i + 1) % len(self.rotation.people)]
        return None

    def members(self) -> set[str]:
        people = set(self.rotation.people) if self.rotation else {self.holder or ""}
        if self.deputy:
            people.add(self.deputy)
        return people - {""}


class Actor(_Model):
    key: Key
    name: str
    short: str | None = None
    aliases: list[str] = []
    kind: str = "aktör"
    functions: list[Function] = Field(min_length=1)
    fallback: Key | None = None

    @model_validator(mode="after")
    def _fallback_known(self) -> Actor:
        keys = [f.key for f in self.functions]
        if len(keys) != len(set(keys)):
            raise ValueError(f"aktören {self.key!r} har flera funktioner med samma nyckel")
        if self.fallback is not None and self.fallback not in keys:
            raise ValueError(
                f"aktören {self.key!r}: fallback {self.fallback!r} är inte en av dess funktioner"
            )
        return self

    @property
    def display(self) -> str:
        return self.short or self.name

    def function(self, key: str) -> Function | None:
        return next((f for f in self.functions if f.key == key), None)


class StandingRooms(_Model):
    matrix: str | None = None
    slack: str | None = None
    console: str | None = None


class Forum(_Model):
    key: Key
    name: str
    aliases: list[str] = []
    level: Level
    mode: Mode = Mode.ACTIVATED
    calls: list[str] = Field(min_length=1)
    may_activate: list[str] = []
    escalates_to: Key | None = None
    chair: str | None = None
    meeting_rule: str | None = None
    standing_room: StandingRooms = StandingRooms()

    @cached_property
    def call_refs(self) -> list[FunctionRef]:
        return [FunctionRef.parse(c) for c in self.calls]


class MessageTemplate(_Model):
    """A common public message prepared in a playbook; `budskap mall <key>` fills it in.

    Placeholders: {rubrik} (the activation's title), {forum}, {datum} and {tid} (now, local),
    {region}; unknown ones stay as written for the proposer to edit."""

    key: Key
    name: str
    text: str


class Scenario(_Model):
    """A playbook: the default forum, extra calls, conference rhythm, agenda additions, the
    checklist posted in the war room (`klar <nr>`) and message templates (`budskap mall`)."""

    key: Key
    name: str
    aliases: list[str] = []
    description: str | None = None
    forum: Key
    extra_calls: list[str] = []
    conference_every_hours: float | None = Field(default=None, gt=0)
    agenda: list[str] = []
    checklist: list[str] = []
    templates: list[MessageTemplate] = []
    resources: list[str] = []  # typical resources: `resurs behov band…` completes to them


class Region(_Model):
    name: str
    timezone: str = "Europe/Stockholm"
    convener: str = "tib@lansstyrelsen"
    ack_minutes: int = Field(default=10, gt=0)
    reminder_minutes: list[int] = [15, 5]

    @property
    def convener_ref(self) -> FunctionRef:
        return FunctionRef.parse(self.convener)


class Roster(_Model):
    region: Region
    people: list[Person]
    actors: list[Actor]
    forums: list[Forum]
    scenarios: list[Scenario] = []

    # -- indexes -------------------------------------------------------------------------
    @cached_property
    def people_by_key(self) -> dict[str, Person]:
        return {p.key: p for p in self.people}

    @cached_property
    def actors_by_key(self) -> dict[str, Actor]:
        return {a.key: a for a in self.actors}

    @cached_property
    def forums_by_key(self) -> dict[str, Forum]:
        return {f.key: f for f in self.forums}

    @cached_property
    def scenarios_by_key(self) -> dict[str, Scenario]:
        return {s.key: s for s in self.scenarios}

    @cached_property
    def person_by_matrix_id(self) -> dict[str, Person]:
        return {p.matrix_id: p for p in self.people if p.matrix_id}

    @cached_property
    def person_by_email(self) -> dict[str, Person]:
        return {p.email.lower(): p for p in self.people if p.email}

    @cached_property
    def functions_of_person(self) -> dict[str, list[FunctionRef]]:
        """Every function a person can serve in (holder, rotation member or deputy)."""
        out: dict[str, list[FunctionRef]] = {}
        for actor in self.actors:
            for fn in actor.functions:
                for person in sorted(fn.members()):
                    out.setdefault(person, []).append(FunctionRef(fn.key, actor.key))
        return out

    # -- lookups -------------------------------------------------------------------------
    def actor(self, key: str) -> Actor:
        return self.actors_by_key[key]

    def function(self, ref: FunctionRef) -> Function:
        fn = self.actors_by_key[ref.actor].function(ref.function)
        if fn is None:
            raise KeyError(str(ref))
        return fn

    def person(self, key: str) -> Person:
        return self.people_by_key[key]

    def forum(self, key: str) -> Forum:
        return self.forums_by_key[key]

    def holder(self, ref: FunctionRef, at: datetime) -> str:
        return self.function(ref).holder_at(at)

    def deputy(self, ref: FunctionRef, at: datetime) -> str | None:
        return self.function(ref).deputy_at(at)

    def fallback(self, ref: FunctionRef, at: datetime) -> tuple[FunctionRef, str] | None:
        """The actor's fallback function and its holder, unless that is the function itself."""
        actor = self.actor(ref.actor)
        if actor.fallback is None or actor.fallback == ref.function:
            return None
        fb = FunctionRef(actor.fallback, actor.key)
        return fb, self.holder(fb, at)

    def ack_minutes(self, ref: FunctionRef) -> int:
        return self.function(ref).ack_minutes or self.region.ack_minutes

    def function_label(self, ref: FunctionRef) -> str:
        """Human label, e.g. 'TiB Länsstyrelsen'."""
        fn = self.function(ref)
        short = fn.aliases[0] if fn.aliases else fn.name
        return f"{short} {self.actor(ref.actor).display}"

    def holds(self, person: str, ref: FunctionRef) -> bool:
        return ref in self.functions_of_person.get(person, [])

    def mandate_levels(self, person: str) -> set[Level]:
        levels: set[Level] = set()
        for ref in self.functions_of_person.get(person, []):
            levels.update(self.function(ref).mandate)
        return levels
