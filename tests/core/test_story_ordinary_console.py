"""Story 1 of the model (ordinary mode over weeks) in the terminal exercise with the simulated
clock: the monthly samordningsgrupp meeting → `ärende` → others share it, one actor has done
earlier work → proposal of a joint project to the regional chefsgrupp → its decision → the
project proposes a routine → the group evaluates and recommends → the chefsgrupp decides →
follow-up of the implementation at a later meeting. The record of an ordinary matter: an
event, one activation per ordinary forum that handles it, their decisions, the follow-up."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.record import EntryKind
from bot.domain.roster import Level, Mode
from tests.core.story import Played

TZ = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
GROUP_DEC = datetime(2026, 12, 7, 13, 0, tzinfo=TZ)  # första måndagen i månaden 13:00
HEADS_DEC = datetime(2026, 12, 25, 10, 0, tzinfo=TZ)  # sista fredagen i månaden 10:00
GROUP_FEB = datetime(2027, 2, 1, 13, 0, tzinfo=TZ)
HEADS_FEB = datetime(2027, 2, 26, 10, 0, tzinfo=TZ)
GROUP_APR = datetime(2027, 4, 5, 13, 0, tzinfo=TZ)  # summer time: the script adds 2 h, not 3

SCRIPT = """
:as sakerhetschef@nacka
ärende samordningsgruppen: Brister i reservkraft vid vattenverk
:clock +6d
:clock +4h
:as samordningschef@samordningskansliet
aktivera samordningsgruppen ordinarie Reservkraft vid vattenverk
:room 2026-001
:as sakerhetschef@nacka
kvittera
läge Två vattenverk saknar reservkraft; risk vid långa elavbrott
:as sakerhetschef@botkyrka
kvittera
läge Samma brist hos oss: ett vattenverk utan reservkraft
:as sakerhetschef@stockholm
kvittera
läge Stockholm Vatten inventerade reservkraften 2024; metoden kan återanvändas
åtagande Delar inventeringen och metoden med gruppen
:as samordningschef@samordningskansliet
klar 2
beslut Gruppen föreslår regionala chefsgruppen ett gemensamt projekt om reservkraft
ärende chefsgruppen: Förslag från samordningsgruppen: gemensamt projekt om reservkraft (#2026-001)
eskalera chefsgruppen
:clock +17d
:clock +21h
:room 2026-002
:as lansoverdirektor@lansstyrelsen
kvittera
beslut Gemensamt projekt om reservkraft vid vattenverk startas; Stockholm leder
:as kommundirektor@stockholm
kvittera
åtagande Stockholm leder projektet och avsätter en projektledare
:clock +38d
:clock +3h
:room 2026-001
:as sakerhetschef@stockholm
läge Projektet föreslår en gemensam rutin för provkörning av reservkraft vid vattenverk
:as samordningschef@samordningskansliet
beslut Samordningsgruppen har utvärderat rutinen och rekommenderar chefsgruppen att besluta den
ärende chefsgruppen: Rekommendation: gemensam rutin för provkörning av reservkraft
:clock +24d
:clock +21h
:room 2026-002
:as lansoverdirektor@lansstyrelsen
beslut Den gemensamma rutinen för provkörning av reservkraft införs i alla kommuner
:clock +38d
:clock +2h
:room 2026-001
:as samordningschef@samordningskansliet
uppföljning 4 Rutinen är införd i 20 av 26 kommuner; övriga inför den under våren
klar 4
:room 2026-002
:as lansoverdirektor@lansstyrelsen
avaktivera Rutinen är beslutad och följs upp i samordningsgruppen
:room 2026-001
:as samordningschef@samordningskansliet
avaktivera Ärendet är avslutat efter uppföljning
"""


async def test_story_1_ordinary_mode_over_weeks(played: Played) -> None:
    """One play per database, checked twice: the stored record, then what reached rooms."""
    await _check_record(played)
    await _check_rooms_and_protocol(played)


async def _check_record(played: Played) -> None:
    app, roster = played.app, played.app.roster
    assert "⚠" not in played.out, [ln for ln in played.out.splitlines() if "⚠" in ln]
    async with app.uow() as uow:
        group, heads = await uow.activations.get("2026-001"), await uow.activations.get("2026-002")
        assert group and heads and heads.parent_id == group.id
        assert heads.event_id == group.event_id
        decisions = await uow.decisions.of_event(group.event_id)
        commitments = await uow.commitments.of_event(group.event_id)
        reports = await uow.reports.of_event(group.event_id)
        timeline = await uow.timeline.of_event(group.event_id)
        called = {p.function for p in await uow.participants.of_activation(group.id)}
        pending = await uow.agenda.pending("samordningsgruppen")
    # levels, modes and chairs: the ordinary forums keep their standing chairs
    for act, forum, level in ((group, "samordningsgruppen", Level.COORDINATING),
                              (heads, "chefsgruppen", Level.DIRECTING)):
        assert act.forum == forum and act.level == level.value
        assert roster.forum(forum).mode is Mode.ORDINARY
    assert group.chair == "samordningschef@samordningskansliet"
    assert heads.chair == "lansoverdirektor@lansstyrelsen"
    assert {"sakerhetschef@nacka", "sakerhetschef@stockholm", "tib@lansstyrelsen"} <= called
    # who shared, who had done earlier work, the decisions of both forums at their meetings
    assert [r.actor for r in reports][:3] == ["nacka", "botkyrka", "stockholm"]
    assert [(c.actor, c.activation_id) for c in commitments] == [
        ("stockholm", "2026-001"), ("stockholm", "2026-002")]
    assert [(d.number, d.forum) for d in decisions] == [
        (1, "samordningsgruppen"), (2, "chefsgruppen"), (3, "samordningsgruppen"),
        (4, "chefsgruppen")]
    assert [d.created_at for d in decisions] == [GROUP_DEC, HEADS_DEC, GROUP_FEB, HEADS_FEB]
    (follow_up,) = [e for e in timeline if e.kind is EntryKind.FOLLOW_UP]
    assert follow_up.data["decision"] == 4 and follow_up.at == GROUP_APR
    assert follow_up.at - decisions[0].created_at > timedelta(weeks=16) and pending == []


async def _check_rooms_and_protocol(played: Played) -> None:
    group_room = played.room("samordningsgruppen")
    heads_room = played.room("chefsgruppen")
    dec_meeting = next(p for p in group_room if p.startswith("**Regionala samordningsgruppen"
                                                             " — möte mån 7 dec 13:00"))
    assert "Brister i reservkraft vid vattenverk (Nacka)" in dec_meeting
    heads_meetings = [p for p in heads_room if p.startswith("**Regionala chefsgruppen — möte")]
    assert "gemensamt projekt om reservkraft" in heads_meetings[0]  # 25 dec
    february = next(p for p in heads_meetings if "möte fre 26 feb" in p)
    assert "Rekommendation: gemensam rutin" in february
    async with played.app.uow() as uow:
        group = await uow.activations.get("2026-001")
    assert group is not None and group.protocol is not None
    protocol = group.protocol
    decisions = protocol[protocol.index("## Beslut"):protocol.index("## Aktörernas")]
    assert decisions.count("(ordinarie läge)") == 4
    assert "   - uppföljning 2027-04-05 13:00" in decisions
    assert decisions.index("4. Den gemensamma rutinen") < decisions.index("uppföljning 2027")
    assert "- [x] 2. Fråga om någon aktör har gjort liknande arbete" in protocol
    assert "- [x] 4. Följ upp beslutade rutiner" in protocol
