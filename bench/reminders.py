"""10,000 scheduled reminders on SQLite with the real APScheduler and a real clock.

Seeds 10,000 activations, each with one conference series, whose reminders fall due evenly
over a window (default 120 s: 83 reminders a second, starting 30 s after the scheduler is
up); the conferences themselves are an hour later, so the job store holds 20,000 jobs.
Measures:

- start-up: the first start (the rebuild writes every job into the store) and a restart
  (jobs already there: read the ids, add none);
- memory: RSS after start-up and at the end;
- lateness of each reminder: delivery time minus due time, at the database (the delivery row)
  and at the platform (the post reaching it through the outbox), p50/p99/max.

Goal: p99 ≤ 1 s. Run: .venv/bin/python bench/reminders.py [--count 10000] [--window 120]
(`--window 60` is 167 a second: more than one SQLite writer can take, see the README.)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.bootstrap import App, build_app
from bot.domain.effects import Post
from bot.domain.guards import DeliveryStatus
from bot.scheduling.planning import Timing
from bot.scheduling.runtime import SchedulingRuntime
from bot.settings import Settings
from storage.database import sync_url
from storage.tables import ActivationRow, ConferenceSeriesRow, EventRow
from storage.uow import SqlUnitOfWorkFactory

ACT_IN_TEXT = re.compile(r"#2026-\d{5} ")
LEAD = timedelta(hours=1)  # reminder offset: the conferences fall outside the window
TIMING = Timing(reminders=(LEAD,), late_after=timedelta(seconds=5), grace=timedelta(minutes=5))


class Receiver:
    """The platform: notes when each post arrives."""

    name = "bench"

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str]] = []

    async def post(self, effect: Post) -> None:
        self.arrivals.append((time.time(), effect.text))

    async def open_war_room(self, effect: object) -> None: ...
    async def invite(self, effect: object) -> None: ...
    async def set_moderators(self, effect: object) -> None: ...
    async def set_topic(self, effect: object) -> None: ...
    async def close_war_room(self, effect: object) -> None: ...
    async def bridge(self, effect: object) -> None: ...


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def seed(app: App, count: int, first_due: datetime, window: float) -> None:
    now = datetime.now(UTC)
    events = [{"id": i + 1, "title": f"B{i}", "scenario": None, "created_at": now,
               "exercise": False} for i in range(count)]
    acts = [{"id": act_id(i), "event_id": i + 1, "forum": "samordnande",
             "level": "samordnande", "title": f"Bänk {i}", "scenario": None, "status": "aktiv",
             "chair": "tib@lansstyrelsen", "initiated_by": "x",
             "initiated_as": "tib@lansstyrelsen", "created_at": now, "exercise": False}
            for i in range(count)]
    series = []
    for n in range(count):
        start = due(first_due, window, count, n) + LEAD
        series.append({"activation_id": act_id(n), "first_at": start,
                       "every_seconds": None, "created_by": None, "created_at": now,
                       "next_at": start, "planned_from": now, "cancelled_at": None,
                       "jobs_planned": False})
    async with app.engine.begin() as conn:
        for table, rows in ((EventRow, events), (ActivationRow, acts),
                            (ConferenceSeriesRow, series)):
            for chunk in range(0, count, 2000):
                await conn.execute(insert(table), rows[chunk:chunk + 2000])


def act_id(n: int) -> str:
    return f"2026-{n + 1:05d}"


def due(first_due: datetime, window: float, count: int, n: int) -> datetime:
    return first_due + timedelta(seconds=n * window / count)


async def started(app: App, url: str) -> tuple[SchedulingRuntime, float]:
    runtime = SchedulingRuntime(app, app.service, sync_url(url), timing=TIMING,
                                acks_every=3600)
    began = time.perf_counter()
    await runtime.start()
    return runtime, time.perf_counter() - began


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(count: int, window: float, lead_in: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        app = await build_app(Settings(database_url=url))
        factory = SqlUnitOfWorkFactory(app.engine)
        app.uow = app.service.uow = app.relay.uow = factory
        receiver = Receiver()
        app.add_platform(receiver)
        first_due = datetime.now(UTC) + timedelta(seconds=lead_in + 60)
        await seed(app, count, first_due, window)
        runtime, cold = await started(app, url)
        jobs = len(await runtime.aps.job_ids())
        await runtime.stop()
        runtime.aps.close()
        runtime, warm = await started(app, url)
        rss_started = rss_mib()
        print(f"{count} series, {jobs} jobs in the store; first start {cold:.2f} s, "
              f"restart {warm:.2f} s, RSS {rss_started:.0f} MiB", flush=True)
        wait = (first_due - datetime.now(UTC)).total_seconds() + window + 5
        await asyncio.sleep(wait)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(receiver.arrivals) < count:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        await app.relay.wait_idle(120)
        await report(app, receiver, Run(count, first_due, window, cold, warm, rss_started))
        await runtime.close()
        await app.close()


@dataclass(frozen=True)
class Run:
    count: int
    first_due: datetime
    window: float
    cold: float
    warm: float
    rss_started: float


async def report(app: App, receiver: Receiver, run: Run) -> None:
    count, first_due, window = run.count, run.first_due, run.window
    async with app.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT due_at, at, status FROM deliveries"))).all()
    db_late = [(_dt(at) - _dt(due)).total_seconds() for due, at, _ in rows]
    statuses = {s: sum(1 for *_, x in rows if x == s) for s in {r[2] for r in rows}}
    due_of = {f"#{act_id(n)} ": due(first_due, window, count, n).timestamp()
              for n in range(count)}
    platform_late = [arrived - due_of[match.group(0)]
                     for arrived, body in receiver.arrivals
                     if (match := ACT_IN_TEXT.search(body)) is not None]
    print(f"delivered: {len(rows)} rows {statuses}, {len(receiver.arrivals)} posts received")
    for name, values in (("at the database", db_late), ("at the platform", platform_late)):
        if values:
            print(f"lateness {name}: p50 {statistics.median(values):.3f} s, "
                  f"p99 {pct(values, 99):.3f} s, max {max(values):.3f} s")
    print(f"RSS after start-up {run.rss_started:.0f} MiB, at the end {rss_mib():.0f} MiB "
          f"(peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")
    ok = db_late and pct(db_late, 99) <= 1.0 and statuses.get(DeliveryStatus.SENT.value) == count
    print(f"goal p99 ≤ 1 s: {'met' if ok else 'NOT met'} at {count / window:.0f} reminders/s; "
          f"start-up {run.cold:.2f} s (first) / {run.warm:.2f} s (restart)")


def _dt(value: object) -> datetime:
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=120.0, help="seconds")
    parser.add_argument("--lead-in", type=float, default=30.0,
                        help="seconds between start-up and the first reminder")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(args.count, args.window, args.lead_in))


if __name__ == "__main__":
    main()
