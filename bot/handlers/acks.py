"""Acknowledgement deadlines: a called function silent past its deadline goes to its deputy,
then to the actor's fallback function. Driven by the clock (scheduler or exercise clock).

A step whose target has already acknowledged in the activation (the fallback function called
and acknowledged, or the next person acknowledged as another function) covers the row
instead: nobody who has acknowledged is chased or told they have not (timeline kind "täckt").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.effects import InvitePeople, Post, RoomRef
from bot.domain.exercises import in_rooms
from bot.domain.ports import UnitOfWork
from bot.domain.record import EntryKind, Participant, Stage, TimelineEntry
from bot.domain.roster import FunctionRef, Roster
from bot.handlers.context import exercise_marked
from bot.texts import t


async def escalate_overdue(uow: UnitOfWork, roster: Roster, now: datetime, *,
                           only: set[str] | None = None, skip_exercises: bool = False) -> int:
    """Moves every overdue row one step on; returns how many rows changed. Caller commits.

    `only`: just these activations (an exercise whose clock moved to `now`);
    `skip_exercises`: leave exercises alone (the real clock does not drive their deadlines).
    """
    changed = 0
    for row in await uow.participants.overdue(now):
        if only is not None and row.activation_id not in only:
            continue
        activation = await uow.activations.get(row.activation_id)
        if activation is None or (skip_exercises and activation.exercise):
            continue
        silent = row.person
        kind, text = await _step(uow, roster, row, now)
        if in_rooms(activation.id):
            text = exercise_marked(text)
        await uow.timeline.append(TimelineEntry(
            id=None, event_id=activation.event_id, activation_id=activation.id, at=now,
            kind=kind, person=None, function=row.function, actor=row.actor,
            text=text, data={"stage": row.stage.value, "person": row.person,
                             **({"covered_by": row.covered_by} if row.covered_by else {})},
        ))
        await uow.outbox.add(Post(room=RoomRef("activation", activation.id), text=text,
                                  mentions=list(dict.fromkeys([silent, row.person]))))
        changed += 1
    return changed


async def _step(uow: UnitOfWork, roster: Roster, row: Participant,
                now: datetime) -> tuple[EntryKind, str]:
    """One step for an overdue row: covered by an acknowledgement already in the activation,
    else the deputy, then the actor's fallback function, else nobody further."""
    ref = FunctionRef.parse(row.function)
    label = roster.function_label(ref)
    silent = row.person
    minutes = roster.ack_minutes(ref)
    acked = await _acknowledged(uow, row.activation_id)
    if silent in acked:  # reached and present: told "not acknowledged" would be false
        return await _covered(uow, roster, row, acked[silent], silent=silent)
    nxt = _next_person(roster, row, ref, now)
    if nxt is None:
        row.deadline = None
        await uow.participants.update(row)
        return EntryKind.ESCALATED_ACK, t("sv", "ack.no_more", function=label, person=silent)
    stage, person = nxt
    row.holder = row.holder or silent
    row.person, row.stage = person, stage
    fallback = roster.fallback(ref, now)
    if stage is Stage.FALLBACK and fallback is not None and str(fallback[0]) in acked.values():
        return await _covered(uow, roster, row, str(fallback[0]), silent=silent)
    if person in acked:
        return await _covered(uow, roster, row, acked[person], silent=silent)
    row.deadline = now + timedelta(minutes=minutes)
    await uow.participants.update(row)
    chair = await _chair_person(uow, roster, row.activation_id, now)
    await uow.outbox.add(InvitePeople(activation_id=row.activation_id, people=[person],
                                      by=chair))
    code = "ack.to_deputy" if stage is Stage.DEPUTY else "ack.to_fallback"
    return EntryKind.ESCALATED_ACK, t("sv", code, function=label, silent=silent, person=person,
                                      minutes=minutes)


async def _acknowledged(uow: UnitOfWork, activation_id: str) -> dict[str, str]:
    """Person → the function they acknowledged as, for every acknowledged row."""
    out: dict[str, str] = {}
    for p in await uow.participants.of_activation(activation_id):
        if p.acked_at is not None:
            out.setdefault(p.acked_by or p.person, p.function)
    return out


async def _covered(uow: UnitOfWork, roster: Roster, row: Participant, by: str, *,
                   silent: str) -> tuple[EntryKind, str]:
    """Store `row` as answered by the acknowledged function `by`; the timeline text."""
    row.covered_by, row.deadline = by, None
    await uow.participants.update(row)
    code = "ack.covered_self" if row.person == silent else "ack.covered"
    label = roster.function_label(FunctionRef.parse(row.function))
    return EntryKind.COVERED, t("sv", code, function=label, silent=silent, person=row.person,
                                by=roster.function_label(FunctionRef.parse(by)))


async def _chair_person(uow: UnitOfWork, roster: Roster, activation_id: str,
                       now: datetime) -> str | None:
    """The chair's current holder: told (with the war room) when a deputy cannot be
    invited."""
    activation = await uow.activations.get(activation_id)
    if activation is None:
        return None
    return roster.holder(FunctionRef.parse(activation.chair), now)


def _next_person(
    roster: Roster, row: Participant, ref: FunctionRef, now: datetime
) -> tuple[Stage, str] | None:
    """Deputy after the holder, the actor's fallback after the deputy; skip the silent ones."""
    tried = {row.person, row.holder}
    if row.stage is Stage.HOLDER:
        deputy = roster.deputy(ref, now)
        if deputy is not None and deputy not in tried:
            return Stage.DEPUTY, deputy
    if row.stage in (Stage.HOLDER, Stage.DEPUTY):
        fallback = roster.fallback(ref, now)
        if fallback is not None and fallback[1] not in tried:
            return Stage.FALLBACK, fallback[1]
    return None
