"""Samverkanskonferenser on the exercise clock: reminders at 14:15 and 14:25, agenda and roll
call at 14:30, recurring series that stop with the activation, attendance in the record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.bootstrap import App
from bot.domain.record import EntryKind
from bot.scheduling.engine import ScheduleEngine
from tests.scheduling.helpers import RecordingPlatform, advance, holder, say

TIB = "tib@lansstyrelsen"
POLICE = "vakthavande-befal@polisen"
ACT = "2026-001"


async def _activate(app: App) -> None:
    reply = await say(app, TIB, "aktivera samordnande oväder Snöstorm Gorm")
    assert reply.ok, reply.text


async def _assignee(app: App, ref: str) -> str:
    async with app.uow() as uow:
        rows = await uow.participants.of_activation(ACT)
    return next(p.person for p in rows if p.function == ref)


async def _timeline(app: App, kind: EntryKind) -> list[str]:
    async with app.uow() as uow:
        act = await uow.activations.get(ACT)
        assert act is not None
        return [e.text for e in await uow.timeline.of_event(act.event_id) if e.kind is kind]


async def test_reminders_at_quarter_past_and_twenty_five_past_then_agenda(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await _activate(app)
    reply = await say(app, TIB, "konferens 14:30")
    assert reply.ok, reply.text
    assert "14:30" in reply.text and "15 och 5" in reply.text
    chat.clear()

    await advance(app, timedelta(minutes=74))  # 14:14
    assert [p.text for p in chat.notices("activation", ACT)] == []
    await advance(app, timedelta(minutes=1))  # 14:15
    first = chat.notices("activation", ACT)
    assert len(first) == 1 and "Påminnelse" in first[0].text and "om 15 min" in first[0].text
    # Called and silent: by now the deadline has passed the row on to the deputy.
    assert await _assignee(app, POLICE) in first[0].mentions
    assert "försenad" not in first[0].text

    await advance(app, timedelta(minutes=9))  # 14:24
    assert len(chat.notices("activation", ACT)) == 1
    await advance(app, timedelta(minutes=1))  # 14:25
    texts = [p.text for p in chat.notices("activation", ACT)]
    assert len(texts) == 2 and "om 5 min" in texts[1]

    await advance(app, timedelta(minutes=5))  # 14:30
    texts = [p.text for p in chat.notices("activation", ACT)]
    assert len(texts) == 3
    agenda = texts[2]
    assert "Samverkanskonferens 14:30" in agenda and "Dagordning" in agenda
    lines = agenda.splitlines()
    assert "0. Upprop — aktörer och funktioner" in lines
    assert "1. Syfte och inledande läge (ordförande)" in lines
    assert any(line.startswith("14. Nästa möte") for line in lines)  # 10 + 4 additions
    assert "SMHI:s varning" in agenda  # the oväder scenario's addition
    assert "närvarande" in agenda
    # Nothing more on a later tick: each firing happens once.
    await advance(app, timedelta(minutes=30))
    assert len([p.text for p in chat.notices("activation", ACT)]) == 3
    assert any("inledd" in t for t in await _timeline(app, EntryKind.CONFERENCE))


async def test_the_acknowledged_are_not_named_in_reminders(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await _activate(app)
    assert (await say(app, POLICE, "kvittera")).ok
    await say(app, TIB, "konferens 14:30")
    await advance(app, timedelta(minutes=75))
    reminder = chat.notices("activation", ACT)[-1]
    assert "Påminnelse" in reminder.text
    assert holder(app, POLICE) not in reminder.mentions
    assert reminder.mentions  # others have not acknowledged


async def test_a_jump_over_everything_fires_each_once_in_order(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await _activate(app)
    await say(app, TIB, "konferens 14:30")
    chat.clear()
    await advance(app, timedelta(hours=2))  # `:clock +2h` in the console
    texts = [p.text for p in chat.notices("activation", ACT)]
    assert len(texts) == 3
    assert "om 15 min" in texts[0] and "om 5 min" in texts[1] and "Dagordning" in texts[2]


@pytest.mark.long
async def test_recurring_every_three_hours_stops_at_deactivation(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await _activate(app)
    reply = await say(app, TIB, "konferens om 2 timmar var 3:e timme")
    assert reply.ok, reply.text
    assert "var 3:e timme" in reply.text
    listing = await say(app, TIB, "konferens")
    assert "15:00" in listing.text
    chat.clear()
    await advance(app, timedelta(hours=8), step=timedelta(minutes=15))  # 21:00
    agendas = [t for t in [p.text for p in chat.notices("activation", ACT)] if "Dagordning" in t]
    assert [a.split("—")[0].strip() for a in agendas] == [
        f"**Samverkanskonferens {hh}:00" for hh in (15, 18, 21)]
    assert "Nästa samverkanskonferens: tis 24 nov 00:00" in agendas[-1]

    assert (await say(app, TIB, "avaktivera Stormen över")).ok
    chat.clear()
    await advance(app, timedelta(hours=12), step=timedelta(minutes=15))
    assert [p.text for p in chat.notices("activation", ACT)] == []
    async with app.uow() as uow:
        series = await uow.conferences.all()  # type: ignore[attr-defined]
    assert len(series) == 1 and series[0].cancelled_at is not None


async def test_roll_call_records_attendance_per_actor_and_function(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await _activate(app)
    refused = await say(app, POLICE, "närvarande")
    assert not refused.ok and "Ingen samverkanskonferens pågår" in refused.text
    await say(app, TIB, "konferens 14:30")
    await advance(app, timedelta(minutes=90))
    first = await say(app, POLICE, "närvarande")
    assert first.ok and "Närvaro registrerad" in first.text and "Polisen" in first.text
    again = await say(app, POLICE, "närvarande")
    assert again.ok and "redan registrerad" in again.text
    ack = await say(app, "tib@region-stockholm", "kvittera")
    assert ack.ok and "Närvaro registrerad" in ack.text
    attendance = await _timeline(app, EntryKind.ATTENDANCE)
    assert len(attendance) == 2
    assert any("Polisen" in a for a in attendance)
    assert any("Region Stockholm" in a for a in attendance)
    # The roll call closes: three hours later answers are refused.
    await advance(app, timedelta(hours=3, minutes=1))
    late = await say(app, "tib@stockholm", "närvarande")
    assert not late.ok


async def test_bad_conference_times_change_nothing(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await _activate(app)
    past = await say(app, TIB, "konferens 2026-11-23 12:00")
    assert not past.ok and "redan passerat" in past.text
    often = await say(app, TIB, "konferens 14:30 var 10:e minut")
    assert not often.ok and "30 minuter" in often.text
    assert (await say(app, TIB, "konferens 14:30")).ok
    dup = await say(app, TIB, "konferens 14:30")
    assert not dup.ok and "redan planerad" in dup.text
    outsider = await say(app, "lansoverdirektor@lansstyrelsen", "konferens #2026-001 15:30")
    assert not outsider.ok
    listing = await say(app, TIB, "konferens")
    assert listing.ok and listing.text.count("\n- ") == 1


async def test_status_lists_upcoming_conferences(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await _activate(app)
    await say(app, TIB, "konferens 14:30 var 2 timmar")
    status = await say(app, TIB, "status")
    assert "Kommande samverkanskonferenser" in status.text and "#2026-001 14:30" in status.text


async def test_the_list_says_how_many_more_there_are_and_how_to_see_them(
        app: App, engine: ScheduleEngine) -> None:
    """Found by a new user: bare `konferens` showed five and said nothing of the rest."""
    await _activate(app)
    for hour in range(14, 21):  # seven series
        assert (await say(app, TIB, f"konferens {hour}:10")).ok
    short = (await say(app, TIB, "konferens")).text.splitlines()
    assert [ln[:7] for ln in short[1:6]] == [f"- {h}:10" for h in range(14, 19)]
    assert short[6] == f"… och 2 till: `konferens alla` (#{ACT}) visar alla."
    everything = (await say(app, TIB, "konferens alla")).text.splitlines()
    assert [ln[:7] for ln in everything[1:]] == [f"- {h}:10" for h in range(14, 21)]
    assert (await say(app, TIB, "konferens 21:10")).ok
    english_word = (await say(app, TIB, "conference")).text  # the room's language stays
    assert f"… och 3 till: `konferens alla` (#{ACT}) visar alla." in english_word
