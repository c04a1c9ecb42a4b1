"""How long until every holder of a 46-function activation is invited over Matrix, against
the floor — with Synapse's default rate limits, and with the bot exempted.

Starts its own Synapse on 127.0.0.1 with Synapse's DEFAULT rate limits (the test fixture's
mode "default": only registration and login relaxed) and registers every holder of the
coordinating forum with the storm scenario (46 functions of 40 actors).

* bot: Länsstyrelsen's TiB sends `!aktivera samordnande oväder Snöstorm <n>` in the forum's
  standing room; measured from just before that send until the bot has every invitation
  done (createRoom answered and, under limits, the rest invited one by one at the server's
  pace). A fresh database per run, with the standing room bound in it as a deployed bot has
  it since it joined (else each run would look the alias up and join again); checked
  afterwards from the room state.
* floor: the same room (same name, topic, power levels, state) with the same invitations,
  made by raw nio calls as fast as the server allows: createRoom with as many invitations
  as the server takes at once, then one by one, sleeping exactly `retry_after_ms` on
  M_LIMIT_EXCEEDED.

Mode "default limits": bot and floor are ordinary users (each with its own fresh limits).
Before its timed run the bot opens a small war room (11 people) with the same database and
the allowance is left to refill for a minute: the timed run is the steady state of a bot that
has worked on this homeserver before (its createRoom limit learnt; a brand-new installation
pays one refused createRoom, 5 s, on its first war room).
Mode "exempt": both users get `override_ratelimit` {0, 0} through Synapse's admin API (what
the README tells an administrator to do). Prints every run, the ratio bot/floor per mode,
and the goal (ratio <= 1.1 in both modes).

    python bench/matrix_convene.py [--runs 3] [--skip-default] [--skip-exempt] [--trace]

`--trace` prints every request the bot made during a run that changed the room or sent a
message (createRoom, invite, send, state), with its time and answer: what spends the
server's budget while the invitations are under way.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nio import (  # noqa: E402
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    RoomCreateResponse,
    RoomGetStateResponse,
    RoomInviteResponse,
    RoomPreset,
    RoomSendResponse,
)

from bot.bootstrap import build_app, matrix_platform  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.domain.effects import OpenWarRoom  # noqa: E402
from bot.domain.roster import FunctionRef, Roster  # noqa: E402
from bot.platforms.matrix import MatrixPlatform  # noqa: E402
from bot.platforms.matrix.roomcreate import SYNAPSE_INVITE_BURST  # noqa: E402
from bot.platforms.matrix.status import invited_key  # noqa: E402
from bot.roster.loader import default_roster_path, load_roster  # noqa: E402
from bot.settings import MatrixSettings, Settings  # noqa: E402
from tests.matrix.synapse_server import MatrixUser, SynapseServer  # noqa: E402

START = datetime(2026, 11, 21, 13, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
FORUM = "samordnande"
GOAL_RATIO = 1.1
TIMEOUT_S = 600.0
REFILL_S = 60.0  # Synapse's rc_message refills its burst of 10 in 50 s


def client_of(server: SynapseServer, user: MatrixUser) -> AsyncClient:
    # 429s are handled by the caller (nio would otherwise sleep and retry by itself)
    client = AsyncClient(server.base_url, user.user_id,
                         config=AsyncClientConfig(max_limit_exceeded=0, request_timeout=60))
    client.restore_login(user.user_id, user.device_id, user.access_token)
    return client


def holders(roster: Roster) -> list[str]:
    """Everyone the storm activation may invite (forum calls and the scenario's extras)."""
    refs = list(roster.forum(FORUM).call_refs)
    for extra in roster.scenarios_by_key["ovader"].extra_calls:
        if "@" in extra:
            refs.append(FunctionRef.parse(extra))
        else:
            refs += [FunctionRef(f.key, extra) for f in roster.actor(extra).functions]
    return sorted({roster.holder(r, START) for r in refs})


async def standing_room(tib: AsyncClient, roster: Roster, bots: list[MatrixUser]) -> str:
    """The forum's standing room under the roster's alias (#samordnande:…), as deployed: the
    command is given there, and the forum's notice and the answer go there."""
    address = roster.forum(FORUM).standing_room.matrix or ""
    resp = await tib.room_create(alias=address[1:].split(":")[0], name=FORUM,
                                 preset=RoomPreset.private_chat,
                                 invite=[b.user_id for b in bots])
    assert isinstance(resp, RoomCreateResponse), resp
    return str(resp.room_id)


def trace_requests(client: AsyncClient, began: float, log: list[str]) -> None:
    """Record the client's writing requests (not sync, not reads) in `log`."""
    real = client._send

    async def traced(response_class: type, method: str, path: str, *args: Any,
                     **kwargs: Any) -> Any:
        sent = time.perf_counter() - began
        resp = await real(response_class, method, path, *args, **kwargs)
        if method in ("PUT", "POST") and "/sync" not in path:
            what = path.split("?", maxsplit=1)[0].rsplit("/_matrix/client/", maxsplit=1)[-1]
            status = getattr(resp, "status_code", None) or "ok"
            retry = getattr(resp, "retry_after_ms", None)
            log.append(f"{time.perf_counter() - began:8.2f} s  (sent {sent:.2f} s)  {method} "
                       f"{what[:60]}  {status}" + (f" retry_after_ms={retry}" if retry else ""))
        return resp

    client._send = traced


def bot_settings(server: SynapseServer, bot_user: MatrixUser, workdir: Path, n: int) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{workdir / f'run-{bot_user.localpart}-{n}.db'}",
        matrix=MatrixSettings(homeserver=server.base_url, user_id=bot_user.user_id,
                              access_token=bot_user.access_token,
                              device_id=bot_user.device_id))


