"""The conference agenda's "Samverkansbehov" item lists the event's open resource needs."""

from __future__ import annotations

from datetime import timedelta

from bot.bootstrap import App
from bot.scheduling.engine import ScheduleEngine
from tests.scheduling.helpers import RecordingPlatform, advance, say

ACT = "2026-001"


async def _agenda(app: App, chat: RecordingPlatform) -> list[str]:
    await advance(app, timedelta(minutes=90))  # 14:30
    (agenda,) = [p.text for p in chat.notices("activation", ACT) if "Dagordning" in p.text]
    return agenda.splitlines()


async def test_agenda_shows_open_needs(app: App, engine: ScheduleEngine,
                                       chat: RecordingPlatform) -> None:
    for who, text in [("tib@lansstyrelsen", "aktivera samordnande oväder Snöstorm Gorm"),
                      ("tib@lansstyrelsen", "konferens 14:30"),
                      ("tib@norrtalje", "resurs behov 2 reservkraftverk 100 kVA"),
                      ("tib@region-stockholm", "resurs behov 4 bandvagnar"),
                      ("vakthavande@forsvarsmakten", "resurs erbjud 4 bandvagnar"),
                      ("tib@lansstyrelsen", "resurs matcha 2 3")]:
        reply = await say(app, who, text)
        assert reply.ok, reply.text
    chat.clear()
    lines = await _agenda(app, chat)
    (needs,) = [line for line in lines if line.startswith("5. Samverkansbehov")]
    assert needs == ("5. Samverkansbehov — öppna resursbehov: Norrtälje: 2 reservkraftverk "
                     "100 kVA (behov 1)")  # the matched need 2 is not open
    assert lines[lines.index(needs) + 1].startswith("6. Inriktning")


async def test_agenda_without_needs_is_the_default(app: App, engine: ScheduleEngine,
                                                   chat: RecordingPlatform) -> None:
    for text in ["aktivera samordnande oväder Snöstorm Gorm", "konferens 14:30"]:
        assert (await say(app, "tib@lansstyrelsen", text)).ok
    chat.clear()
    assert "5. Samverkansbehov" in await _agenda(app, chat)
