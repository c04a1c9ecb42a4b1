"""`samverkan run` as a real process on the real Synapse, killed by a fault point and started
again; the activation's script is driven by what the database shows, not by timing.

One run: a fresh bot account and SQLite file; Länsstyrelsen's TiB invites the bot to the
verkställande forum's standing room and, with the bot killed wherever SAMVERKAN_FAULT_AT
says, activates, calls four more functions, reports, decides and deactivates. After the
kill the bot is started again (no fault) and the script goes on. Then `check` counts at the
receiving end: the rooms on Synapse, the invitations and messages in the rooms' history.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nio import RoomMessagesResponse

from bot.domain.roster import FunctionRef, Roster
from bot.platforms.matrix.directory import OUTBOX_FIELD
from tests.matrix.harness import Person
from tests.matrix.synapse_server import SynapseServer, free_port

FORUM = "verkstallande"
CALLED_MORE = ["tib@botkyrka", "tib@danderyd", "tib@ekero", "tib@haninge"]
WAIT_S = 40.0


@dataclass
class Step:
    """A command of the script and how the database shows it took effect."""

    text: str
    room: str  # "forum" or "war"
    done_sql: str  # a query whose first column is truthy once the command took effect


def script(title: str) -> list[Step]:
    kinds = "SELECT count(*) >= {1} FROM timeline WHERE kind = '{0}'"  # EntryKind values
    return [
        Step(f"!aktivera {FORUM} {title}", "forum",
             "SELECT count(*) FROM room_bindings WHERE kind = 'activation'"),
        Step(f"!kalla {', '.join(CALLED_MORE)}", "war", kinds.format("kallad", 2)),
        Step("!läge Gasläckan är avgränsad; två kvarter utrymda", "war", kinds.format("läge", 1)),
        Step("!beslut Området spärras av till i morgon 06:00", "war", kinds.format("beslut", 1)),
        Step("!avaktivera Läckan är tätad", "war", kinds.format("avaktiverad", 1)),
    ]


@dataclass
class Run:
    """What one run left behind, for `check`."""

    db: Path
    title: str
    bot: dict[str, str] = field(default_factory=dict)  # SAMVERKAN_MATRIX__* of its account
    killed: int = 0
    war_room: str = ""
    forum_room: str = ""  # the forum's standing room: the bot posts its notice there
    command_room: str = ""  # this run's own room with the bot (other runs' bots are not in it)
    log: list[str] = field(default_factory=list)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def bot_id(self) -> str:
        return self.bot["SAMVERKAN_MATRIX__USER_ID"]

    def dead(self) -> bool:
        return self.proc is None or self.proc.poll() is not None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


class CrashRig:
    """The session's Synapse, the people, and the runs (each with its own bot process)."""

    def __init__(self, server: SynapseServer, roster: Roster, tmp: Path) -> None:
        self.server = server
        self.roster = roster
        self.tmp = tmp
        self.people: dict[str, Person] = {}
        self.runs: list[Run] = []
        self.template = tmp / "migrated.db"  # an empty record at the schema's head

    async def migrate_template(self) -> None:
        """Migrate the template once; each run starts on a copy of it (what `samverkan run`
        would make of a fresh file first, without paying for the migrations 21 times)."""
        from storage.migrate import upgrade

        await upgrade(f"sqlite+aiosqlite:///{self.template}")

    # -- people ----------------------------------------------------------------------------
    def holder_key(self, ref: str) -> str:
        return self.roster.holder(FunctionRef.parse(ref), datetime.now(UTC))

    def person(self, key: str) -> Person:
        if key not in self.people:
            mxid = self.roster.person(key).matrix_id
            assert mxid is not None
            self.people[key] = Person(self.server, self.server.register(mxid[1:].split(":")[0]))
        return self.people[key]

    def register_called(self) -> None:
        refs = [*(str(r) for r in self.roster.forum(FORUM).call_refs), *CALLED_MORE]
        keys = {self.holder_key(r) for r in refs}
        self.server.register_many(self.roster.person(k).matrix_id[1:].split(":")[0]  # type: ignore[index]
                                  for k in keys)

    async def close(self) -> None:
        for run in self.runs:
            run.stop()
        await asyncio.gather(*(p.client.close() for p in self.people.values()))

    # -- the bot process -------------------------------------------------------------------
    async def start(self, run: Run, fault: str | None, trace: Path | None, *,
                    database_url: str | None = None) -> None:
        """`samverkan run` for `run`, ready when /healthz answers (bounded); on `run.db`
        unless `database_url` is given."""
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
        env.update({
            "SAMVERKAN_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{run.db}",
            "SAMVERKAN_HTTP_PORT": str(port),
            "SAMVERKAN_LOG_LEVEL": os.environ.get("CRASH_LOG_LEVEL", "WARNING"),
            "SAMVERKAN_MATRIX__HOMESERVER": self.server.base_url,
            **run.bot,
        })
        if fault:
            env["SAMVERKAN_FAULT_AT"] = fault
        if trace:
            env["SAMVERKAN_FAULT_TRACE"] = str(trace)
        log = self.tmp / f"bot-{uuid.uuid4().hex[:6]}.log"
        run.log.append(str(log))
        with log.open("wb") as out:
            run.proc = subprocess.Popen(  # noqa: ASYNC220 - Popen only starts it
                [sys.executable, "-m", "bot.cli", "run"], env=env,
                                        stdout=out, stderr=subprocess.STDOUT)
        async with asyncio.timeout(WAIT_S):
            while not await asyncio.to_thread(_healthy, port):
                assert not run.dead(), f"the bot ended at start: {log}"
                await asyncio.sleep(0.1)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
            return True
    except OSError:
        return False


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    if not db.exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        try:
            return list(conn.execute(sql))
        except sqlite3.OperationalError:  # not migrated yet
            return []


