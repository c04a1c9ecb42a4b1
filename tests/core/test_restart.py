"""Stopping and starting again keeps everything; effects recorded before a crash are
performed after the restart, exactly once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import bootstrap
from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.effects import OpenWarRoom
from bot.domain.roster import FunctionRef
from bot.outbox.relay import OutboxRelay
from bot.platforms.console.platform import ConsolePlatform
from bot.settings import Settings
from tests.core.conftest import START, holder, say

STORM = "aktivera samordnande oväder Snöstorm Gorm"


async def _app(url: str, at: timedelta = timedelta(0)) -> App:
    return await build_app(Settings(database_url=url), clock=ManualClock(START + at),
                           exercise=True)


async def test_restart_keeps_the_record(database_url: str) -> None:
    first = await _app(database_url)
    try:
        assert (await say(first, "tib@lansstyrelsen", STORM)).ok
        assert (await say(first, "vakthavande-befal@polisen", "kvittera")).ok
        assert (await say(first, "vakthavande-befal@polisen", "läge Många olyckor")).ok
        async with first.uow() as uow:
            rows_before = await uow.participants.of_activation("2026-001")
            timeline_before = await uow.timeline.of_event(1)
    finally:
        await first.close()

    second = await _app(database_url, timedelta(minutes=5))
    try:
        async with second.uow() as uow:
            assert await uow.participants.of_activation("2026-001") == rows_before
            assert await uow.timeline.of_event(1) == timeline_before
        status = await say(second, "tib@lansstyrelsen", "status")
        assert "#2026-001" in status.text and "2/" in status.text
        picture = await say(second, "tib@lansstyrelsen", "lägesbild #2026-001")
        assert "Många olyckor" in picture.text
        again = await say(second, "tib@lansstyrelsen", "aktivera verkstallande Vattenläcka")
        assert again.ok and "#2026-002" in again.text
    finally:
        await second.close()


async def test_effects_pending_at_a_crash_are_done_after_restart(database_url: str) -> None:
    crashed = await _app(database_url)
    crashed.service.relay = None  # the process dies between commit and the platform calls
    try:
        assert (await say(crashed, "tib@lansstyrelsen", STORM)).ok
        async with crashed.uow() as uow:
            assert len(await uow.outbox.pending()) == 4  # room, summary, checklist, forum notice
    finally:
        await crashed.close()

    restarted = await _app(database_url)
    out = io.StringIO()
    platform = ConsolePlatform(restarted.roster, restarted.uow, out)
    restarted.add_platform(platform)
    try:
        assert await restarted.relay.drain() == 4
        assert await restarted.relay.drain() == 0
        text = out.getvalue()
        assert text.count("Rum skapat") == 1 and "Snöstorm Gorm" in text
        async with restarted.uow() as uow:
            room = await uow.rooms.room("activation", "2026-001", "console")
            assert room is not None and await uow.outbox.pending() == []
        # a redelivery of the same effect (crash after the call, before settle) is harmless
        await platform.open_war_room(OpenWarRoom("2026-001", "x", "y", [], []))
        assert out.getvalue().count("Rum skapat") == 1
    finally:
        await restarted.close()


async def test_silent_function_goes_to_deputy_then_fallback(app: App) -> None:
    ref = "tib@botkyrka"
    first = holder(app, ref)
    assert (await say(app, "tib@lansstyrelsen", STORM)).ok
    assert isinstance(app.clock, ManualClock)
    app.clock.advance(timedelta(minutes=4))  # the shortest deadline in the roster is 5 min
    assert await app.service.check_acknowledgements() == 0
    app.clock.advance(timedelta(minutes=7))
    changed = await app.service.check_acknowledgements()
    assert changed >= 40  # everyone but the convener stayed silent
    async with app.uow() as uow:
        row = next(p for p in await uow.participants.of_activation("2026-001")
                   if p.function == ref)
    deputy = app.roster.deputy(FunctionRef.parse(ref), START)
    assert row.holder == first and row.person == deputy and row.stage.value == "ersättare"
    # the deputy can acknowledge; the original holder still can speak for the function
    assert (await say(app, deputy or "", "kvittera #2026-001")).ok
    app.clock.advance(timedelta(minutes=30))
    await app.service.check_acknowledgements()
    async with app.uow() as uow:
        rows = await uow.participants.of_activation("2026-001")
        timeline = await uow.timeline.of_event(1)
    assert next(p for p in rows if p.function == ref).acked_at is not None
    stages = {p.stage.value for p in rows}
    assert "reserv" in stages or all(p.deadline is None for p in rows if p.acked_at is None)
    assert sum(1 for e in timeline if e.kind.value == "ej_kvitterad_eskalerad") >= changed


def test_rotation_hands_over_at_local_time_in_summer_too() -> None:
    from datetime import datetime as dt
    from zoneinfo import ZoneInfo

    from bot.domain.roster import Rotation

    tz = ZoneInfo("Europe/Stockholm")
    rot = Rotation(start=dt(2026, 1, 5, 8, 0, tzinfo=tz), people=["a", "b", "c"])
    monday = dt(2026, 6, 1, 8, 0, tzinfo=tz)  # CEST; 21 weeks after the start
    assert rot.index_at(monday) == 21 % 3
    assert rot.index_at(monday.replace(minute=0, hour=7, second=59)) == 20 % 3


async def test_a_scenario_with_a_rhythm_plans_its_conferences(app: App) -> None:
    reply = await say(app, "tib@lansstyrelsen", STORM)  # oväder: every 3 hours
    assert "Första samverkanskonferens 13:30, sedan var 3:e timme" in reply.text
    listing = await say(app, "tib@lansstyrelsen", "konferens #2026-001")
    assert "13:30, var 3:e timme" in listing.text
    plain = await say(app, "tib@lansstyrelsen", "aktivera verkstallande Vattenläcka i city")
    assert plain.ok and "samverkanskonferens" not in plain.text


async def test_a_start_that_fails_after_the_engine_closes_it(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A start that fails half-way (the outbox cannot be read) leaves no connection open."""
    disposed: list[AsyncEngine] = []
    real_dispose = AsyncEngine.dispose

    async def dispose(engine: AsyncEngine, close: bool = True) -> None:
        disposed.append(engine)
        await real_dispose(engine, close)

    async def broken(self: OutboxRelay) -> None:
        raise OSError("disk gone")

    made: list[AsyncEngine] = []
    real_make = bootstrap.make_engine
    monkeypatch.setattr(bootstrap, "make_engine", lambda url: made.append(real_make(url))
                        or made[-1])
    monkeypatch.setattr(AsyncEngine, "dispose", dispose)
    monkeypatch.setattr(OutboxRelay, "prepare", broken)
    with pytest.raises(OSError, match="disk gone"):
        await _app(database_url)
    assert len(made) == 1 and made[0] in disposed
