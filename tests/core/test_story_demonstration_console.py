"""Story 2 of the model (planning before a demonstration, coordinating level) in the terminal
exercise with the simulated clock: the weekly samverkanskonferens → the police inform of a
permitted demonstration with a risk of a counter-demonstration → the directly affected actors
activate a planning forum, rescue services and healthcare are called as indirectly affected →
extra samverkanskonferenser led by Länsstyrelsen with the compiled lägesbild → a planned
conference during the demonstration."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.record import EntryKind
from bot.domain.roster import Level, Mode
from tests.core.story import Played

TZ = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 12, 9, 15, 0, tzinfo=TZ)
WEEKLY = datetime(2026, 12, 10, 9, 0, tzinfo=TZ)  # varje torsdag 09:00
CONFERENCES = [datetime(2026, 12, 10, 14, 0, tzinfo=TZ), datetime(2026, 12, 11, 10, 0, tzinfo=TZ),
               datetime(2026, 12, 12, 13, 0, tzinfo=TZ)]  # the last during the demonstration
DIRECT = {"vakthavande-befal@polisen", "sl-trafikledning@region-stockholm",
          "trafik-stockholm@trafikverket", "tib@stockholm", "trafikkontoret@stockholm",
          "tib@solna"}
INDIRECT = {"operativ-chef@ssbf", "operativ-chef@sbff", "rssl@region-stockholm",
            "tib@region-stockholm"}

SCRIPT = """
:as vakthavande-befal@polisen
ärende veckokonferens: Polisen: tillståndsgiven demonstration lör 12 dec, risk för motdemo
:clock +18h
aktivera planeringsforum demonstration Demonstration och motdemonstration 12 dec
:room 2026-001
:as sl-trafikledning@region-stockholm
kvittera
:as trafik-stockholm@trafikverket
kvittera
:as tib@stockholm
kvittera
:as trafikkontoret@stockholm
kvittera
:as tib@lansstyrelsen
kalla TiB@Solna, Södertörns brandförsvarsförbund
konferens 14:00
konferens imorgon 10:00
konferens 2026-12-12 13:00
:as operativ-chef@ssbf
kvittera
:as rssl@region-stockholm
kvittera
:as tib@region-stockholm
kvittera
:as tib@solna
kvittera
:clock +5h
:as vakthavande-befal@polisen
närvarande
läge händelse: demonstration 12–16, 3 000 deltagare; åtgärder: förstärkning från andra regioner
:as sl-trafikledning@region-stockholm
närvarande
läge Bussar leds om runt Sergels torg 11–17; tunnelbanan kör som vanligt
:as trafik-stockholm@trafikverket
närvarande
läge Ingen påverkan på statliga vägar; beredskap för avstängning av Klarastrandsleden
:as operativ-chef@ssbf
närvarande
läge Förstärkt beredskap i city under eftermiddagen
:as rssl@region-stockholm
närvarande
läge Akutsjukhusen informerade; ambulans i beredskap vid Norra Bantorget
:as tib@lansstyrelsen
närvarande
lägesbild
beslut Trafiken leds om runt Sergels torg 11–17; gemensam information från torsdag
:as sl-trafikledning@region-stockholm
åtagande Informerar resenärer om omledda busslinjer från torsdag
:as vakthavande-befal@polisen
åtagande Håller demonstrationerna åtskilda och stänger Hamngatan vid behov
:as tib@lansstyrelsen
budskap mall avstangningar
:as vakthavande-befal@polisen
godkänn 1
:clock +20h
:as vakthavande-befal@polisen
närvarande
läge Motdemonstrationen flyttad till Norrmalmstorg enligt nytt tillstånd
:as tib@lansstyrelsen
närvarande
lägesbild
:clock +1d
:clock +3h
:as vakthavande-befal@polisen
närvarande
läge 3 500 deltagare; lugnt hittills; Hamngatan stängd
:as sl-trafikledning@region-stockholm
närvarande
läge Bussarna går enligt omledningen
:as rssl@region-stockholm
närvarande
läge Två lindriga skador omhändertagna
:as tib@lansstyrelsen
närvarande
lägesbild
:clock +4h
avaktivera Demonstrationerna genomförda utan större störningar
"""


async def test_story_2_planning_before_a_demonstration(played: Played) -> None:
    """One play per database, checked twice: the stored record, then what reached rooms."""
    assert "⚠" not in played.out, [ln for ln in played.out.splitlines() if "⚠" in ln]
    await _check_record(played)
    _check_rooms(played)


async def _check_record(played: Played) -> None:
    app = played.app
    async with app.uow() as uow:
        act = await uow.activations.get("2026-001")
        assert act is not None
        rows = await uow.participants.of_activation(act.id)
        timeline = await uow.timeline.of_event(act.event_id)
        decisions = await uow.decisions.of_event(act.event_id)
        commitments = await uow.commitments.of_event(act.event_id)
        (message,) = await uow.messages.of_event(act.event_id)
        roll_call = await uow.roll_calls.latest(act.id)
        assert roll_call is not None
        present = await uow.roll_calls.attendees(roll_call.id or 0)
    forum = app.roster.forum(act.forum)
    assert (act.forum, act.level, forum.mode) == ("planeringsforum", Level.COORDINATING.value,
                                                  Mode.ACTIVATED)
    assert act.created_at == WEEKLY and act.scenario == "demonstration"
    assert act.initiated_as == "vakthavande-befal@polisen"  # the directly affected activate
    assert act.chair == "tib@lansstyrelsen"  # Länsstyrelsen leads the conferences
    called = {r.function for r in rows}
    assert called >= DIRECT | INDIRECT
    (extra_call,) = [e for e in timeline
                     if e.kind is EntryKind.CALLED and e.actor == "lansstyrelsen"]
    assert set(extra_call.data["functions"]) == {"tib@solna", "operativ-chef@sbff"}
    held = [e.at for e in timeline if e.kind is EntryKind.CONFERENCE and "occurrence" in e.data]
    assert held == CONFERENCES
    assert roll_call.occurrence == CONFERENCES[-1]
    assert {a.function for a in present} >= {"vakthavande-befal@polisen",
                                             "sl-trafikledning@region-stockholm",
                                             "rssl@region-stockholm", "tib@lansstyrelsen"}
    assert [d.forum for d in decisions] == ["planeringsforum"]
    assert {c.actor for c in commitments} == {"region-stockholm", "polisen"}
    assert message.approved_at is not None and "avstängda gator" in message.text


def _check_rooms(played: Played) -> None:
    weekly = next(p for p in played.room("veckokonferens")
                  if p.startswith("**Veckovis samverkanskonferens — möte tor 10 dec 09:00"))
    assert "tillståndsgiven demonstration" in weekly and "(Polisen)" in weekly
    assert any("Samordnat planeringsforum är aktiverat av VB RLC Polisen" in p
               for p in played.room("planeringsforum"))
    war_room = played.room("akt-ovning-2026-001-demonstration-och-motdemonstration-12-dec")
    starts = [p for p in war_room if p.startswith("**Samverkanskonferens")]
    assert [s.split(" — ")[0] for s in starts] == [
        "**Samverkanskonferens 14:00", "**Samverkanskonferens 10:00",
        "**Samverkanskonferens 13:00"]
    assert all("Risk för motdemonstration" in s for s in starts)  # the playbook's agenda
    pictures = [p for p in war_room if "Samlad lägesbild v" in p and p.startswith("**ÖVNING")]
    assert len(pictures) == 3 and "3 500 deltagare" in pictures[-1]