async def drive(rig: CrashRig, run: Run, fault: str | None, trace: Path | None = None) -> None:
    """The script, with at most one kill (the fault) and one restart."""
    tib = rig.person(rig.holder_key("tib@lansstyrelsen"))
    await rig.start(run, fault, trace)
    run.command_room = await tib.create_room(name=f"kommandon {run.db.stem}",
                                             invite=[run.bot_id])
    for room in (run.forum_room, run.command_room):
        await tib.invite(room, run.bot_id)
        await tib.wait_joined(room, run.bot_id)
    for step in script(run.title):
        room = run.command_room if step.room == "forum" else await _war_room(rig, run, tib)
        await tib.send(room, step.text)
        await _until(rig, run, lambda s=step: bool(query(run.db, s.done_sql)[0][0]), step.text)
    await _until(rig, run, lambda: not query(
        run.db, "SELECT count(*) FROM outbox WHERE finished = 0")[0][0], "outbox")
    run.war_room = await _war_room(rig, run, tib)


async def _war_room(rig: CrashRig, run: Run, tib: Person) -> str:
    rows = query(run.db, "SELECT room_id FROM room_bindings WHERE kind = 'activation'")
    assert rows, "no war room bound"
    room_id = str(rows[0][0])
    if not run.war_room:
        await tib.join(room_id)
        run.war_room = room_id
    return room_id


