"""Kill -9 at five steps of an activation with the bot as a real process (`samverkan run`,
Slack HTTP mode) against the spec-checking Slack fake; after the restart exactly one
channel, every holder invited once, every post present once (counted at the fake), the
timeline complete."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from fake_slack_api import BOT_TOKEN, FakeSlack
from slack_harness import seed_workspace
from slack_requests import SIGNING_SECRET, signed_headers, slash_body

from bot.domain.roster import Roster
from bot.platforms.slack.rooms import OUTBOX_EVENT
from bot.roster.loader import default_roster_path, load_roster
from tests.matrix.synapse_server import free_port

POINTS = ["command.committed#1", "slack.channel_created#1", "slack.invited#1",
          "slack.posted#2", "outbox.call.close_room#1"]
KIND = "SELECT count(*) >= {1} FROM timeline WHERE kind = '{0}'"
SCRIPT = [
    ("/aktivera", "verkstallande Gasläcka Hammarby", KIND.format("aktiverad", 1)),
    ("/samverkan", "kalla #2026-001 tib@botkyrka, tib@danderyd", KIND.format("kallad", 2)),
    ("/samverkan", "läge #2026-001 Gasläckan är avgränsad", KIND.format("läge", 1)),
    ("/samverkan", "avaktivera #2026-001 Läckan är tätad", KIND.format("avaktiverad", 1)),
]
WAIT_S = 40.0


@contextmanager
def fake_on_own_thread() -> Iterator[FakeSlack]:
    """The fake on its own loop and thread, as Slack is elsewhere."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeSlack()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(timeout=10)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


class SlackRun:
    """One bot process on one SQLite file, against the fake; started again after a kill."""

    def __init__(self, fake: FakeSlack, db: Path) -> None:
        self.fake, self.db, self.killed = fake, db, 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.log = db

    def start(self, fault: str | None, trace: Path | None = None) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
        env.update({"SAMVERKAN_DATABASE_URL": f"sqlite+aiosqlite:///{self.db}",
                    "SAMVERKAN_HTTP_PORT": str(self.port), "SAMVERKAN_LOG_LEVEL": "WARNING",
                    "SAMVERKAN_SLACK__BOT_TOKEN": BOT_TOKEN,
                    "SAMVERKAN_SLACK__SIGNING_SECRET": SIGNING_SECRET,
                    "SAMVERKAN_SLACK__API_URL": self.fake.base_url})
        if fault:
            env["SAMVERKAN_FAULT_AT"] = fault
        if trace:
            env["SAMVERKAN_FAULT_TRACE"] = str(trace)
        self.log = self.db.with_suffix(f".{self.killed}.log")
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], env=env,
                                         stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "the bot ended at start"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the bot did not answer /healthz")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(15)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as conn:
            try:
                return list(conn.execute(sql))
            except sqlite3.OperationalError:
                return []

    async def revive(self) -> None:
        """Start the bot again if the fault killed it (once)."""
        if self.proc is not None and self.proc.poll() is not None:
            assert self.proc.returncode == -signal.SIGKILL and not self.killed
            self.killed += 1
            await asyncio.to_thread(self.start, None)

    async def until(self, sql: str, give_up: bool = False) -> bool:
        """Wait until `sql` is true (True); a killed bot is started again (once). When the
        kill came meanwhile and `give_up`, False after a few seconds: typed again."""
        deadline = time.monotonic() + WAIT_S
        killed = self.killed
        while not ((rows := self.query(sql)) and rows[0][0]):
            if time.monotonic() > deadline:
                log = self.log.read_text(errors="replace")[-3000:]
                answers = [r for _, r in self.fake.responses]
                raise AssertionError(f"{sql!r} timed out; {self.log}:\n{log}\n{answers}")
            await self.revive()
            if give_up and self.killed > killed and time.monotonic() > deadline - WAIT_S + 8:
                return False
            await asyncio.sleep(0.05)
        return True


