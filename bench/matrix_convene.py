"""How long does convening the coordinating forum over Matrix take, against the floor?

Starts its own Synapse on 127.0.0.1 (the test fixture's code: SQLite, relaxed rate limits)
and registers the bot and every holder of the forum's functions. Each run:

* bot: Länsstyrelsen's TiB sends `!aktivera samordnande oväder Snöstorm <n>` in the forum's
  standing room (46 functions of 40 actors: the forum plus the storm scenario's SMHI);
  measured from just before that send until the bot's war room exists with every
  invitation sent (createRoom has answered and the room is bound). A fresh database per run.
* floor: the same room (same name, topic, power levels, state, alias form) with the same
  invitations, made by one raw nio `room_create` call as the same bot user.

Bot and floor runs alternate, so both see the same machine load. Prints every run, both
medians, their ratio and the goals (ratio <= 1.3, bot <= 1.5 s).

    python bench/matrix_convene.py [--runs 7]
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
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nio import (  # noqa: E402
    AsyncClient,
    RoomCreateResponse,
    RoomGetStateResponse,
    RoomPreset,
    RoomSendResponse,
)

from bot.bootstrap import build_app, matrix_platform  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.domain.effects import OpenWarRoom  # noqa: E402
from bot.domain.roster import FunctionRef, Roster  # noqa: E402
from bot.platforms.matrix import MatrixPlatform  # noqa: E402
from bot.roster.loader import default_roster_path, load_roster  # noqa: E402
from bot.settings import MatrixSettings, Settings  # noqa: E402
from tests.matrix.synapse_server import MatrixUser, SynapseServer  # noqa: E402

START = datetime(2026, 11, 21, 13, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
FORUM = "samordnande"
GOAL_RATIO = 1.3
GOAL_SECONDS = 1.5
TIMEOUT_S = 60.0


def client_of(server: SynapseServer, user: MatrixUser) -> AsyncClient:
    client = AsyncClient(server.base_url, user.user_id)
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


async def standing_room(tib: AsyncClient, roster: Roster, bot: MatrixUser) -> str:
    alias = roster.forum(FORUM).standing_room.matrix or "#samordnande:samverkan.test"
    resp = await tib.room_create(alias=alias[1:].split(":")[0], name=FORUM,
                                 preset=RoomPreset.private_chat, invite=[bot.user_id])
    assert isinstance(resp, RoomCreateResponse), resp
    return str(resp.room_id)


async def bot_run(server: SynapseServer, bot_user: MatrixUser, tib: AsyncClient, room: str,
                  *, n: int, workdir: Path) -> tuple[float, OpenWarRoom, MatrixPlatform]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{workdir / f'run{n}.db'}",
        matrix=MatrixSettings(homeserver=server.base_url, user_id=bot_user.user_id,
                              access_token=bot_user.access_token,
                              device_id=bot_user.device_id))
    app = await build_app(settings, clock=ManualClock(START))
    bot = matrix_platform(app)
    app.add_platform(bot)
    await bot.start()
    await bot.wait_synced(after=0)
    opened: asyncio.Future[tuple[float, OpenWarRoom]] = asyncio.get_running_loop().create_future()
    real_open = bot.open_war_room

    async def timed_open(effect: OpenWarRoom) -> None:
        await real_open(effect)
        if not opened.done():
            opened.set_result((time.perf_counter(), effect))

    bot.open_war_room = timed_open  # type: ignore[method-assign]
    began = time.perf_counter()
    sent = await tib.room_send(room, "m.room.message",
                                {"msgtype": "m.text",
                                "body": f"!aktivera {FORUM} oväder Snöstorm {n}"})
    assert isinstance(sent, RoomSendResponse), sent
    done_at, effect = await asyncio.wait_for(opened, TIMEOUT_S)
    await app.relay.wait_idle()
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


async def floor_run(raw: AsyncClient, bot: MatrixPlatform, effect: OpenWarRoom) -> float:
    args = bot._create_args(effect, None)
    invite = [mxid for _, mxid in bot.mxids(effect.invite)]
    alias = f"floor-{uuid.uuid4().hex[:8]}"
    began = time.perf_counter()
    resp = await raw.room_create(alias=alias, invite=invite, **args)
    elapsed = time.perf_counter() - began
    assert isinstance(resp, RoomCreateResponse), resp
    return elapsed


async def bench(server: SynapseServer, runs: int, workdir: Path) -> tuple[list[float], list[float]]:
    roster = load_roster(default_roster_path())
    people = holders(roster)
    tib_key = roster.holder(FunctionRef.parse("tib@lansstyrelsen"), START)
    localparts = [str(roster.person(k).matrix_id)[1:].split(":")[0] for k in people]
    users = await asyncio.to_thread(server.register_many, [*localparts, "samverkansboten"])
    bot_user = users["samverkansboten"]
    tib = client_of(server, users[str(roster.person(tib_key).matrix_id)[1:].split(":")[0]])
    raw = client_of(server, bot_user)
    room = await standing_room(tib, roster, bot_user)
    bot_times: list[float] = []
    floor_times: list[float] = []
    try:
        for n in range(runs + 1):  # run 0 warms Synapse's caches and is not counted
            elapsed, effect, bot = await bot_run(server, bot_user, tib, room, n=n, workdir=workdir)
            floor = await floor_run(raw, bot, effect)
            if n == 0:
                print(f"forum {FORUM} with the storm scenario: {len(effect.invite)} people "
                      "invited (the activation's reply names its functions and actors)")
            label = "warm-up" if n == 0 else f"run {n}"
            print(f"{label:>8}: bot {elapsed * 1000:7.0f} ms   floor {floor * 1000:7.0f} ms   "
                  f"ratio {elapsed / floor:.2f}")
            if n:
                bot_times.append(elapsed)
                floor_times.append(floor)
    finally:
        await tib.close()
        await raw.close()
    return bot_times, floor_times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="matrix-bench-") as tmp:
        server = SynapseServer(Path(tmp) / "synapse")
        server.start()
        try:
            bot_times, floor_times = asyncio.run(bench(server, max(args.runs, 5), Path(tmp)))
        finally:
            server.stop()
    bot_median, floor_median = statistics.median(bot_times), statistics.median(floor_times)
    ratio = bot_median / floor_median
    print(f"median: bot {bot_median * 1000:.0f} ms, floor {floor_median * 1000:.0f} ms, "
          f"ratio {ratio:.2f}  (goal: ratio <= {GOAL_RATIO}, bot <= {GOAL_SECONDS} s)")
    met = ratio <= GOAL_RATIO and bot_median <= GOAL_SECONDS
    print("goal met" if met else "goal NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