async def _until(rig: CrashRig, run: Run, done: Any, what: str) -> None:
    """Wait for `done()`; a dead bot (the fault fired) is started again, once."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if run.dead():
            run.killed += 1
            assert run.killed == 1, f"the bot died again after the restart: {run.log}"
            assert run.proc is not None and run.proc.returncode == -signal.SIGKILL
            await rig.start(run, None, None)
        if done():
            return
        await asyncio.sleep(0.05)
    tails = [Path(name).read_text(errors="replace")[-3000:]  # noqa: ASYNC240 - on failure
             for name in run.log]
    raise AssertionError(f"{run.title}: {what!r} timed out; logs: {run.log}\n{tails}")


# -- counting at the receiving end ----------------------------------------------------------
async def history(person: Person, room_id: str, types: list[str]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    token: str | None = None
    for _ in range(20):
        resp = await person.client.room_messages(room_id, start=token, limit=500,
                                                 message_filter={"types": types})
        assert isinstance(resp, RoomMessagesResponse), resp
        events += [e.source for e in resp.chunk]
        if not resp.chunk or not resp.end:
            break
        token = resp.end
    return events


def admin_rooms(server: SynapseServer, term: str) -> list[dict[str, Any]]:
    admin = server.register("synapse-admin", admin=True)
    url = f"{server.base_url}/_synapse/admin/v1/rooms?search_term={urllib.parse.quote(term)}"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {admin.access_token}"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        rooms: list[dict[str, Any]] = json.loads(resp.read())["rooms"]
        return rooms


async def check(rig: CrashRig, run: Run) -> list[str]:
    """Problems found: rooms, invitations, posts, timeline."""
    problems: list[str] = []
    tib = rig.person(rig.holder_key("tib@lansstyrelsen"))
    rooms = await asyncio.to_thread(admin_rooms, rig.server, run.title)
    if len(rooms) != 1:
        problems.append(f"{len(rooms)} rooms named {run.title!r}")
    members = await history(tib, run.war_room, ["m.room.member"])
    invites = Counter(e["state_key"] for e in members
                      if e["content"].get("membership") == "invite")
    people = {str(r[0]) for r in query(run.db, "SELECT DISTINCT person FROM participants")}
    wanted = {m for k in people if (m := rig.roster.person(k).matrix_id)} - {run.bot_id}
    if set(invites) != wanted or any(n != 1 for n in invites.values()):
        problems.append(f"invitations: {dict(invites)} wanted each of {sorted(wanted)} once")
    nonce = str(query(run.db, "SELECT value FROM kv WHERE key = 'outbox:nonce'")[0][0])
    for room, kind in ((run.war_room, "activation"), (run.forum_room, "forum")):
        problems += await _posts_once(run, tib, room, kind, nonce)
    return problems


async def _posts_once(run: Run, tib: Person, room: str, kind: str, nonce: str) -> list[str]:
    events = [e for e in await history(tib, room, ["m.room.message"])
              if e["sender"] == run.bot_id and OUTBOX_FIELD in e["content"]]
    keys = Counter(e["content"][OUTBOX_FIELD] for e in events)
    bodies = Counter(e["content"]["body"] for e in events)
    problems = [f"{kind}: message key {k} {n} times" for k, n in keys.items() if n > 1]
    problems += [f"{kind}: {b[:60]!r} {n} times" for b, n in bodies.items() if n > 1]
    for item_id, effect in query(run.db, "SELECT id, effect FROM outbox"):
        data = json.loads(effect)
        where = data["room"]["kind"] if data["type"] == "post" else None
        if data["type"] == "close_room":
            where = "activation"
        if where == kind and not any(k.startswith(f"{nonce}.{item_id}.") for k in keys):
            problems.append(f"{kind}: outbox item {item_id} has no message: {effect[:80]}")
    return problems


def timeline_kinds(db: Path) -> list[str]:
    return [str(r[0]) for r in query(db, "SELECT kind FROM timeline ORDER BY id")]


async def new_run(rig: CrashRig, name: str, forum_room: str) -> Run:
    """A fresh database and bot account for one run."""
    user = await asyncio.to_thread(rig.server.register, f"crashbot-{uuid.uuid4().hex[:8]}")
    bot = {"SAMVERKAN_MATRIX__USER_ID": user.user_id,
           "SAMVERKAN_MATRIX__ACCESS_TOKEN": user.access_token,
           "SAMVERKAN_MATRIX__DEVICE_ID": user.device_id}
    run = Run(db=rig.tmp / f"{name}-{uuid.uuid4().hex[:6]}.db", bot=bot,
              title=f"Gasläcka {name} {uuid.uuid4().hex[:4]}", forum_room=forum_room)
    if rig.template.exists():
        await asyncio.to_thread(shutil.copyfile, rig.template, run.db)
    rig.runs.append(run)
    return run


async def standing_room(rig: CrashRig) -> str:
    """The forum's standing room (its roster alias), made once per Synapse."""
    from nio import RoomPreset, RoomResolveAliasResponse

    alias = rig.roster.forum(FORUM).standing_room.matrix
    assert alias is not None
    tib = rig.person(rig.holder_key("tib@lansstyrelsen"))
    resolved = await tib.client.room_resolve_alias(alias)
    if isinstance(resolved, RoomResolveAliasResponse):
        return str(resolved.room_id)
    return await tib.create_room(alias=alias[1:].split(":", 1)[0], name=FORUM,
                                 preset=RoomPreset.private_chat)