async def learn_limits(server: SynapseServer, bot_user: MatrixUser, workdir: Path,
                       people: list[str]) -> None:
    """Default limits: the bot of run 0 first opens a small war room (11 people) on this
    homeserver, as a deployed bot has before, so the timed run measures the steady state
    (the createRoom limit learnt and kept in its database, README "Rate limits"); then the
    allowance the warm-up used is left to refill."""
    app = await build_app(bot_settings(server, bot_user, workdir, 0), clock=ManualClock(START))
    bot = matrix_platform(app)
    app.add_platform(bot)
    await bot.start()
    await bot.open_war_room(OpenWarRoom("0000-000", "0000-000 Uppvärmning", "", people[:11], []))
    async with asyncio.timeout(TIMEOUT_S):
        while True:
            async with app.uow() as uow:
                if not await uow.outbox.pending(1):
                    break
            await asyncio.sleep(0.5)
    assert bot.create_invite_limit == SYNAPSE_INVITE_BURST, bot.create_invite_limit
    await bot.stop()
    await app.close()
    await asyncio.sleep(REFILL_S)


async def bot_run(server: SynapseServer, bot_user: MatrixUser, tib: AsyncClient, room: str,
                  *, n: int, workdir: Path,
                  trace: list[str] | None = None) -> tuple[float, OpenWarRoom, MatrixPlatform]:
    settings = bot_settings(server, bot_user, workdir, n)
    app = await build_app(settings, clock=ManualClock(START))
    async with app.uow() as uow:  # as a deployed bot has since it joined the standing room
        await uow.rooms.bind("forum", FORUM, "matrix", room)
        await uow.commit()
    bot = matrix_platform(app)
    app.add_platform(bot)
    await bot.start()
    await bot.wait_synced(after=0)
    done: asyncio.Future[tuple[float, OpenWarRoom]] = asyncio.get_running_loop().create_future()
    opened: list[OpenWarRoom] = []
    real_open, real_invite = bot.open_war_room, bot.invite

    async def check_done(at: float) -> None:
        """Every invitation recorded (read back after `at`, when the bot's step that may
        have recorded the last one returned: the reading is the bench's, not timed)."""
        if not opened or done.done():
            return
        effect = opened[0]
        room_id = await bot.bound("activation", effect.activation_id)
        async with app.uow() as uow:
            for _, mxid in bot.mxids(effect.invite):
                if room_id is None or await uow.kv.get(invited_key(room_id, mxid)) is None:
                    return
        done.set_result((at, effect))

    async def timed_open(effect: OpenWarRoom) -> None:
        await real_open(effect)
        opened.append(effect)
        await check_done(time.perf_counter())

    async def timed_invite(effect: Any) -> None:
        try:
            await real_invite(effect)
        finally:  # deferred after the last invitation (its final status edit): done anyway
            await check_done(time.perf_counter())

    bot.open_war_room = timed_open  # type: ignore[method-assign]
    bot.invite = timed_invite  # type: ignore[method-assign]
    began = time.perf_counter()
    if trace is not None:
        trace_requests(bot.client, began, trace)
    sent = await tib.room_send(room, "m.room.message",
                               {"msgtype": "m.text",
                                "body": f"!aktivera {FORUM} oväder Snöstorm {n}"})
    assert isinstance(sent, RoomSendResponse), sent
    done_at, effect = await asyncio.wait_for(done, TIMEOUT_S)
    if trace is not None:
        trace.append(f"{done_at - began:8.2f} s  every invitation done")
    await check_invites(bot, effect, app.roster)
    await bot.stop()
    await app.close()
    return done_at - began, effect, bot


async def check_invites(bot: MatrixPlatform, effect: OpenWarRoom, roster: Roster) -> None:
    room_id = await bot.bound("activation", effect.activation_id)
    assert room_id is not None
    state = await bot.client.room_get_state(room_id)
    assert isinstance(state, RoomGetStateResponse), state
    invited = {e["state_key"] for e in state.events if e["type"] == "m.room.member"
               and e["content"]["membership"] == "invite"}
    expected = {roster.person(k).matrix_id for k in effect.invite} - {bot.me}
    assert invited == expected, f"{len(invited)} invited, {len(expected)} expected"


async def _paced(request: Any) -> Any:
    """One request, repeated after exactly the server's retry_after_ms while limited."""
    while True:
        resp = await request()
        if not (isinstance(resp, ErrorResponse) and resp.status_code == "M_LIMIT_EXCEEDED"):
            return resp
        await asyncio.sleep((resp.retry_after_ms or 1000) / 1000)


