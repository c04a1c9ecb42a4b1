"""Acknowledgement deadlines: a called function silent past its deadline goes to its deputy,
then to the actor's fallback function. Driven by the clock (scheduler or exercise clock)."""

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
        text = await _step(uow, roster, row, now)
        if in_rooms(activation.id):
            text = exercise_marked(text)
        await uow.timeline.append(TimelineEntry(
            id=None, event_id=activation.event_id, activation_id=activation.id, at=now,
            kind=EntryKind.ESCALATED_ACK, person=None, function=row.function, actor=row.actor,
            text=text, data={"stage": row.stage.value, "person": row.person},
        ))
        await uow.outbox.add(Post(room=RoomRef("activation", activation.id), text=text,
                                  mentions=[row.person]))
        changed += 1
    return changed


async def _step(uow: UnitOfWork, roster: Roster, row: Participant, now: datetime) -> str:
    ref = FunctionRef.parse(row.function)
    label = roster.function_label(ref)
    silent = row.person
    minutes = roster.ack_minutes(ref)
    nxt = _next_person(roster, row, ref, now)
    if nxt is None:
        row.deadline = None
        await uow.participants.update(row)
        return t("sv", "ack.no_more", function=label, person=silent)
    stage, person = nxt
    row.holder = row.holder or silent
    row.person, row.stage = person, stage
    row.deadline = now + timedelta(minutes=minutes)
    await uow.participants.update(row)
    await uow.outbox.add(InvitePeople(activation_id=row.activation_id, people=[person]))
    code = "ack.to_deputy" if stage is Stage.DEPUTY else "ack.to_fallback"
    return t("sv", code, function=label, silent=silent, person=person, minutes=minutes)


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
