"""Load: 50 concurrent real Matrix clients send 5,000 commands in total to war rooms on a real
Synapse (the bot exempted from rate limits with the admin API's override_ratelimit, as the
README says); every command must be answered exactly once; p50/p95 from send to the bot's
answer as seen by the clients (goal p95 ≤ 300 ms). Then 50 concurrent signed Slack requests
against the Slack fake: every one acknowledged within Slack's 3 s. Both on SQLite and on
PostgreSQL (when pg_isready answers).

The bot is `samverkan run` in its own process. Länsstyrelsen's TiB opens a samordnande, an
inriktande and a verkställande activation; every called person joins and acknowledges
(`kvittera`), then 50 of them are the clients, each sending `läge`, `lägesbild` and `logg` in
turn into one of its war rooms. In the open loop (`--rate`) the p95 of each 500 commands
sent is printed too, to show whether latency drifts over the run.

    .venv/bin/python bench/load.py [--clients 50] [--commands 5000] [--db sqlite,postgres]
                                   [--rate 8] [--floor 1000] [--profile DIR]

`--floor N` first measures what the homeserver alone allows (bench/load_floor.py): a raw
echo account answering N commands, unordered and ordered per room.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "slack")]

from nio import AsyncClient, RoomMessageNotice, SyncResponse  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench.slack_ack import fake_on_own_thread, percentile  # noqa: E402
from bot.roster.loader import default_roster_path, load_roster  # noqa: E402
from storage.database import sync_url  # noqa: E402
from tests.conftest import fresh_pg_database, pg_available  # noqa: E402
from tests.matrix.crash_harness import CrashRig, Run  # noqa: E402
from tests.matrix.harness import Person  # noqa: E402
from tests.matrix.synapse_server import SynapseServer  # noqa: E402

COMMANDS = ["!läge Lastprov {n}: läget är oförändrat", "!lägesbild", "!logg 5"]
FORUMS = ["samordnande", "inriktande", "verkstallande"]  # 45 + 36 + 10 functions


class Answers:
    """One observer's sync loop: when each answer (a reply to an event) arrived."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.seen: Counter[str] = Counter()
        self.arrived: dict[str, float] = {}
        self.waiting: dict[str, asyncio.Future[float]] = {}

    async def run(self) -> None:
        token: str | None = None
        while True:
            resp = await self.client.sync(timeout=5_000, since=token,
                                          sync_filter={"room": {"timeline": {"limit": 500}}})
            if not isinstance(resp, SyncResponse):
                await asyncio.sleep(0.2)
                continue
            now = time.perf_counter()
            token = resp.next_batch
            for room in resp.rooms.join.values():
                for event in room.timeline.events:
                    if isinstance(event, RoomMessageNotice):
                        self._note(event.source, now)

    def _note(self, source: dict[str, Any], now: float) -> None:
        reply_to = (source.get("content", {}).get("m.relates_to", {})
                    .get("m.in_reply_to", {}).get("event_id"))
        if not reply_to:
            return
        self.seen[reply_to] += 1
        self.arrived.setdefault(reply_to, now)
        future = self.waiting.pop(reply_to, None)
        if future is not None and not future.done():
            future.set_result(now)

    async def answer_to(self, event_id: str, within: float = 60.0) -> float:
        if event_id in self.arrived:
            return self.arrived[event_id]
        future = self.waiting.setdefault(event_id, asyncio.get_running_loop().create_future())
        return await asyncio.wait_for(future, within)


def war_rooms(db_url: str) -> dict[str, str]:
    engine = create_engine(sync_url(db_url))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT key, room_id FROM room_bindings "
                                 "WHERE kind = 'activation' AND platform = 'matrix'"))
        found = {str(k): str(r) for k, r in rows}
    engine.dispose()
    return found


def participants(db_url: str) -> dict[str, set[str]]:
    engine = create_engine(sync_url(db_url))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT activation_id, person FROM participants"))
        found: dict[str, set[str]] = {}
        for act, person in rows:
            found.setdefault(str(act), set()).add(str(person))
    engine.dispose()
    return found


async def matrix_load(server: SynapseServer, db_url: str, clients: int, total: int,
                      tmp: Path, *, rates: list[float | None]) -> list[str]:
    roster = load_roster(default_roster_path())
    rig = CrashRig(server, roster, tmp)
    user = server.register(f"loadbot-{int(time.time() * 1000) % 10**9}")
    server.override_ratelimit(user.user_id, 0, 0)  # 0/0: no limit for the bot
    run = Run(db=tmp / "unused.db", title="load", bot={
        "SAMVERKAN_MATRIX__USER_ID": user.user_id,
        "SAMVERKAN_MATRIX__ACCESS_TOKEN": user.access_token,
        "SAMVERKAN_MATRIX__DEVICE_ID": user.device_id})
    rig.runs.append(run)
    await rig.start(run, None, None, database_url=db_url)
    try:
        return await _drive(rig, run, db_url, clients, total, rates=rates)
    finally:
        await rig.close()


