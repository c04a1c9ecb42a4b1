"""Ordinary-mode meetings on the exercise clock: the roster's standing meetings, `möte ny`,
`möte lista`, `möte stopp`, agenda items raised with `ärende`, reminders in the forum room."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.bootstrap import App
from bot.scheduling.engine import ScheduleEngine
from tests.scheduling.conftest import STOCKHOLM
from tests.scheduling.helpers import RecordingPlatform, advance, say

CHIEF = "samordningschef@samordningskansliet"
GROUP = "samordningsgruppen"


async def test_standing_meetings_come_from_the_roster(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await app.service.tick()  # the console's first tick creates them
    listing = await say(app, CHIEF, "möte lista")
    lines = listing.text.splitlines()
    assert lines[0] == "Återkommande möten:"
    assert any("Veckovis samverkanskonferens — varje torsdag 09:00 — nästa tor 26 nov 09:00"
               in line for line in lines)
    assert any("Regionala chefsgruppen — sista fredagen i månaden 10:00 — nästa fre 27 nov 10:00"
               in line for line in lines)
    assert any("Regionala samordningsgruppen — första måndagen i månaden 13:00 — nästa mån 7 dec"
               in line for line in lines)
    await app.service.tick()
    listed = (await say(app, CHIEF, "möte lista")).text.splitlines()
    assert len([line for line in listed if line.startswith("- ")]) == 3  # not doubled


async def test_weekly_meeting_reminders_and_agenda_in_the_forum_room(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await app.service.tick()
    raised = await say(app, "tib@lansstyrelsen", "ärende veckokonferens: Halkbekämpning i länet")
    assert raised.ok and "tor 26 nov 09:00" in raised.text, raised.text
    # Thursday 26 Nov 09:00 is 2 days 20 hours away.
    await advance(app, timedelta(days=2, hours=19, minutes=45))
    reminder = chat.notices("forum", "veckokonferens")
    assert len(reminder) == 1 and "om 15 min" in reminder[0].text
    assert "Anmälda ärenden: 1" in reminder[0].text
    await advance(app, timedelta(minutes=15))
    posts = [p.text for p in chat.notices("forum", "veckokonferens")]
    assert len(posts) == 3
    assert "Veckovis samverkanskonferens — möte tor 26 nov 09:00" in posts[2]
    assert "Halkbekämpning i länet (Länsstyrelsen)" in posts[2]
    assert "Nästa möte: tor 3 dec 09:00" in posts[2]
    async with app.uow() as uow:
        assert await uow.agenda.pending("veckokonferens") == []  # type: ignore[attr-defined]
    # The next meeting starts without it.
    await advance(app, timedelta(days=7))
    last = chat.notices("forum", "veckokonferens")[-1].text
    assert "tor 3 dec 09:00" in last and "inga anmälda" in last


async def test_new_list_stop(app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    created = await say(app, CHIEF, "möte ny samordningsgruppen varje tisdag 10:00")
    assert created.ok, created.text
    assert "nästa: tis 24 nov 10:00" in created.text.lower()
    mid = int(created.text.split()[1])
    again = await say(app, CHIEF, "möte ny samordningsgruppen varje tisdag 10:00")
    assert not again.ok and "redan" in again.text
    outsider = await say(app, "tib@danderyd", "möte ny samordningsgruppen varje onsdag 10:00")
    assert not outsider.ok
    hourly = await say(app, CHIEF, "möte ny samordningsgruppen var 3:e timme")
    assert not hourly.ok
    assert "tisdag 10:00" in (await say(app, CHIEF, "möte lista")).text
    stopped = await say(app, CHIEF, f"möte stopp {mid}")
    assert stopped.ok and "stoppat" in stopped.text
    assert not (await say(app, CHIEF, f"möte stopp {mid}")).ok
    await advance(app, timedelta(days=2))
    assert [p for p in chat.notices("forum", GROUP) if "tis 24 nov" in p.text] == []


async def test_monthly_meeting_takes_items_raised_in_its_room(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    await app.service.tick()
    raised = await say(app, "sakerhetschef@nacka", "ärende Brist i samverkan kring område X",
                        room="samordningsgruppen")
    assert raised.ok and "Regionala samordningsgruppen" in raised.text
    assert "mån 7 dec" in raised.text
    target = datetime(2026, 12, 7, 13, 0, tzinfo=STOCKHOLM)
    await advance(app, target - app.clock.now())
    agenda = chat.notices("forum", GROUP)[-1].text
    assert "Regionala samordningsgruppen — möte mån 7 dec 13:00" in agenda
    assert "Brist i samverkan kring område X" in agenda
    assert "Nästa möte: mån 4 jan 13:00" in agenda


async def test_items_without_a_forum_go_to_the_next_meeting(
        app: App, engine: ScheduleEngine, chat: RecordingPlatform) -> None:
    # No tick yet: the standing meetings appear the first time anyone asks.
    raised = await say(app, CHIEF, "ärende Något att ta upp")
    assert raised.ok and "Veckovis samverkanskonferens" in raised.text  # Thursday comes first
    for meeting in [line for line in (await say(app, CHIEF, "möte lista")).text.splitlines()
                    if line.startswith("- ")]:
        stopped = await say(app, "tib@lansstyrelsen", f"möte stopp {meeting.split()[1]}")
        assert stopped.ok, stopped.text
    refused = await say(app, CHIEF, "ärende Något annat")
    assert not refused.ok and "Vilket forum" in refused.text  # no meeting, no forum room


async def test_status_lists_meetings(app: App, engine: ScheduleEngine,
                                     chat: RecordingPlatform) -> None:
    await app.service.tick()
    status = await say(app, CHIEF, "status")
    assert "Kommande möten:" in status.text and "Veckovis samverkanskonferens tor 26 nov 09:00" \
        in status.text
