"""Story 3 of the model (storm, activated mode) played over Matrix on a real Synapse.

Every step is a `!command` typed by the current holder of a function with their own
client; the checks read Synapse (room state, messages) and the stored record.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.domain.record import ActivationStatus
from bot.domain.roster import FunctionRef
from bot.platforms.matrix.roomcreate import ACTIVATION_STATE, LINK_STATE
from bot.scheduling.runtime import install_exercise_clock
from tests.matrix.harness import START, MatrixHarness, Person

pytestmark = pytest.mark.synapse

ACKERS = ["vakthavande-befal@polisen", "tib@region-stockholm", "sl-trafikledning@region-stockholm",
          "trafik-stockholm@trafikverket", "tib@stockholm", "operativ-chef@ssbf"]
REPORTS = {
    "vakthavande-befal@polisen": "Fler trafikolyckor än normalt; RLC förstärker med patruller",
    "sl-trafikledning@region-stockholm": "Pendeltåg och bussar kraftigt försenade",
    "tib@stockholm": "Snöröjningen räcker inte till; skolor kan behöva stängas",
}
CHAIR = "lansoverdirektor@lansstyrelsen"
COMMS = "kommunikationskoordinator@samordningskansliet"
DECISIONS = ["Skolor och förskolor hålls stängda kommande dygn",
             "Bandvagnar prioriteras till akuta sjukvårdsbehov och räddningsinsatser"]
PRIORITY = "!resurs prioritera bandvagnar till akuta sjukvårdsbehov och räddningsinsatser"
NEEDS = {"tib@norrtalje": "!resurs behov 2 reservkraftverk 100 kVA i Norrtälje senast 18:00",
         "tib@region-stockholm": "!resurs behov 4 band för hemtjänsten"}
FM = "vakthavande@forsvarsmakten"


def state_of(events: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {str(e["state_key"]): e["content"] for e in events if e["type"] == kind}


async def joined_and_acked(matrix: MatrixHarness, room: str, refs: list[str]) -> list[Person]:
    people = [await matrix.person(ref) for ref in refs]
    for person in people:
        await person.join(room)
        reply = await person.say(room, "!kvittera")
        assert "kvitter" in reply["body"].lower(), reply["body"]
    return people


async def _activate(matrix: MatrixHarness, tib: Person) -> str:
    """`!aktivera` in the standing room: one new room whose invitations are the holders."""
    standing = await matrix.standing_room("samordnande")
    reply = await tib.say(standing, "!aktivera samordnande oväder Snöstorm Gorm")
    assert "#2026-001" in reply["body"] and reply["msgtype"] == "m.notice"
    await matrix.settle()
    war = await matrix.war_room("2026-001")
    await tib.join(war)
    async with matrix.app.uow() as uow:
        called = await uow.participants.of_activation("2026-001")
    assert len(called) >= 40
    assert await tib.members(war, "invite") == {matrix.mxid(r.person) for r in called} - {tib.mxid}
    state = await tib.state(war)
    assert state_of(state, ACTIVATION_STATE)[""]["activation_id"] == "2026-001"
    assert state_of(state, "m.room.name")[""]["name"] == "2026-001 Snöstorm Gorm"
    levels = state_of(state, "m.room.power_levels")[""]["users"]
    assert levels == {tib.mxid: 50}  # chair = Länsstyrelsen's TiB; the creator is implicit
    assert "2026-001" in (await tib.messages(standing))[-1]["content"]["body"]
    summary = next(m["content"] for m in await tib.messages(war)
                   if "matrix.to/#/" in m["content"].get("formatted_body", ""))
    police = matrix.mxid(matrix.holder("vakthavande-befal@polisen"))
    assert f'<a href="https://matrix.to/#/{police}">' in summary["formatted_body"]
    assert police in summary["m.mentions"]["user_ids"] and "<@" not in summary["body"]
    return war


async def _acks_reports_picture(matrix: MatrixHarness, tib: Person, war: str) -> None:
    await joined_and_acked(matrix, war, ACKERS)
    for ref, text in REPORTS.items():
        reply = await (await matrix.person(ref)).say(war, f"!läge {text}")
        assert reply["msgtype"] == "m.notice" and "#2026-001" in reply["body"], reply["body"]
    for ref, text in NEEDS.items():
        (person,) = await joined_and_acked(matrix, war, [ref]) if ref == "tib@norrtalje" else [
            await matrix.person(ref)]
        assert "registrerat" in (await person.say(war, text))["body"]
    (fm,) = await joined_and_acked(matrix, war, [FM])
    reply = await fm.say(war, "!resurs erbjud 4 bandvagnar tillgänglig 16:00")
    assert "Erbjudande 3 registrerat för Försvarsmakten" in reply["body"], reply["body"]
    picture = await tib.say(war, "!lägesbild")
    assert "Samlad lägesbild" in picture["body"] and "Pendeltåg" in picture["body"]
    assert ("öppna behov — Norrtälje: 2 reservkraftverk 100 kVA (1); Region Stockholm: "
            "4 bandvagnar (2). Omatchade erbjudanden — Försvarsmakten: 4 bandvagnar (3)"
            ) in picture["body"]


async def _escalate(matrix: MatrixHarness, tib: Person, war: str) -> tuple[str, list[Person]]:
    """`!eskalera`: a directing room linked both ways; the new chair moderates it."""
    assert "#2026-002" in (await tib.say(war, "!eskalera"))["body"]
    await matrix.settle()
    directing = await matrix.war_room("2026-002")
    assert state_of(await tib.state(war), LINK_STATE)[directing]["activation_id"] == "2026-002"
    await tib.join(directing)
    assert state_of(await tib.state(directing), LINK_STATE)[war]["activation_id"] == "2026-001"
    refs = [CHAIR, "kommundirektor@stockholm", "regiondirektor@region-stockholm"]
    people = await joined_and_acked(matrix, directing, refs)
    assert "ordförande" in (await tib.say(directing, f"!ordförande {CHAIR}"))["body"].lower()
    await matrix.settle()
    state = await tib.state(directing)
    levels = state_of(state, "m.room.power_levels")[""]["users"]
    assert levels.get(people[0].mxid) == 50 and levels.get(tib.mxid) == 50
    chair_label = matrix.app.roster.function_label(FunctionRef.parse(CHAIR))
    assert chair_label in state_of(state, "m.room.topic")[""]["topic"]
    return directing, people


async def _conferences(matrix: MatrixHarness, tib: Person, war: str, directing: str,
                       people: list[Person]) -> None:
    """The coordinating forum's conference at 13:30 (oväder: every 3 h) and the directing
    forum's two hours later, fired by the simulated clock; the directors answer the roll
    call in their room."""
    reply = await tib.say(directing, "!konferens 15:30")
    assert "15:30" in reply["body"], reply["body"]
    clock = matrix.app.clock
    assert isinstance(clock, ManualClock)
    for step in (timedelta(minutes=30), timedelta(hours=2)):
        clock.advance(step)
        await matrix.app.service.tick()
        await matrix.settle()
    started = [m["content"]["body"] for m in await tib.messages(directing)
               if m["content"]["body"].startswith("Samverkanskonferens 15:30")
               or "**Samverkanskonferens 15:30" in m["content"]["body"]]
    assert started, "the directing forum's conference was not posted"
    for person in people:
        assert "Närvaro" in (await person.say(directing, "!närvarande"))["body"]
    async with matrix.app.uow() as uow:
        roll_call = await uow.roll_calls.latest("2026-002")
        assert roll_call is not None and roll_call.occurrence == START + timedelta(hours=2,
                                                                                   minutes=30)
        present = await uow.roll_calls.attendees(roll_call.id or 0)
        first = await uow.roll_calls.latest("2026-001")
    assert {a.function for a in present} == {CHAIR, "kommundirektor@stockholm",
                                             "regiondirektor@region-stockholm"}
    assert first is not None and first.occurrence == START + timedelta(minutes=30)


async def _direction(matrix: MatrixHarness, tib: Person, war: str, directing: str,
                     people: list[Person]) -> Person:
    chair, kd, rd = people
    assert "#2026-002" in (await chair.say(directing, f"!beslut {DECISIONS[0]}"))["body"]
    reply = await chair.say(directing, PRIORITY)
    assert "Beslut 2 om inriktning" in reply["body"] and "Berörda behov: 2" in reply["body"]
    assert "Matchat" in (await chair.say(directing, "!resurs matcha 2 3"))["body"]
    fm = await matrix.person(FM)
    assert "Erbjudande 3 är nu levererat" in (await fm.say(war, "!resurs levererad 3"))["body"]
    listing = (await fm.say(war, "!resurser"))["body"]
    assert "Öppna behov (1)" in listing and "Matchade par (1)" in listing
    assert "erbjudande 3 (Försvarsmakten: 4 bandvagnar, tillgänglig 16:00) — levererat" in listing
    assert "Beslut 2: bandvagnar → akuta sjukvårdsbehov och räddningsinsatser" in listing
    await rd.say(directing, "!åtagande Sätter bandvagnar i beredskap för sjukvården")
    await kd.say(directing, "!åtagande Stänger stadens skolor och förskolor i morgon")
    (comms,) = await joined_and_acked(matrix, war, [COMMS])
    await comms.say(war, "!budskap Undvik privata resor. Ha ficklampa och batteriradio redo.")
    await tib.say(war, "!godkänn 1")
    return comms


async def test_storm_over_matrix(matrix: MatrixHarness) -> None:
    install_exercise_clock(matrix.app, matrix.app.service)  # the simulated clock fires them
    tib = await matrix.person("tib@lansstyrelsen")
    war = await _activate(matrix, tib)
    await rest_of_story(matrix, tib, war)


async def rest_of_story(matrix: MatrixHarness, tib: Person, war: str, *,
                        conferences: bool = True) -> None:
    """Everything after the first war room is open: acknowledgements, reports, the picture,
    escalation, (the conferences, fired by a clock 2.5 h on), direction, closing; then the
    record is checked."""
    await _acks_reports_picture(matrix, tib, war)
    directing, people = await _escalate(matrix, tib, war)
    if conferences:
        await _conferences(matrix, tib, war, directing, people)
    comms = await _direction(matrix, tib, war, directing, people)

    # -- closing: the protocol posted in the room, nobody kicked -----------------------------
    await people[0].say(directing, "!avaktivera Inriktningen är beslutad")
    await tib.say(war, "!avaktivera Händelsen är hanterad")
    await matrix.settle()
    posted = [m["content"]["body"] for m in await tib.messages(war)
              if "m.relates_to" not in m["content"]]  # not the reply: the close effect's post
    assert any("batteriradio" in b and "Händelsen är hanterad" in b for b in posted)
    assert any(b.startswith("Resurser (i #2026-002): matchade behov 2 med erbjudande 3")
               for b in posted)  # matched in the directing room, told where the need is
    protocol = "\n".join(posted)  # a long protocol comes in several notices
    start = protocol.rindex("## Resurser")
    resources = protocol[start:protocol.index("## Tidslinje", start)]
    assert "behov 1 — **Norrtälje**: 2 reservkraftverk 100 kVA" in resources
    assert "— levererat (erbjudande 3)" in resources
    assert state_of(await tib.state(war), "m.room.name")[""]["name"].endswith("(avslutad)")
    assert {tib.mxid, comms.mxid} <= await tib.members(war, "join")

    async with matrix.app.uow() as uow:
        first, second = await uow.activations.get("2026-001"), await uow.activations.get("2026-002")
        assert first and second and second.parent_id == "2026-001"
        assert first.status is ActivationStatus.CLOSED and second.status is ActivationStatus.CLOSED
        assert [d.text for d in await uow.decisions.of_event(first.event_id)] == DECISIONS
        assert len(await uow.commitments.of_event(first.event_id)) == 2
        (message,) = await uow.messages.of_event(first.event_id)
        assert message.approved_at is not None
        rows = await uow.participants.of_activation("2026-001")
        assert set(ACKERS) <= {r.function for r in rows if r.acked_at}
        reports = await uow.reports.of_event(first.event_id)
        assert {r.text for r in reports} >= set(REPORTS.values())
        items = await uow.resources.of_event(first.event_id)
        assert [(i.number, i.actor, i.state.value, i.partner) for i in items] == [
            (1, "norrtalje", "öppen", None), (2, "region-stockholm", "levererad", 3),
            (3, "forsvarsmakten", "levererad", 2)]
        (priority,) = await uow.resources.priorities(first.event_id)
        assert (priority.decision, priority.needs) == (2, [2])