async def _drive(rig: CrashRig, run: Run, db_url: str, clients: int, total: int, *,
                 rates: list[float | None]) -> list[str]:
    refs = [str(r) for f in FORUMS for r in rig.roster.forum(f).call_refs]
    await asyncio.to_thread(rig.server.register_many, [
        m[1:].split(":")[0] for r in refs
        if (m := rig.roster.person(rig.holder_key(r)).matrix_id)])
    tib = rig.person(rig.holder_key("tib@lansstyrelsen"))
    room = await tib.create_room(name="lastprov kommandon", invite=[run.bot_id])
    await tib.wait_joined(room, run.bot_id)
    for forum in FORUMS:
        await tib.send(room, f"!aktivera {forum} Lastprov {forum}")
    async with asyncio.timeout(120):
        while len(rooms := await asyncio.to_thread(war_rooms, db_url)) < len(FORUMS):  # noqa: ASYNC110 - another process writes it
            await asyncio.sleep(0.2)
    people = await asyncio.to_thread(participants, db_url)
    chosen: dict[str, str] = {}  # person key -> the war room it sends to
    for act, keys in sorted(people.items()):
        for key in sorted(keys):
            if len(chosen) < clients:
                chosen.setdefault(key, rooms[act])
    senders = [(rig.person(key), war_room) for key, war_room in chosen.items()]
    await acknowledge_all(rig, rooms, people, db_url)
    for war_room in rooms.values():
        if war_room not in {r for p, r in senders if p is tib}:
            await tib.join(war_room)
    observer = Answers(tib.client)
    lines: list[str] = []
    for rate in rates:
        lines += await _measure(observer, senders, total, rate)
    return lines


def unacknowledged(db_url: str) -> int:
    engine = create_engine(sync_url(db_url))
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM participants "
                              "WHERE acked_at IS NULL AND covered_by IS NULL")).scalar_one()
    engine.dispose()
    return int(n)


async def acknowledge_all(rig: CrashRig, rooms: dict[str, str], people: dict[str, set[str]],
                          db_url: str) -> None:
    """Every called person joins their war room and answers `kvittera`, as people do first:
    otherwise the 10-minute acknowledgement deadline escalates ~90 functions to their
    deputies in the middle of the measurement (new direct rooms, invitations, notices)."""
    for act, keys in sorted(people.items()):
        for key in sorted(keys):
            person = rig.person(key)
            await person.join(rooms[act])
            await person.send(rooms[act], "!kvittera")
    async with asyncio.timeout(120):
        while await asyncio.to_thread(unacknowledged, db_url):  # noqa: ASYNC110 - another process writes it
            await asyncio.sleep(0.5)


