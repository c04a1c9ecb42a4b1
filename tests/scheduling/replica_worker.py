"""One bot process of the replica test: leader election, the real scheduler, and a platform
that posts every message to an HTTP sink (the receiving end).

    python -m tests.scheduling.replica_worker <database-url> <sink-url> <name>

Prints JSON lines: {"event": "ready"|"elected"|"started"|"lost", "name": …, "at": epoch}.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import signal
import sys
import time
from datetime import timedelta

import aiohttp

from bot.bootstrap import build_app
from bot.domain.bridge import BridgeMessage
from bot.domain.effects import (
    CloseWarRoom,
    InvitePeople,
    OpenWarRoom,
    Post,
    SetModerators,
    SetTopic,
)
from bot.scheduling.planning import Timing
from bot.scheduling.runtime import SchedulingRuntime
from bot.settings import Settings
from storage.database import sync_url
from storage.leadership import leadership
from tests.scheduling.helpers import with_schedule

# The grace is long (the bot's default is 30 min): on a busy machine the follower may need
# more than 2 minutes for the ~200 notices due after the takeover, and a notice beyond the
# grace is reported as missed, never sent, which this test would wait for in vain.
TIMING = Timing(reminders=(timedelta(seconds=2),), late_after=timedelta(seconds=1),
                grace=timedelta(minutes=15))


class SinkPlatform:
    """Posts to the sink with an idempotency key, as a Matrix client sends a transaction id."""

    def __init__(self, url: str, worker: str) -> None:
        self.name = "sink"
        self.url = url
        self.worker = worker
        self.session: aiohttp.ClientSession | None = None

    async def post(self, effect: Post) -> None:
        if self.session is None:
            self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        key = hashlib.sha256(f"{effect.room.kind}:{effect.room.key}\n{effect.text}".encode())
        body = {"room": effect.room.key, "text": effect.text, "worker": self.worker}
        async with self.session.post(self.url, json=body,
                                     headers={"Idempotency-Key": key.hexdigest()}) as response:
            response.raise_for_status()

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    async def open_war_room(self, effect: OpenWarRoom) -> None: ...
    async def invite(self, effect: InvitePeople) -> None: ...
    async def set_moderators(self, effect: SetModerators) -> None: ...
    async def set_topic(self, effect: SetTopic) -> None: ...
    async def close_war_room(self, effect: CloseWarRoom) -> None: ...
    async def bridge(self, effect: BridgeMessage) -> None: ...


def say(event: str, name: str) -> None:
    print(json.dumps({"event": event, "name": name, "at": time.time()}), flush=True)


async def main(url: str, sink: str, name: str) -> None:
    app = await build_app(Settings(database_url=url), migrate=False)
    with_schedule(app)
    platform = SinkPlatform(sink, name)
    app.add_platform(platform)
    runtime = SchedulingRuntime(app, app.service, sync_url(url), timing=TIMING,
                                reconcile_every=1.0)

    app.relay.active = False  # as in `samverkan run`: only the leader performs effects

    async def elected() -> None:
        say("elected", name)
        await runtime.start()
        app.relay.active = True
        app.relay.kick()  # what a dead leader left in the outbox
        say("started", name)

    async def lost() -> None:
        app.relay.active = False
        await runtime.stop()
        say("lost", name)

    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    task = asyncio.create_task(leadership(url, retry=1.0, check=1.0).run(elected, lost))
    say("ready", name)
    await stop.wait()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await runtime.close()
    await app.close()
    await platform.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
