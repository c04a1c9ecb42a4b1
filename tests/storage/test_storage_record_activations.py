"""Events, activations, participants: every repository method on both databases."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.domain.errors import Conflict
from bot.domain.record import ActivationStatus, Event, Stage
from storage.uow import SqlUnitOfWorkFactory
from tests.storage.storage_samples import T0, Seed, activation, participant

CET = timezone(timedelta(hours=1), "CET")


async def test_event_add_assigns_id_and_get_returns_it(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        first = await uow.events.add(Event(None, "Storm", "oväder", T0, exercise=True))
        second = await uow.events.add(Event(None, "Elavbrott", None, T0))
        await uow.commit()
    assert first.id is not None and second.id is not None and first.id != second.id
    async with uow_factory() as uow:
        assert await uow.events.get(first.id) == first
        assert await uow.events.get(second.id) == Event(second.id, "Elavbrott", None, T0)
        assert await uow.events.get(first.id + second.id + 100) is None


async def test_activation_round_trip_and_update(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    child = activation("2026-002", seed.event_id, parent_id=seed.activation_id, exercise=True,
                       scenario=None)
    async with uow_factory() as uow:
        await uow.activations.add(child)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.activations.get("2026-002")
        assert stored == child
        assert stored is not None and stored.status is ActivationStatus.ACTIVE
        closed = dataclasses.replace(
            stored, status=ActivationStatus.CLOSED, closed_at=T0 + timedelta(hours=5),
            summary="Läget normaliserat", protocol="# Protokoll\n- beslut 1", chair="rtib@sll",
        )
        await uow.activations.update(closed)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.activations.get("2026-002") == closed
        assert await uow.activations.get("2026-404") is None


async def test_activation_update_of_unknown_id_is_refused(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    async with uow_factory() as uow:
        with pytest.raises(LookupError):
            await uow.activations.update(activation("2026-404", seed.event_id))


async def test_active_and_of_event(uow_factory: SqlUnitOfWorkFactory, seed: Seed) -> None:
    async with uow_factory() as uow:
        other = await uow.events.add(Event(None, "Annat", None, T0))
        assert other.id is not None
        await uow.activations.add(activation("2026-002", seed.event_id,
                                             created_at=T0 + timedelta(minutes=1)))
        await uow.activations.add(activation("2026-003", seed.event_id,
                                             status=ActivationStatus.CLOSED))
        await uow.activations.add(activation("2026-004", other.id))
        await uow.commit()
    async with uow_factory() as uow:
        assert [a.id for a in await uow.activations.active()] == [
            "2026-001", "2026-004", "2026-002"]
        assert [a.id for a in await uow.activations.of_event(seed.event_id)] == [
            "2026-001", "2026-003", "2026-002"]
        assert [a.id for a in await uow.activations.of_event(other.id)] == ["2026-004"]
        assert await uow.activations.of_event(other.id + 1000) == []


async def test_next_id_sequences_per_year_and_grows_past_999(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    async with uow_factory() as uow:
        assert await uow.activations.next_id(2026) == "2026-002"
        assert await uow.activations.next_id(2027) == "2027-001"
        assert await uow.activations.next_id(2026) == "2026-002", "next_id does not reserve"
        await uow.activations.add(activation("2026-002", seed.event_id))
        assert await uow.activations.next_id(2026) == "2026-003"
        await uow.activations.add(activation("2026-999", seed.event_id))
        await uow.activations.add(activation("2025-017", seed.event_id))
        assert await uow.activations.next_id(2026) == "2026-1000"
        await uow.activations.add(activation("2026-1000", seed.event_id))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.activations.next_id(2026) == "2026-1001"
        assert await uow.activations.next_id(2025) == "2025-018"
        with pytest.raises(ValueError):
            await uow.activations.next_id(12026)


async def test_participant_add_update_of_activation(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    async with uow_factory() as uow:
        anna = await uow.participants.add(participant(seed.activation_id, "anna"))
        bert = await uow.participants.add(participant(seed.activation_id, "bert", deadline=None,
                                                      function="vakthavande@sos"))
        await uow.commit()
    assert anna.id is not None and bert.id is not None
    acked = dataclasses.replace(anna, acked_at=T0 + timedelta(minutes=3), acked_by="anna")
    escalated = dataclasses.replace(bert, person="cecilia", holder="bert", stage=Stage.DEPUTY)
    async with uow_factory() as uow:
        assert await uow.participants.of_activation(seed.activation_id) == [anna, bert]
        await uow.participants.update(acked)
        await uow.participants.update(escalated)
        await uow.commit()
    async with uow_factory() as uow:
        rows = await uow.participants.of_activation(seed.activation_id)
        assert rows == [acked, escalated]
        assert rows[1].stage is Stage.DEPUTY
        assert await uow.participants.of_activation("2026-404") == []
        with pytest.raises(LookupError):
            await uow.participants.update(dataclasses.replace(anna, id=anna.id + 1000))


async def _two_activations(uow_factory: SqlUnitOfWorkFactory, seed: Seed) -> None:
    async with uow_factory() as uow:
        await uow.activations.add(activation("2026-002", seed.event_id,
                                             status=ActivationStatus.CLOSED))
        await uow.commit()


async def test_active_of_person_covers_assignee_and_original_holder(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    await _two_activations(uow_factory, seed)
    async with uow_factory() as uow:
        own = await uow.participants.add(participant(seed.activation_id, "anna"))
        handed = await uow.participants.add(participant(
            seed.activation_id, "cecilia", holder="anna", stage=Stage.DEPUTY))
        await uow.participants.add(participant(seed.activation_id, "bert"))
        await uow.participants.add(participant("2026-002", "anna"))  # closed activation
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.participants.active_of_person("anna") == [own, handed]
        assert await uow.participants.active_of_person("cecilia") == [handed]
        assert await uow.participants.active_of_person("nobody") == []


async def test_overdue_and_next_deadline(uow_factory: SqlUnitOfWorkFactory, seed: Seed) -> None:
    await _two_activations(uow_factory, seed)

    def at(minutes: int) -> datetime:
        return T0 + timedelta(minutes=minutes)

    async with uow_factory() as uow:
        assert await uow.participants.next_deadline() is None
        late = await uow.participants.add(participant(seed.activation_id, "a", deadline=at(10)))
        await uow.participants.add(participant(seed.activation_id, "b", deadline=at(5),
                                               acked_at=at(2), acked_by="b"))
        await uow.participants.add(participant(seed.activation_id, "c", deadline=None))
        later = await uow.participants.add(participant(seed.activation_id, "d", deadline=at(20)))
        await uow.participants.add(participant("2026-002", "e", deadline=at(1)))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.participants.next_deadline() == at(10)
        assert await uow.participants.overdue(at(9)) == []
        assert await uow.participants.overdue(at(10)) == [late], "at the deadline is overdue"
        assert await uow.participants.overdue(at(30)) == [late, later]
        stockholm_now = at(10).astimezone(CET)
        assert await uow.participants.overdue(stockholm_now) == [late], "any zone compares"


async def test_next_deadline_is_aware_utc(uow_factory: SqlUnitOfWorkFactory, seed: Seed) -> None:
    deadline = datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=UTC)
    async with uow_factory() as uow:
        await uow.participants.add(participant(seed.activation_id, "a", deadline=deadline))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.participants.next_deadline()
    assert found == deadline and found is not None and found.tzinfo is UTC


async def test_one_active_activation_per_forum_and_title_key(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    """The database's guard for two officers at once: whatever the handler saw, a second
    active activation with the same (forum, title_key) is refused, and the transaction
    stays usable (a savepoint); NULL keys (deliberate ones) and closed ones are free."""
    key = {"forum": "f", "title_key": "vattenlacka norrmalm"}
    async with uow_factory() as uow:
        await uow.activations.add(activation("2026-010", seed.event_id, **key))
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(Conflict) as err:
            await uow.activations.add(activation("2026-011", seed.event_id, **key))
        assert err.value.code == "activation.concurrent"
        assert await uow.activations.get("2026-010") is not None  # still usable
        with pytest.raises(Conflict):  # the same id: a simultaneous next_id
            await uow.activations.add(activation("2026-010", seed.event_id, forum="g"))
        await uow.activations.add(activation("2026-012", seed.event_id, forum="f", title_key=None))
        await uow.activations.add(activation("2026-013", seed.event_id, forum="g",
                                             title_key="vattenlacka norrmalm"))
        await uow.commit()
    async with uow_factory() as uow:
        first = await uow.activations.get("2026-010")
        assert first is not None
        await uow.activations.update(dataclasses.replace(first, status=ActivationStatus.CLOSED))
        await uow.activations.add(activation("2026-014", seed.event_id, **key))
        await uow.commit()
    async with uow_factory() as uow:
        assert {a.id for a in await uow.activations.active()} >= {"2026-012", "2026-013",
                                                                  "2026-014"}
        titled = await uow.activations.active_titled("f", "vattenlacka norrmalm")
        assert [a.id for a in titled] == ["2026-012", "2026-014"]  # the NULL key, the same key
        assert await uow.activations.active_titled("f", "annat") == [titled[0]]


async def test_simultaneous_activations_get_different_numbers(
    uow_factory: SqlUnitOfWorkFactory, seed: Seed
) -> None:
    """Two transactions numbering an activation at once: the second waits for the first and
    takes the next number (on PostgreSQL an advisory lock per year and series; SQLite has one
    writer). Found by the load bench: 50 concurrent `/aktivera` hit `activations_pkey`."""
    first_numbered = asyncio.Event()

    async def number(title: str, hold: float) -> str:
        async with uow_factory() as uow:
            new_id = await uow.activations.next_id(2027)
            first_numbered.set()
            event = await uow.events.add(Event(None, title, None, T0))
            assert event.id is not None
            await uow.activations.add(activation(new_id, event.id, title=title))
            await asyncio.sleep(hold)  # the other transaction tries meanwhile
            await uow.commit()
            return new_id

    first = asyncio.create_task(number("Först", 0.3))
    await first_numbered.wait()
    second = await number("Sedan", 0.0)
    assert sorted([await first, second]) == ["2027-001", "2027-002"]
