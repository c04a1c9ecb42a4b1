"""An exercise in rooms between two real activations: its own war room, numbering and clock,
every message marked ÖVNING, and no trace in the real activations, their status, standing
rooms or protocols."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.record import EntryKind
from bot.handlers.types import Reply
from bot.platforms.console.platform import ConsolePlatform
from bot.scheduling.runtime import default_timing
from bot.scheduling.upkeep import plan
from bot.settings import Settings
from tests.core.conftest import START, holder

EXERCISE = "Ö2026-001"
TIB = LEADER = "tib@lansstyrelsen"


@pytest.fixture
async def live(database_url: str) -> AsyncIterator[tuple[App, io.StringIO]]:
    """A bot in real mode (not a sandbox); the test moves the real clock by hand."""
    built = await build_app(Settings(database_url=database_url), clock=ManualClock(START))
    out = io.StringIO()
    built.add_platform(ConsolePlatform(built.roster, built.uow, out))
    try:
        yield built, out
    finally:
        await built.close()


async def _say(app: App, who: str, text: str, room: str | None = None) -> Reply:
    from bot.handlers.types import Origin

    person = holder(app, who) if "@" in who else who
    reply = await app.service.handle(text, Origin("console", person, room, user=person))
    await app.relay.wait_idle()
    return reply


async def _room(app: App, activation_id: str) -> str:
    async with app.uow() as uow:
        room = await uow.rooms.room("activation", activation_id, "console")
    assert room is not None
    return room


def _lines(out: io.StringIO, room: str) -> list[str]:
    return [ln for ln in out.getvalue().splitlines() if ln.startswith(f"[{room}]")]


async def test_exercise_between_two_real_activations(
        live: tuple[App, io.StringIO]) -> None:
    app, out = live
    first = await _say(app, TIB, "aktivera samordnande Vattenläcka Norrort")
    assert first.ok and "#2026-001" in first.text
    room = await _drill(app)
    await _check_clocks(app)
    _check_war_room(out, room)
    await _check_status_and_numbering(app)
    await _check_end(app, room)
    await _check_no_trace(app, out)


async def _drill(app: App) -> str:
    started = await _say(app, LEADER, "övning oväder Stormövning")
    assert started.ok and f"#{EXERCISE}" in started.text, started.text
    room = await _room(app, EXERCISE)
    assert room != await _room(app, "2026-001")
    # the exercise's clock: acknowledgements at exercise time, deadlines on its clock only
    acked = await _say(app, "vakthavande-befal@polisen", "kvittera", room)
    assert acked.ok and acked.text.startswith("ÖVNING · Kvitterat för #Ö2026-001"), acked.text
    refused = await _say(app, "vakthavande-befal@polisen", "klocka +30m", room)
    assert not refused.ok and refused.code == "exercise.not_leader"
    moved = await _say(app, LEADER, "klocka +3m", room)
    assert moved.ok and "13:03" in moved.text, moved.text
    assert (await _say(app, "tib@region-stockholm", "kvittera", room)).ok
    assert (await _say(app, LEADER, "klocka +3h", room)).ok
    # times in commands are read on the exercise clock (16:03), not the real one (13:00)
    planned = await _say(app, LEADER, "konferens om 1 timme", room)
    assert planned.ok and "17:03" in planned.text, planned.text
    shown = await _say(app, LEADER, f"klocka #{EXERCISE}")
    assert shown.ok and "16:03" in shown.text, shown.text
    escalated = await _say(app, LEADER, "eskalera", room)  # the exercise's own series too
    assert escalated.ok and "#Ö2026-002" in escalated.text, escalated.text
    return room


async def _check_clocks(app: App) -> None:
    async with app.uow() as uow:
        rows = {p.function: p for p in await uow.participants.of_activation(EXERCISE)}
        real_rows = await uow.participants.of_activation("2026-001")
        drill = await uow.activations.get(EXERCISE)
        assert drill is not None and drill.exercise
        exercise_log = await uow.timeline.of_event(drill.event_id)
        real_log = await uow.timeline.of_event(1)
    assert rows["tib@region-stockholm"].acked_at == START + timedelta(minutes=3)
    assert any(e.kind is EntryKind.ESCALATED_ACK for e in exercise_log)  # on the exercise clock
    assert not any(e.kind is EntryKind.ESCALATED_ACK for e in real_log)  # real time stood still
    assert all(r.deadline is None or r.deadline > START for r in real_rows)
    conferences = [e for e in exercise_log
                   if e.kind is EntryKind.CONFERENCE and "occurrence" in e.data]
    assert [e.at for e in conferences] == [START + timedelta(minutes=30)]  # oväder: every 3 h
    # the scheduler of real time never plans the exercise's conferences
    wanted = await plan(app.uow, default_timing(app.roster), START,
                        full=True)
    assert all(EXERCISE not in f.key for f in wanted.schedule)


def _check_war_room(out: io.StringIO, room: str) -> None:
    """Every message marked; deadlines, reminders and the conference in the order of time."""
    platform_notes = ("Inbjudna", "Moderatorer", "Ämne", "Rum skapat", "Länkat")
    posted = _lines(out, room)
    bodies = [ln.split("] ", 1)[1] for ln in posted if not ln.startswith(f"[{room}]   ")]
    said = [b for b in bodies if not b.startswith(platform_notes)]
    assert said and all(b.startswith(("ÖVNING", "**ÖVNING")) for b in said), "\n".join(said)
    first_deputy = next(i for i, b in enumerate(said) if "ersättaren" in b)
    reminder = next(i for i, b in enumerate(said) if "Påminnelse" in b)
    conference = next(i for i, b in enumerate(said) if "**Samverkanskonferens" in b)
    fallback = [i for i, b in enumerate(said) if "jourfunktion" in b]
    assert first_deputy < reminder < conference  # 13:05/13:10 deadlines, 13:15 reminder, 13:30
    assert not fallback or fallback[0] > first_deputy


async def _check_status_and_numbering(app: App) -> None:
    status = await _say(app, TIB, "status")
    head = status.text.splitlines()[0]
    assert "1" in head and "2026-001" in status.text
    real_part = status.text.split("övningar")[0]
    assert EXERCISE not in real_part and EXERCISE in status.text
    second = await _say(app, TIB, "aktivera samordnande Elavbrott Söder")
    assert second.ok and "#2026-002" in second.text  # the exercise took no real number


async def _check_end(app: App, room: str) -> None:
    ended = await _say(app, LEADER, "övning slut Bra genomförd", room)
    assert ended.ok, ended.text
    async with app.uow() as uow:
        drill = await uow.activations.get(EXERCISE)
    assert drill is not None and drill.protocol is not None
    assert "ÖVNING" in drill.protocol.splitlines()[0]
    async with app.uow() as uow:
        directing = await uow.activations.get("Ö2026-002")
    assert directing is not None and not directing.is_active  # `övning slut` ended both
    assert directing.protocol is not None and "Övningsrapport" in directing.protocol
    report = drill.protocol[drill.protocol.index("Övningsrapport"):]
    assert "Polisen: 0 min" in report and "Region Stockholm: 3 min" in report
    assert "Svarade aldrig" in report and "svarade aldrig" in report


async def _check_no_trace(app: App, out: io.StringIO) -> None:
    for real in ("2026-001", "2026-002"):
        assert (await _say(app, TIB, f"avaktivera #{real} Klart")).ok
    async with app.uow() as uow:
        for real in ("2026-001", "2026-002"):
            act = await uow.activations.get(real)
            assert act is not None and act.protocol is not None
            assert "Ö20" not in act.protocol and "ÖVNING" not in act.protocol
            assert "Stormövning" not in act.protocol
    forum_rooms = {f.standing_room.console or f.key for f in app.roster.forums}
    for forum_room in forum_rooms:
        for line in _lines(out, forum_room):
            assert "Ö20" not in line and "ÖVNING" not in line and "Stormövning" not in line
    assert any(_lines(out, r) for r in forum_rooms)  # the real ones did notify


def test_the_report_never_calls_a_covered_row_silent() -> None:
    """Found by a new user: rows covered by their actor's acknowledged fallback were listed
    under "Svarade aldrig" although the protocol says "täcks av"."""
    from datetime import UTC, datetime, timedelta

    from bot.domain.exercises import exercise_report
    from bot.domain.record import Participant, Stage

    t0 = datetime(2026, 11, 30, 12, tzinfo=UTC)

    def row(function: str, **changes: object) -> Participant:
        base = Participant(None, "Ö2026-001", function, function.split("@")[1], "p", Stage.HOLDER,
                           t0, None, "x")
        return replace(base, **changes)  # type: ignore[arg-type]

    rows = [row("tib@lst", acked_at=t0 + timedelta(minutes=2), acked_by="p"),
            row("lagesbild@lst", covered_by="tib@lst"),
            row("tib@polisen")]
    report = exercise_report(rows)
    assert [r.function for r in report.silent] == ["tib@polisen"]


async def test_a_second_exercise_of_the_same_title_is_pointed_to_another_title(
        live: tuple[App, io.StringIO]) -> None:
    """Found by a new user: the hint said `aktivera --ny …`, which starts a real activation;
    an exercise has no `--ny`, so the hint is `övning` with another title, and it works."""
    app, _out = live
    assert (await _say(app, LEADER, "övning oväder Stormövning")).ok
    again = await _say(app, LEADER, "övning oväder Stormövning")
    assert (again.ok, again.code) == (False, "activation.duplicate")
    assert "`övning ovader Stormövning 2`" in again.text and "aktivera" not in again.text
    assert (await _say(app, LEADER, "övning ovader Stormövning 2")).ok
    english = await _say(app, LEADER, "exercise storm Stormövning")
    assert "`exercise ovader Stormövning 2`" in english.text and "activate" not in english.text


async def test_the_clock_line_comes_after_what_the_jump_caused(
        live: tuple[App, io.StringIO]) -> None:
    """Found by a new user: "Övningsklockan flyttad … till 13:30" stood before the
    escalations of 13:10 and 13:20 it caused; the war room now reads in time order."""
    app, out = live
    assert (await _say(app, LEADER, "övning oväder Stormövning")).ok
    room = await _room(app, EXERCISE)
    moved = await _say(app, LEADER, "klocka +30m", room)
    assert moved.ok and "flyttas +30 min till 2026-11-21 13:30" in moved.text, moved.text
    lines = _lines(out, room)
    caused = [i for i, ln in enumerate(lines) if "eskalerat till" in ln or "Påminnelse" in ln]
    (now_at,) = [i for i, ln in enumerate(lines) if "Övningsklockan står nu på" in ln]
    assert caused and max(caused) < now_at, lines
    assert lines[now_at].endswith("ÖVNING · Övningsklockan står nu på 2026-11-21 13:30 (+30 min).")


async def test_from_the_lobby_the_clock_finds_the_exercise(
        live: tuple[App, io.StringIO]) -> None:
    """Found by a new user: `klocka` outside the war rooms, for someone in a real activation
    and an exercise, asked which of them (with a `läge` example) although only the exercise
    has a clock; other commands name the two, with their own word as the example."""
    app, _ = live
    assert (await _say(app, TIB, "aktivera samordnande Vattenläcka Norrort")).ok
    assert (await _say(app, LEADER, "övning oväder Stormövning")).ok
    moved = await _say(app, LEADER, "klocka +30m")
    assert moved.ok and "13:30" in moved.text, moved.text
    for text, example in [("beslut Skolor stängs", "`beslut #2026-001 …`"),
                          ("decision Schools close", "`decision #2026-001 …`"),
                          ("logg", "`logg #2026-001 …`")]:
        which = await _say(app, TIB, text)
        assert which.code == "activation.which" and example in which.text, which.text
        assert "#Ö2026-001" in which.text
