"""Footprint of `samverkan run` with the bundled roster: cold start to /healthz ready, and
idle RSS once ready, each the median of --runs runs (default 5).

The bot runs as a real process in Slack HTTP mode against the spec-checking Slack fake on
127.0.0.1 (a platform must be configured for `run` to serve /healthz), on a new SQLite file
each run (so the start includes creating the schema). Goals: ≤ 3 s, ≤ 150 MB.

    .venv/bin/python bench/footprint.py [--runs 5] [--idle 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "slack"))

from fake_slack_api import BOT_TOKEN, FakeSlack  # noqa: E402
from slack_requests import SIGNING_SECRET  # noqa: E402

from tests.matrix.synapse_server import free_port  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident set size of `pid` in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=0.5) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


async def one_run(api_url: str, idle: float, workdir: Path) -> tuple[float, float]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    env.update({
        "SAMVERKAN_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / f'fp-{port}.db'}",
        "SAMVERKAN_HTTP_PORT": str(port), "SAMVERKAN_LOG_LEVEL": "WARNING",
        "SAMVERKAN_SLACK__BOT_TOKEN": BOT_TOKEN, "SAMVERKAN_SLACK__SIGNING_SECRET": SIGNING_SECRET,
        "SAMVERKAN_SLACK__API_URL": api_url,
    })
    started = time.perf_counter()
    proc = subprocess.Popen(  # noqa: ASYNC220 - Popen only starts it
        [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        async with asyncio.timeout(60):
            while not await asyncio.to_thread(ready, port):
                if proc.poll() is not None:
                    raise RuntimeError(f"the bot ended ({proc.returncode})")
                await asyncio.sleep(0.02)
        start_s = time.perf_counter() - started
        await asyncio.sleep(idle)
        return start_s, rss_mb(proc.pid)
    finally:
        proc.terminate()
        await asyncio.to_thread(proc.wait, 15)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds idle before RSS")
    options = parser.parse_args()
    fake = await FakeSlack().start()
    starts: list[float] = []
    rss: list[float] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(options.runs):
                start_s, mb = await one_run(fake.base_url, options.idle, Path(tmp))
                starts.append(start_s)
                rss.append(mb)
                print(f"  run {n + 1}: ready in {start_s:.2f} s, idle RSS {mb:.0f} MB", flush=True)
    finally:
        await fake.stop()
    start_median, rss_median = statistics.median(starts), statistics.median(rss)
    print(f"cold start to /healthz: median {start_median:.2f} s (goal ≤ 3 s)")
    print(f"idle RSS: median {rss_median:.0f} MB (goal ≤ 150 MB)")
    return 0 if start_median <= 3 and rss_median <= 150 else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