async def floor_run(raw: AsyncClient, bot: MatrixPlatform, effect: OpenWarRoom,
                    burst: int | None) -> float:
    args = bot._create_args(effect, None)
    invite = [mxid for _, mxid in bot.mxids(effect.invite)]
    first = invite if burst is None else invite[:burst]
    alias = f"floor-{uuid.uuid4().hex[:8]}"
    began = time.perf_counter()
    resp = await _paced(lambda: raw.room_create(alias=alias, invite=first, **args))
    assert isinstance(resp, RoomCreateResponse), resp
    for mxid in invite[len(first):]:
        done = await _paced(lambda m=mxid: raw.room_invite(resp.room_id, m))
        assert isinstance(done, RoomInviteResponse), done
    return time.perf_counter() - began


async def mode(server: SynapseServer, users: dict[str, MatrixUser], tib: AsyncClient,
               room: str, *, exempt: bool, runs: int, workdir: Path,
               trace: bool = False) -> tuple[list[float], list[float]]:
    label = "exempt" if exempt else "default"
    bot_user, floor_user = users[f"bot-{label}"], users[f"floor-{label}"]
    if exempt:
        for user in (bot_user, floor_user):
            await asyncio.to_thread(server.override_ratelimit, user.user_id, 0, 0)
    raw = client_of(server, floor_user)
    bot_times: list[float] = []
    floor_times: list[float] = []
    if not exempt:
        roster = load_roster(default_roster_path())
        await learn_limits(server, bot_user, workdir,
                           [k for k in holders(roster) if roster.person(k).matrix_id
                            and k != roster.holder(FunctionRef.parse("tib@lansstyrelsen"),
                                                   START)])
    try:
        for n in range(runs + (1 if exempt else 0)):  # exempt: run 0 warms caches up
            log: list[str] | None = [] if trace else None
            elapsed, effect, bot = await bot_run(server, bot_user, tib, room, n=n,
                                                 workdir=workdir, trace=log)
            floor = await floor_run(raw, bot, effect, None if exempt else SYNAPSE_INVITE_BURST)
            warm = exempt and n == 0
            print(f"{label:>8} {'warm-up' if warm else f'run {n}':>8}: "
                  f"{len(effect.invite)} invited   bot {elapsed:7.2f} s   "
                  f"floor {floor:7.2f} s   ratio {elapsed / floor:.2f}", flush=True)
            for line in log or []:
                print(f"{label:>8}   {line}", flush=True)
            if not warm:
                bot_times.append(elapsed)
                floor_times.append(floor)
    finally:
        await raw.close()
    return bot_times, floor_times


async def bench(server: SynapseServer, runs: int, *, skip_default: bool, skip_exempt: bool,
                workdir: Path, trace: bool) -> dict[str, tuple[float, float]]:
    roster = load_roster(default_roster_path())
    people = holders(roster)
    tib_key = roster.holder(FunctionRef.parse("tib@lansstyrelsen"), START)
    localparts = [str(roster.person(k).matrix_id)[1:].split(":")[0] for k in people]
    extra = ["bot-default", "floor-default", "bot-exempt", "floor-exempt"]
    users = await asyncio.to_thread(server.register_many, [*localparts, *extra])
    tib = client_of(server, users[str(roster.person(tib_key).matrix_id)[1:].split(":")[0]])
    out: dict[str, tuple[float, float]] = {}
    room = await standing_room(tib, roster, [users["bot-default"], users["bot-exempt"]])
    try:
        if not skip_default:  # ~2 min each side: one run
            bots, floors = await mode(server, users, tib, room, exempt=False, runs=1,
                                      workdir=workdir, trace=trace)
            out["default limits"] = (statistics.median(bots), statistics.median(floors))
        if not skip_exempt:
            bots, floors = await mode(server, users, tib, room, exempt=True, runs=runs,
                                      workdir=workdir, trace=trace)
            out["exempt"] = (statistics.median(bots), statistics.median(floors))
    finally:
        await tib.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs in the exempt mode")
    parser.add_argument("--skip-default", action="store_true",
                        help="only the exempt mode (the default-limits mode takes ~5 min)")
    parser.add_argument("--skip-exempt", action="store_true", help="only the default limits")
    parser.add_argument("--trace", action="store_true",
                        help="print the bot's writing requests of every run")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="matrix-bench-") as tmp:
        server = SynapseServer(Path(tmp) / "synapse", limits="default")
        server.start()
        try:
            results = asyncio.run(bench(server, max(args.runs, 1), skip_default=args.skip_default,
                                        skip_exempt=args.skip_exempt, workdir=Path(tmp),
                                        trace=args.trace))
        finally:
            server.stop()
    met = True
    for label, (bot, floor) in results.items():
        ratio = bot / floor
        met = met and ratio <= GOAL_RATIO
        print(f"{label:>15}: bot {bot:.2f} s, floor {floor:.2f} s, ratio {ratio:.2f} "
              f"(goal <= {GOAL_RATIO})")
    print("goal met" if met else "goal NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
