"""Core latency through the terminal adapter, in-process, on a filled SQLite database.

Fills SQLite with 1,000 activations and 100,000 timeline entries, then times `läge`,
`lägesbild` and `aktivera` (the coordinating forum: 40 actors, 46 functions) as the terminal
would run them: parse → handler → commit → outbox → console output. Prints p50/p95.
Goal: p95 ≤ 20 ms for `läge`, ≤ 50 ms for `lägesbild` and `aktivera`.

Run: .venv/bin/python bench/core.py [--activations 1000] [--timeline 100000] [--runs 200]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.roster import FunctionRef
from bot.platforms.console.platform import ConsolePlatform
from bot.platforms.console.session import ConsoleSession
from bot.settings import Settings
from storage.tables import TimelineRow

START = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


async def fill(app: App, session: ConsoleSession, activations: int, entries: int) -> None:
    """Activations through the real command path; the bulk of the timeline by bulk insert."""
    session.person = app.roster.holder(FunctionRef("tib", "lansstyrelsen"), app.clock.now())
    for i in range(activations - 1):
        await session.command(f"aktivera verkstallande Övningshändelse {i}")
        await app.relay.wait_idle()
    async with app.uow() as uow:
        existing = len(await uow.timeline.of_event(1))
    per_event = max(1, (entries - existing * activations) // activations)
    rows = [
        {"event_id": 1 + (n % (activations - 1)), "activation_id": None,
         "at": START + timedelta(seconds=n), "kind": "notering", "person": None,
         "function": None, "actor": None, "text": f"fyllnad {n}", "data": {}}
        for n in range(per_event * activations)
    ]
    async with app.engine.begin() as conn:
        for chunk in range(0, len(rows), 5000):
            await conn.execute(insert(TimelineRow), rows[chunk:chunk + 5000])


async def timed(app: App, session: ConsoleSession, line: str) -> float:
    began = time.perf_counter()
    await session.command(line)
    await app.relay.wait_idle()
    return (time.perf_counter() - began) * 1000


def summary(name: str, samples: list[float], goal: float) -> str:
    q = statistics.quantiles(samples, n=100)
    verdict = "OK" if q[94] <= goal else "OVER GOAL"
    return (f"{name:10s} n={len(samples):4d}  p50={q[49]:7.2f} ms  p95={q[94]:7.2f} ms  "
            f"(goal p95 ≤ {goal:.0f} ms: {verdict})")


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        app = await build_app(Settings(database_url=url), clock=ManualClock(START), exercise=True)
        platform = ConsolePlatform(app.roster, app.uow, io.StringIO())
        app.add_platform(platform)
        session = ConsoleSession(app, platform)
        began = time.perf_counter()
        await fill(app, session, args.activations, args.timeline)
        async with app.engine.connect() as conn:
            from sqlalchemy import func, select
            n_entries = (await conn.execute(select(func.count()).select_from(TimelineRow))).scalar()
        print(f"filled: {args.activations - 1} activations, {n_entries} timeline entries "
              f"in {time.perf_counter() - began:.1f} s")
        tib = app.roster.holder(FunctionRef("tib", "lansstyrelsen"), app.clock.now())
        session.person = tib
        await session.command("aktivera samordnande oväder Snöstorm Gorm")  # the 1,000th
        await app.relay.wait_idle()
        async with app.uow() as uow:
            act = max((a for a in await uow.activations.active()), key=lambda a: a.id)
            room = await uow.rooms.room("activation", act.id, "console")
        assert room is not None
        session.room = room
        session.person = app.roster.holder(FunctionRef("vakthavande-befal", "polisen"),
                                           app.clock.now())
        report = [await timed(app, session, f"läge Lägesrapport nummer {i}")
                  for i in range(args.runs)]
        picture = [await timed(app, session, "lägesbild") for _ in range(args.runs)]
        session.person, session.room = tib, "lobby"
        activate = [await timed(app, session, f"aktivera samordnande Storm {i} Gorm")
                    for i in range(max(20, args.runs // 4))]
        print(summary("läge", report, 20))
        print(summary("lägesbild", picture, 50))
        print(summary("aktivera", activate, 50))
        await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activations", type=int, default=1000)
    parser.add_argument("--timeline", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    asyncio.run(main(parser.parse_args()))
