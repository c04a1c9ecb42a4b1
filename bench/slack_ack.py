"""How fast does the Slack adapter acknowledge `/aktivera`, and how soon are people invited?

Runs the whole bot (SQLite in a temporary directory) with its Slack adapter in HTTP mode
against the spec-checking fake Slack of tests/slack, all on 127.0.0.1, and sends N signed
`/aktivera` requests one after another over real HTTP. The fake runs on its own thread and
event loop, as Slack would be elsewhere: its schema checks must not stall the bot's loop.
Reports p50/p99/max of the time from sending a request to the HTTP ack (goal: p99 <= 50 ms),
and the time until every invitation of every activation has reached the fake.

    python bench/slack_ack.py [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "slack")]

from fake_slack_api import FakeSlack  # noqa: E402
from slack_harness import Harness, slack_bot  # noqa: E402

GOAL_P99_MS = 50.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def send_all(bot: Harness, n: int) -> tuple[list[float], dict[str, float]]:
    acks: list[float] = []
    sent_at: dict[str, float] = {}
    for i in range(1, n + 1):
        sent_at[f"2026-{i:03d}"] = time.monotonic()
        sent = await bot.command("tib@lansstyrelsen", "/aktivera", f"samordnande Bänkprov {i}",
                                 channel=bot.channels["samordnande"])
        if sent.status != 200:
            raise SystemExit(f"request {i}: HTTP {sent.status} {sent.body}")
        acks.append(sent.elapsed * 1000)
    return acks, sent_at


async def invitation_delays(bot: Harness, sent_at: dict[str, float]) -> list[float]:
    """Per activation: request sent → its last invitation recorded by the fake (ms)."""
    delays = []
    async with bot.app.uow() as uow:
        for activation, started in sent_at.items():
            channel = await uow.rooms.room("activation", activation, "slack")
            invites = [c.at for c in bot.fake.calls_to("conversations.invite")
                       if c.args.get("channel") == channel and c.status == 200]
            if channel is None or not invites:
                raise SystemExit(f"#{activation}: nobody was invited")
            delays.append((max(invites) - started) * 1000)
    return delays


@contextmanager
def fake_on_own_thread() -> Iterator[FakeSlack]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="fake-slack", daemon=True)
    thread.start()
    fake = FakeSlack()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(timeout=10)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


async def main(n: int) -> int:
    logging.basicConfig(level=logging.ERROR)
    with fake_on_own_thread() as fake, tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        async with slack_bot(fake, url) as bot:
            first = time.monotonic()
            acks, sent_at = await send_all(bot, n)
            await bot.settle(within=600)
            everything = time.monotonic() - first
            delays = await invitation_delays(bot, sent_at)
    if fake.all_failures:
        print("invalid Slack traffic:", *fake.all_failures[:10], sep="\n  ")
        return 1
    invited = sum(len(c.args["users"].split(",")) for c in fake.calls_to("conversations.invite"))
    print(f"{n} signed /aktivera requests, sequential, HTTP to 127.0.0.1")
    p50, p99 = statistics.median(acks), percentile(acks, 0.99)
    print(f"ack:         p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   max {max(acks):6.1f} ms"
          f"   (goal p99 <= {GOAL_P99_MS:.0f} ms)")
    i50, i99 = statistics.median(delays), percentile(delays, 0.99)
    print(f"invitations: p50 {i50:6.0f} ms   p99 {i99:6.0f} ms"
          "   from each request to its channel's last invite")
    print(f"             first activation (no backlog yet): {delays[0]:.0f} ms")
    print(f"all {invited} invitations in {len(sent_at)} channels reached the fake "
          f"{everything:.1f} s after the first request")
    return 0 if p99 <= GOAL_P99_MS else 2


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    sys.exit(asyncio.run(main(parser.parse_args().requests)))
