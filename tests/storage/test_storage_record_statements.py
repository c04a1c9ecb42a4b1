"""Reports, decisions, commitments, public messages and the timeline on both databases."""

from __future__ import annotations

import dataclasses
from datetime import timedelta, timezone

import pytest

from bot.domain.record import (
    Approval,
    Commitment,
    Decision,
    EntryKind,
    Event,
    PublicMessage,
    SituationReport,
    TimelineEntry,
)
from storage.uow import SqlUnitOfWorkFactory
from tests.storage.storage_samples import T0, Seed

STOCKHOLM_SUMMER = timezone(timedelta(hours=2))


def report(seed: Seed, actor: str, text: str, minutes: int = 0) -> SituationReport:
    return SituationReport(
        id=None, event_id=seed.event_id, activation_id=seed.activation_id, actor=actor,
        person=f"p-{actor}", function=f"tib@{actor}", text=text,
        created_at=T0 + timedelta(minutes=minutes),
        fields={"läge": "stabilt", "behov": "inga", "ändrat": "nej"},
    )


async def test_reports_of_event_latest_per_actor_and_count(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    async with uow_factory() as uow:
        other = await uow.events.add(Event(None, "Annat", None, T0))
        assert other.id is not None
        first = await uow.reports.add(report(seed, "polisen", "Köer på E4", 1))
        sos = await uow.reports.add(report(seed, "sos", "Hög belastning", 2))
        newest = await uow.reports.add(report(seed, "polisen", "E4 öppen igen", 3))
        await uow.commit()
    assert None not in (first.id, sos.id, newest.id)
    async with uow_factory() as uow:
        assert await uow.reports.of_event(seed.event_id) == [first, sos, newest]
        assert await uow.reports.latest_per_actor(seed.event_id) == [sos, newest]
        assert await uow.reports.count(seed.event_id) == 3
        assert await uow.reports.count(other.id) == 0
        assert await uow.reports.latest_per_actor(other.id) == []
        stored = (await uow.reports.of_event(seed.event_id))[0]
    assert list(stored.fields) == ["läge", "behov", "ändrat"], "field order is kept"


async def test_decisions_and_commitments(uow_factory: SqlUnitOfWorkFactory, seed: Seed) -> None:
    decision = Decision(None, seed.event_id, seed.activation_id, "samordnande-forum", 1,
                        "Skolor stängs i morgon", "anna", "tib@lansstyrelsen", T0)
    commitment = Commitment(None, seed.event_id, seed.activation_id, "sl", "Extra bussar",
                            "bert", "tib@sl", T0 + timedelta(minutes=4))
    async with uow_factory() as uow:
        d1 = await uow.decisions.add(decision)
        d2 = await uow.decisions.add(dataclasses.replace(decision, number=2, text="Vägar stängs"))
        c1 = await uow.commitments.add(commitment)
        await uow.commit()
    assert d1.id is not None and d2.id is not None and c1.id is not None
    assert d1 == dataclasses.replace(decision, id=d1.id)
    async with uow_factory() as uow:
        assert await uow.decisions.of_event(seed.event_id) == [d1, d2]
        assert await uow.commitments.of_event(seed.event_id) == [c1]
        assert await uow.decisions.of_event(seed.event_id + 99) == []
        assert await uow.commitments.of_event(seed.event_id + 99) == []


async def test_message_approvals_are_updated_but_not_the_text(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    message = PublicMessage(None, seed.event_id, seed.activation_id, 1, "Undvik resor", "polisen",
                            "anna", T0)
    async with uow_factory() as uow:
        stored = await uow.messages.add(message)
        await uow.commit()
    assert stored.id is not None and stored.approvals == []
    approvals = [
        Approval("polisen", "anna", (T0 + timedelta(minutes=1)).astimezone(STOCKHOLM_SUMMER)),
        Approval("sl", "bert", T0 + timedelta(minutes=2)),
    ]
    changed = dataclasses.replace(stored, text="ÄNDRAD", approvals=approvals,
                                  approved_at=T0 + timedelta(minutes=2))
    async with uow_factory() as uow:
        await uow.messages.update(changed)
        await uow.commit()
    async with uow_factory() as uow:
        [again] = await uow.messages.of_event(seed.event_id)
        with pytest.raises(LookupError):
            await uow.messages.update(dataclasses.replace(changed, id=stored.id + 1))
    assert again == dataclasses.replace(changed, text="Undvik resor")
    assert all(a.at.utcoffset() == timedelta(0) for a in again.approvals)


def entry(seed: Seed, text: str, activation_id: str | None = "", **data: object) -> TimelineEntry:
    return TimelineEntry(
        id=None, event_id=seed.event_id,
        activation_id=seed.activation_id if activation_id == "" else activation_id,
        at=T0, kind=EntryKind.NOTE, person="anna", function="tib@lansstyrelsen",
        actor="lansstyrelsen", text=text, data=dict(data),
    )


async def test_timeline_append_of_event_and_last(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    async with uow_factory() as uow:
        appended = [await uow.timeline.append(entry(seed, f"rad {i}", n=i, lista=[1, "två"]))
                    for i in range(5)]
        system = await uow.timeline.append(dataclasses.replace(
            entry(seed, "system", activation_id=None), person=None, function=None, actor=None,
            kind=EntryKind.CONFERENCE))
        await uow.commit()
    everything = [*appended, system]
    assert [e.id for e in everything] == sorted({e.id for e in everything if e.id is not None})
    async with uow_factory() as uow:
        assert await uow.timeline.of_event(seed.event_id) == everything
        assert await uow.timeline.last(seed.event_id, 2) == everything[-2:]
        assert await uow.timeline.last(seed.event_id, 100) == everything
        assert await uow.timeline.last(seed.event_id, 0) == []
        assert await uow.timeline.of_event(seed.event_id + 1) == []
        read = (await uow.timeline.of_event(seed.event_id))[-1]
    assert read.kind is EntryKind.CONFERENCE and read.activation_id is None
    assert appended[1].data == {"n": 1, "lista": [1, "två"]}


def test_timeline_repository_offers_no_update_or_delete() -> None:
    from storage.repositories import SqlTimelineRepository

    public = {name for name in dir(SqlTimelineRepository) if not name.startswith("_")}
    assert public - {"session"} == {"append", "of_event", "of_kind", "last"}