async def _measure(observer: Answers, senders: list[tuple[Person, str]], total: int,
                   rate: float | None = None) -> list[str]:
    """Closed loop (rate None): each client sends its next command when its answer came, so
    the bot is saturated and the latency is mostly queueing. Open loop (`rate` commands a
    second in all): the clients take turns on a fixed schedule, each command on its own,
    whether or not the answers have come — the latency at that offered load."""
    syncing = asyncio.create_task(observer.run())
    await asyncio.sleep(2)
    latencies: list[float] = []
    sent: list[str] = []
    per = -(-total // len(senders))
    counter = itertools.count()

    timed: list[tuple[float, float]] = []  # (sent at, latency), for the windows below

    async def one(person: Person, room: str, i: int) -> None:
        started = time.perf_counter()
        event_id = await person.send(room, COMMANDS[i % len(COMMANDS)].format(n=i))
        sent.append(event_id)
        latencies.append(await observer.answer_to(event_id) - started)
        timed.append((started, latencies[-1]))

    async def paced(index: int, person: Person, room: str) -> None:
        assert rate is not None
        every = len(senders) / rate  # seconds between one client's commands
        start = began + index / rate
        async with asyncio.TaskGroup() as group:
            for i in range(per):
                if next(counter) >= total:
                    break
                await asyncio.sleep(max(0.0, start + i * every - time.perf_counter()))
                group.create_task(one(person, room, i))

    async def client(person: Person, room: str) -> None:
        for i in range(per):
            if next(counter) >= total:
                return
            started = time.perf_counter()
            event_id = await person.send(room, COMMANDS[i % len(COMMANDS)].format(n=i))
            sent.append(event_id)
            latencies.append(await observer.answer_to(event_id) - started)
            if len(latencies) % 500 == 0:
                recent = sorted(latencies[-500:])
                print(f"  {len(latencies)} answered; last 500: p50 "
                      f"{statistics.median(recent) * 1000:.0f} ms", flush=True)

    began = time.perf_counter()
    if rate is None:
        await asyncio.gather(*(client(p, r) for p, r in senders))
    else:
        await asyncio.gather(*(paced(i, p, r) for i, (p, r) in enumerate(senders)))
    elapsed = time.perf_counter() - began
    await asyncio.sleep(3)  # a late second answer would show here
    syncing.cancel()
    twice = sum(1 for e in sent if observer.seen[e] > 1)
    lost = sum(1 for e in sent if observer.seen[e] == 0)
    ms = sorted(x * 1000 for x in latencies)
    windows = [sorted(lat * 1000 for _, lat in sorted(timed)[i:i + 500])
               for i in range(0, len(timed), 500)]
    over_time = ", ".join(f"{percentile(w, 0.95):.0f}" for w in windows)
    return [f"{len(senders)} clients, {len(sent)} commands in {elapsed:.1f} s "
            f"({len(sent) / elapsed:.0f}/s); answered {len(sent) - lost}, lost {lost}, "
            f"answered twice {twice}",
            f"send → answer: p50 {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} "
            f"ms, max {ms[-1]:.0f} ms (goal p95 ≤ 300 ms; "
            f"{'closed loop' if rate is None else f'offered {rate:g}/s'})",
            *([f"p95 of each 500 sent, in order (ms): {over_time}"] if rate else [])]


async def slack_load(db_url: str, requests: int) -> list[str]:
    from slack_harness import slack_bot

    with fake_on_own_thread() as fake:
        async with slack_bot(fake, db_url) as bot:
            channel = bot.channels["samordnande"]
            sent = await asyncio.gather(*(
                bot.command("tib@lansstyrelsen", "/aktivera", f"samordnande Lastprov {i}",
                            channel=channel) for i in range(requests)))
            await bot.settle(within=600)
    acks = sorted(s.elapsed for s in sent)
    ok = sum(1 for s in sent if s.status == 200)
    late = sum(1 for s in acks if s > 3.0)
    return [f"{requests} concurrent signed /aktivera: {ok} HTTP 200, {late} later than 3 s; "
            f"ack p50 {statistics.median(acks) * 1000:.0f} ms, max {acks[-1] * 1000:.0f} ms"]


async def floor(server: SynapseServer, work: Path, clients: int, total: int,
                ordered: bool) -> None:
    from bench.load_floor import floor_load

    rig = CrashRig(server, load_roster(default_roster_path()), work)
    try:
        lines = await floor_load(server, rig, clients, total, ordered)
    finally:
        await rig.close()
    for line in lines:
        print(f"floor ({'ordered per room' if ordered else 'unordered'}): {line}", flush=True)


def profile_bot(folder: Path) -> None:
    """Start every bot process of this run under pyinstrument (a dev tool, not a dependency:
    `pip install pyinstrument`); each writes a text report into `folder` when it stops."""
    import subprocess

    from tests.matrix import crash_harness

    folder.mkdir(parents=True, exist_ok=True)
    popen = subprocess.Popen
    count = itertools.count()

    def profiled(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        if args[1:4] == ["-m", "bot.cli", "run"]:
            out = folder / f"bot-{next(count)}.txt"
            args = [args[0], "-m", "pyinstrument", "--interval", "0.005", "-r", "text",
                    "-o", str(out), *args[1:]]
        return popen(args, **kwargs)

    crash_harness.subprocess = type("Profiled", (), {  # type: ignore[assignment]
        "Popen": staticmethod(profiled), "STDOUT": subprocess.STDOUT,
        "TimeoutExpired": subprocess.TimeoutExpired})


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--commands", type=int, default=5000)
    parser.add_argument("--slack-requests", type=int, default=50)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--floor", type=int, default=0, metavar="COMMANDS",
                        help="first measure the floor (bench/load_floor.py) with this many "
                             "commands, replies unordered and ordered per room")
    parser.add_argument("--profile", type=Path, default=None,
                        help="run the bot under pyinstrument; text reports into this folder")
    parser.add_argument("--rate", default="8", metavar="R[,R…]",
                        help="commands a second offered in all by the clients (open loop), "
                             "comma-separated, or 'closed' for each client waiting for its "
                             "answer before the next (saturation); each runs --commands")
    options = parser.parse_args()
    options.rates = [None if r == "closed" else float(r) for r in options.rate.split(",")]
    if options.profile is not None:
        profile_bot(options.profile)
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        server = SynapseServer(Path(tmp) / "synapse")
        server.start()
        stack.callback(server.stop)
        for ordered in (False, True) if options.floor else ():
            await floor(server, Path(tempfile.mkdtemp(dir=tmp)), options.clients,
                        options.floor, ordered)
        for db in options.db.split(","):
            if db == "postgres" and not pg_available():
                print("postgres: skipped (pg_isready does not answer)")
                continue
            for part in ("matrix", "slack"):
                work = Path(tempfile.mkdtemp(dir=tmp))
                url = (f"sqlite+aiosqlite:///{work / 'load.db'}" if db == "sqlite"
                       else stack.enter_context(fresh_pg_database()))
                lines = (await matrix_load(server, url, options.clients, options.commands, work,
                                           rates=options.rates)
                         if part == "matrix" else await slack_load(url, options.slack_requests))
                for line in lines:
                    print(f"{db} {part}: {line}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
