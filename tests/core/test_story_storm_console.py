"""Story 3 of the model (storm, activated mode) piped into `samverkan console --exercise`;
the assertions read the stored record, not only the printed text."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.ports import UnitOfWork
from bot.domain.record import ActivationStatus, EntryKind, Stage
from bot.domain.resources import ResourceKind, ResourceState
from storage.database import make_engine
from storage.uow import SqlUnitOfWorkFactory

SCRIPT = """
:as tib@lansstyrelsen
aktivera samordnande oväder Snöstorm Gorm
:room 2026-001
:as vakthavande-befal@polisen
kvittera
:as tib@region-stockholm
kvittera
:as sl-trafikledning@region-stockholm
kvittera
:as trafik-stockholm@trafikverket
kvittera
:as tib@stockholm
kvittera
:as tib@nacka
kvittera
:as operativ-chef@ssbf
kvittera
:as krisberedskapssamordnare@sos-alarm
kvittera
:as kommunikationskoordinator@samordningskansliet
kvittera
:as lagesbild@lansstyrelsen
kvittera
:clock +15m
:as vakthavande-befal@polisen
läge Fler trafikolyckor än normalt; RLC förstärker med extra patruller
:as sl-trafikledning@region-stockholm
läge Pendeltåg och bussar kraftigt försenade; risk att trafiken ställs in i natt
:as trafik-stockholm@trafikverket
läge händelse: framkomligheten på E4 och E18 starkt begränsad; konsekvenser: fjärrtåg ställs in
:as tib@stockholm
läge Snöröjningen räcker inte till; skolor och förskolor kan behöva stängas
:as operativ-chef@ssbf
läge Förstärkt beredskap; svårt att nå vissa områden med fordon
:as tib@lansstyrelsen
läge Flera flygplatser kan behöva stängas enligt flygplatsoperatören
:as tib@norrtalje
kvittera
resurs behov 2 reservkraftverk 100 kVA för vattenverket i Norrtälje senast 18:00
:as tib@region-stockholm
resurs behov 4 band för hemtjänsten i Norrtälje
:as vakthavande@forsvarsmakten
kvittera
resurs erbjud 4 bandvagnar med förare tillgänglig 16:00
:as tib@lansstyrelsen
lägesbild
eskalera
:room 2026-002
:as lansoverdirektor@lansstyrelsen
kvittera
:as kommundirektor@stockholm
kvittera
:as regiondirektor@region-stockholm
kvittera
:as tib@lansstyrelsen
ordförande lansoverdirektor@lansstyrelsen
konferens 15:30
:clock +15m
:room 2026-001
närvarande
:as vakthavande-befal@polisen
närvarande
:room 2026-002
:clock +2h
:as lansoverdirektor@lansstyrelsen
närvarande
:as kommundirektor@stockholm
närvarande
:as regiondirektor@region-stockholm
närvarande
:as lansoverdirektor@lansstyrelsen
beslut Skolor och förskolor hålls stängda kommande dygn
beslut Snöröjning prioriteras för spårbunden trafik och huvudgator för stombusslinjer
beslut Vissa busslinjer ställs in i förväg
resurs prioritera bandvagnar till akuta sjukvårdsbehov och räddningsinsatser
resurs matcha 2 3
:as regiondirektor@region-stockholm
åtagande Ställer in utvalda busslinjer från 06:00 och sätter bandvagnar i beredskap för sjukvården
:as kommundirektor@stockholm
åtagande Stänger stadens skolor och förskolor i morgon och prioriterar stombussgatorna
:room 2026-001
:as vakthavande@forsvarsmakten
resurs levererad 3
resurser
:as kommunikationskoordinator@samordningskansliet
budskap Undvik privata resor, stanna hemma om du kan. Ha ficklampa och batteriradio redo.
:as tib@lansstyrelsen
godkänn 1
:room 2026-002
:as lansoverdirektor@lansstyrelsen
avaktivera Inriktningen är beslutad; uppföljning i samordnande forum
:room 2026-001
:as tib@lansstyrelsen
avaktivera Händelsen är hanterad
"""

TZ = ZoneInfo("Europe/Stockholm")
DECISIONS = ["Skolor och förskolor", "spårbunden trafik", "busslinjer ställs in",
             "Bandvagnar prioriteras till akuta sjukvårdsbehov och räddningsinsatser"]


def _play(db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--exercise",
         "--db", f"sqlite+aiosqlite:///{db}", "--start", "2026-11-21T13:00:00+01:00"],
        input=SCRIPT, capture_output=True, text=True, timeout=120, env=env, check=False,
    )


async def _with_uow(db: Path, check: object) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{db}")
    try:
        async with SqlUnitOfWorkFactory(engine)() as uow:
            await check(uow)  # type: ignore[operator]
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("storm") / "storm.db"
    result = _play(db)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "⚠" not in result.stdout, result.stdout  # every line of the story is accepted
    return db, result.stdout


def test_calls_acks_and_escalation(played: tuple[Path, str]) -> None:
    db, _ = played

    async def check(uow: UnitOfWork) -> None:
        rows = await uow.participants.of_activation("2026-001")
        assert len(rows) >= 12 and len({r.actor for r in rows}) >= 8
        assert sum(1 for r in rows if r.acked_at is not None) >= 10
        deputies = [r for r in rows if r.stage is Stage.DEPUTY]
        assert deputies and all(r.holder and r.holder != r.person for r in deputies)
        timeline = await uow.timeline.of_event(1)
        assert any(e.kind is EntryKind.ESCALATED_ACK and "ersättare" in e.text for e in timeline)

    asyncio.run(_with_uow(db, check))


def test_picture_names_actors_not_reported(played: tuple[Path, str]) -> None:
    db, out = played

    async def check(uow: UnitOfWork) -> None:
        reports = await uow.reports.of_event(1)
        assert len({r.actor for r in reports}) >= 5
        fields = next(r.fields for r in reports if r.actor == "trafikverket")
        assert fields  # the structured form of `läge` is kept

    asyncio.run(_with_uow(db, check))
    picture = out[out.index("Samlad lägesbild"):]
    missing = picture[picture.index("Ej rapporterat"):].splitlines()[0]
    assert "Botkyrka" in missing and "Polisen" not in missing


def test_escalation_decisions_commitments_message(played: tuple[Path, str]) -> None:
    db, _ = played

    async def check(uow: UnitOfWork) -> None:
        first, second = await uow.activations.get("2026-001"), await uow.activations.get("2026-002")
        assert first and second and second.parent_id == "2026-001"
        assert second.event_id == first.event_id and second.forum == "inriktande"
        assert second.chair == "lansoverdirektor@lansstyrelsen"
        decisions = await uow.decisions.of_event(first.event_id)
        assert [d.forum for d in decisions] == ["inriktande"] * 4
        assert all(any(k in d.text for d in decisions) for k in DECISIONS)
        commitments = await uow.commitments.of_event(first.event_id)
        assert {c.actor for c in commitments} == {"region-stockholm", "stockholm"}
        (message,) = await uow.messages.of_event(first.event_id)
        assert message.approved_at is not None
        assert {a.actor for a in message.approvals} == {"samordningskansliet", "lansstyrelsen"}

    asyncio.run(_with_uow(db, check))


def test_directing_forum_meets_two_hours_after_the_coordinating_one(
        played: tuple[Path, str]) -> None:
    db, out = played

    async def check(uow: UnitOfWork) -> None:
        timeline = await uow.timeline.of_event(1)
        held = {e.activation_id: e.at for e in timeline
                if e.kind is EntryKind.CONFERENCE and "occurrence" in e.data}
        assert held["2026-002"] - held["2026-001"] == timedelta(hours=2)
        assert held["2026-001"].astimezone(TZ).strftime("%H:%M") == "13:30"
        roll_call = await uow.roll_calls.latest("2026-002")
        assert roll_call is not None and roll_call.occurrence == held["2026-002"]
        present = {a.function for a in await uow.roll_calls.attendees(roll_call.id or 0)}
        assert present == {"lansoverdirektor@lansstyrelsen", "kommundirektor@stockholm",
                           "regiondirektor@region-stockholm"}
        decisions = await uow.decisions.of_event(1)
        assert all(d.created_at >= held["2026-002"] for d in decisions)

    asyncio.run(_with_uow(db, check))
    assert "**Samverkanskonferens 15:30 — #2026-002" in out


def test_protocol_holds_the_record_in_order(played: tuple[Path, str]) -> None:
    db, _ = played

    async def check(uow: UnitOfWork) -> None:
        act = await uow.activations.get("2026-001")
        assert act and act.status is ActivationStatus.CLOSED and act.protocol
        protocol = act.protocol
        for text in [*DECISIONS, "Ställer in utvalda busslinjer", "batteriradio",
                     "Fler trafikolyckor", "Händelsen är hanterad"]:
            assert text in protocol, text
        timeline = protocol[protocol.index("## Tidslinje"):]
        order = ["aktiverade Regionalt samordnande", "kvitterade", "har inte kvitterat",
                 "Fler trafikolyckor", "eskalerade till Regionalt inriktande", "beslut 1",
                 "åtagande för Region Stockholm", "föreslog gemensamt budskap",
                 "godkände budskap 1", "avaktiverade"]
        positions = [timeline.index(o) for o in order]
        assert positions == sorted(positions)
        entries = await uow.timeline.of_event(act.event_id)
        assert [e.at for e in entries] == sorted(e.at for e in entries)
        assert len(entries) == len([ln for ln in timeline.splitlines() if ln.startswith("- ")])

    asyncio.run(_with_uow(db, check))


def test_resources_needs_offer_priority_match_delivery(played: tuple[Path, str]) -> None:
    """Norrtälje needs reserve power, Region Stockholm bandvagnar for home care, Försvarsmakten
    offers bandvagnar; the directing forum prioritises them, its chair matches, Försvarsmakten
    delivers — in the record, in `resurser`, in the lägesbild and in the protocol."""
    db, out = played

    async def check(uow: UnitOfWork) -> None:
        power, band, offer = await uow.resources.of_event(1)
        assert (power.kind, power.actor, power.state) == (ResourceKind.NEED, "norrtalje",
                                                          ResourceState.OPEN)
        assert (power.count, power.what, power.spec) == (2, "reservkraftverk", "100 kVA")
        assert (band.actor, band.what, band.purpose) == ("region-stockholm", "bandvagnar",
                                                         "hemtjänsten")
        assert (offer.kind, offer.actor) == (ResourceKind.OFFER, "forsvarsmakten")
        assert (band.state, band.partner, offer.state, offer.partner) == (
            ResourceState.DELIVERED, 3, ResourceState.DELIVERED, 2)
        (priority,) = await uow.resources.priorities(1)
        assert (priority.decision, priority.needs, priority.activation_id) == (4, [2], "2026-002")
        entries = [e for e in await uow.timeline.of_event(1) if e.kind is EntryKind.RESOURCE]
        assert [e.actor for e in entries] == ["norrtalje", "region-stockholm", "forsvarsmakten",
                                              "lansstyrelsen", "forsvarsmakten"]

    asyncio.run(_with_uow(db, check))
    picture = out[out.index("Samlad lägesbild"):]
    assert ("**Resurser:** öppna behov — Norrtälje: 2 reservkraftverk 100 kVA (1); "
            "Region Stockholm: 4 bandvagnar (2). Omatchade erbjudanden — Försvarsmakten: "
            "4 bandvagnar med förare (3)") in picture
    war_room = [ln for ln in out.splitlines() if ln.startswith("[akt-ovning-2026-001")]
    assert any("Resurser (i #2026-002): matchade behov 2 med erbjudande 3" in ln
               for ln in war_room)  # matched in the directing room, told where the need is
    listing = out[out.index("Resurser — #2026-001"):]
    assert "**Öppna behov (1)**" in listing and "**Matchade par (1)**" in listing
    assert ("- behov 2 (Region Stockholm: 4 bandvagnar för hemtjänsten i Norrtälje) ← "
            "erbjudande 3 (Försvarsmakten: 4 bandvagnar med förare, tillgänglig 16:00) — "
            "levererat") in listing
    assert ("- Beslut 4: bandvagnar → akuta sjukvårdsbehov och räddningsinsatser — berör "
            "behov 2") in listing

    async def protocol(uow: UnitOfWork) -> None:
        act = await uow.activations.get("2026-001")
        assert act and act.protocol
        section = act.protocol[act.protocol.index("## Resurser"):act.protocol.index("## Tidslinje")]
        assert "- behov 1 — **Norrtälje**: 2 reservkraftverk 100 kVA" in section
        assert "— levererat (erbjudande 3)" in section and "— levererat (behov 2)" in section
        assert "- Beslut 4: bandvagnar → akuta sjukvårdsbehov" in section

    asyncio.run(_with_uow(db, protocol))