async def play(run: SlackRun, users: dict[str, str], channel: str) -> None:
    """Each command as Slack sends it; a request cut off by the kill is sent again with
    Slack's retry headers. A command acknowledged but killed before it was recorded is lost
    (Slack does not re-deliver an acknowledged command): the person types it again."""
    async with aiohttp.ClientSession() as session:
        for n, (command, text, done) in enumerate(SCRIPT):
            for attempt in range(2):
                killed = run.killed
                await send(run, session, slash_body(
                    command, text, user=users["lst"], channel=channel, trigger=f"t{n}.{attempt}",
                    response_url=run.fake.response_url(f"r{n}")))
                if await run.until(done, give_up=run.killed == killed and attempt == 0):
                    break
        await run.until("SELECT count(*) = 0 FROM outbox WHERE finished = 0")


async def send(run: SlackRun, session: aiohttp.ClientSession, body: str) -> None:
    for retry in (None, 1):
        await run.revive()
        try:
            async with session.post(f"http://127.0.0.1:{run.port}/slack/events", data=body,
                                    headers=signed_headers(body, retry=retry)) as resp:
                await resp.read()
            return
        except aiohttp.ClientError:
            continue  # killed while answering


def check(run: SlackRun) -> list[str]:
    """Problems at the receiving end (the fake): channels, invitations, posts."""
    ws, problems = run.fake.ws, []
    channels = [c for c in ws.channels.values() if c.name.startswith("akt-2026-001")]
    if len(channels) != 1:
        return [f"{len(channels)} channels for #2026-001"]
    channel = channels[0]
    invited = Counter(u for c in run.fake.calls_to("conversations.invite")
                      if c.status == 200 and c.args.get("channel") == channel.id
                      for u in str(c.args["users"]).split(","))
    if any(n != 1 for n in invited.values()):
        problems.append(f"invited more than once: {invited}")
    keys = Counter(ws.metadata[m["ts"]]["event_payload"]["key"] for m in channel.messages
                   if ws.metadata.get(m["ts"], {}).get("event_type") == OUTBOX_EVENT)
    problems += [f"message {k} {n} times" for k, n in keys.items() if n > 1]
    texts = Counter(m["text"] for m in channel.messages)
    problems += [f"{t[:60]!r} {n} times" for t, n in texts.items() if n > 1]
    nonce = run.query("SELECT value FROM kv WHERE key = 'outbox:nonce'")[0][0]
    for item_id, effect in run.query("SELECT id, effect FROM outbox WHERE kind = 'post'"):
        if '"activation"' in effect and not any(k.startswith(f"{nonce}.{item_id}.") for k in keys):
            problems.append(f"outbox item {item_id} has no message: {effect[:80]}")
    return problems


async def _one(point: str | None, tmp: Path, roster: Roster) -> tuple[list[str], list[str]]:
    """(problems, timeline kinds) of one run killed at `point` (None: the reference)."""
    with fake_on_own_thread() as fake:
        users, channels = seed_workspace(fake, SimpleNamespace(roster=roster), set())  # type: ignore[arg-type]
        users["lst"] = users[roster.holder(roster.region.convener_ref, _now())]
        run = SlackRun(fake, tmp / f"{point or 'ref'}.db".replace("#", "-"))
        trace = tmp / "trace.txt" if point is None else None
        await asyncio.to_thread(run.start, point, trace)
        try:
            await play(run, users, channels["verkstallande"])
        finally:
            await asyncio.to_thread(run.stop)
        problems = check(run)
        if point is not None and run.killed != 1:
            problems.append("the bot was not killed there")
        if trace is not None:
            steps = trace.read_text().split()
            problems += [f"{p} is not a step: {steps}" for p in POINTS if p not in steps]
        kinds = [str(r[0]) for r in run.query("SELECT kind FROM timeline ORDER BY id")]
    return [f"{point}: {p}" for p in problems], kinds


@pytest.mark.long
@pytest.mark.timeout(600)
async def test_killed_at_five_points(tmp_path: Path) -> None:
    roster = load_roster(default_roster_path())
    problems, reference = await _one(None, tmp_path, roster)
    assert not problems, problems
    gate = asyncio.Semaphore(3)

    async def one(point: str) -> list[str]:
        async with gate:
            found, kinds = await _one(point, tmp_path, roster)
        return found + ([f"{point}: timeline {kinds}"] if kinds != reference else [])

    problems = [p for found in await asyncio.gather(*(one(p) for p in POINTS)) for p in found]
    assert not problems, "\n".join(problems)


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
