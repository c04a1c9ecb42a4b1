"""Exercises in rooms: their own numbering, their own clock, and the exercise report.

An exercise is an activation (and event) marked `exercise`. Its id carries the prefix `Ö`
(`Ö2026-003`) so it never takes a number of the real series. Its clock is stored per event
(a key-value row holding the simulated UTC time) and moves only when the exercise leader says
`klocka +30m`; everything in the exercise — calls, deadlines, conferences — runs on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.record import Participant

EXERCISE_PREFIX = "Ö"


def in_rooms(activation_id: str) -> bool:
    """An exercise in rooms (its own numbering and clock), as opposed to a real activation
    or an activation of a whole sandboxed process (`samverkan console --exercise`)."""
    return activation_id.startswith(EXERCISE_PREFIX)


def clock_key(event_id: int) -> str:
    """The key-value key holding an exercise event's simulated time (ISO 8601, UTC)."""
    return f"exercise-clock:{event_id}"


@dataclass(frozen=True)
class ActorResponse:
    """How fast one actor answered: its first acknowledgement after its first call."""

    actor: str
    first_called: datetime
    first_ack: datetime | None

    @property
    def delay(self) -> timedelta | None:
        return None if self.first_ack is None else self.first_ack - self.first_called


@dataclass(frozen=True)
class ExerciseReport:
    """Who acknowledged when (rows in call order), time to first acknowledgement per actor,
    and the called functions that never answered."""

    acks: list[Participant]
    actors: list[ActorResponse]
    silent: list[Participant]


def exercise_report(rows: list[Participant]) -> ExerciseReport:
    """Build the report from every participant row of the exercise (all its activations).

    Times are those of the exercise clock. An actor counts as answered as soon as any of its
    called functions acknowledged; `silent` lists rows never acknowledged nor covered.
    """
    acked = sorted((r for r in rows if r.acked_at is not None),
                   key=lambda r: (r.acked_at, r.function))
    by_actor: dict[str, list[Participant]] = {}
    for row in rows:
        by_actor.setdefault(row.actor, []).append(row)
    actors = []
    for actor, mine in by_actor.items():
        acks = [r.acked_at for r in mine if r.acked_at is not None]
        actors.append(ActorResponse(actor, min(r.called_at for r in mine),
                                    min(acks) if acks else None))
    actors.sort(key=lambda a: (a.delay is None, a.delay or timedelta(0), a.actor))
    silent = [r for r in rows if not r.answered]  # covered rows were answered for
    return ExerciseReport(acked, actors, silent)
