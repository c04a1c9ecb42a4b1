"""The console's exercise clock drives the time side: `:clock +2h` prints the reminders and
the agenda in the war room, in order, once."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

from bot.bootstrap import App
from bot.platforms.console.platform import ConsolePlatform
from bot.platforms.console.session import ConsoleSession
from bot.scheduling.engine import ScheduleEngine

SCRIPT = """
:as tib@lansstyrelsen
aktivera samordnande oväder Snöstorm Gorm
:room 2026-001
konferens 14:30
:clock +2h
:clock +1h
"""


async def _lines(text: str) -> AsyncIterator[str]:
    for line in text.splitlines():
        yield line + "\n"


async def test_clock_jump_fires_reminders_and_agenda(app: App, engine: ScheduleEngine) -> None:
    out = io.StringIO()
    platform = ConsolePlatform(app.roster, app.uow, out)
    app.add_platform(platform)
    await ConsoleSession(app, platform).run(_lines(SCRIPT))
    printed = out.getvalue()
    reminders = [line for line in printed.splitlines() if "⏰ Påminnelse" in line]
    assert len(reminders) == 2, printed[-3000:]
    assert "om 15 min" in reminders[0] and "om 5 min" in reminders[1]
    assert printed.count("**Samverkanskonferens 14:30") == 1
    assert printed.index("om 5 min") < printed.index("**Samverkanskonferens 14:30")
    room = reminders[0].split("]")[0] + "]"
    assert all(line.startswith(room) for line in reminders)  # the war room
    assert "Ej kvitterat: @" in printed  # silent holders are named, by name


async def _run(app: App, script: str) -> str:
    out = io.StringIO()
    platform = ConsolePlatform(app.roster, app.uow, out)
    app.add_platform(platform)
    await ConsoleSession(app, platform).run(_lines(script))
    return out.getvalue()


async def test_as_refusals_are_texts_not_internal_errors(app: App) -> None:
    """Found by a new user: `:as` alone and `:as` with two names answered "Något gick fel"
    (the grammar's refusal texts need `usage` and `example`, which `:as` did not give)."""
    printed = await _run(app, ":as\n:as tib@botkyrka tib@nacka\n:as nobody-at-all\n")
    lines = [line for line in printed.splitlines() if "⚠" in line]
    assert "Något gick fel" not in printed, printed
    assert len(lines) == 3, printed
    assert "Ange en aktör eller funktion" in lines[0]
    assert "Användning: `:as <person, aktör eller funktion>`" in printed
    assert "tib@nacka" in lines[1] and "fler argument" in lines[1]
    assert "Okänd aktör eller funktion ”nobody-at-all”" in lines[2]


async def test_huge_clock_jump_is_refused_at_once(app: App, engine: ScheduleEngine) -> None:
    """Found by a new user: `:clock +999999d` replayed every conference one by one."""
    before = app.clock.now()
    printed = await _run(app, ":clock +999999d\n:clock +99999999999d\n:clock +61d\n")
    refusals = [line for line in printed.splitlines() if "för stort hopp" in line]
    assert len(refusals) == 3 and all("högst 60 dagar" in r for r in refusals), printed
    assert app.clock.now() == before


async def test_room_of_an_activation_that_does_not_exist_is_refused(app: App) -> None:
    """Found by a new user: `:room 2026-999` moved into a made-up room, and the commands
    after it ran from there. A room name that is no activation id stays free (`lobby`)."""
    printed = await _run(app, ":as tib@lansstyrelsen\n"
                              "aktivera samordnande Snöstorm Gorm\n"
                              ":room 2026-999\n:room #Ö2026-001\n:room 2026-001\n:room lobby\n")
    refused = [line for line in printed.splitlines() if "⚠" in line]
    assert len(refused) == 2 and "inget krisrum för #2026-999" in refused[0], printed
    assert "#Ö2026-001" in refused[1]
    moved = [line for line in printed.splitlines() if "Du är i rummet" in line]
    assert len(moved) == 2 and moved[-1].endswith("Du är i rummet lobby."), printed


async def test_meta_words_in_any_case(app: App) -> None:
    """Found by a new user: `:QUIT` was "Okänt"."""
    printed = await _run(app, ":AS tib@lansstyrelsen\n:QUIT\nstatus\n")
    assert "Du talar nu som" in printed and "Okänt" not in printed, printed
    assert "Pågående aktiveringar" not in printed, "nothing runs after :QUIT"
