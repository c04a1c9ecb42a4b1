"""Leader election: one PostgreSQL advisory-lock holder at a time, a quick takeover when it
goes; SQLite refuses a second process with a clear message."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.leadership import (
    AlreadyRunning,
    PgLeadership,
    SqliteLeadership,
    leadership,
    pg_conninfo,
    single_process,
    sqlite_lock_path,
)
from tests.conftest import fresh_pg_database, sqlite_url


class Events:
    def __init__(self) -> None:
        self.log: list[tuple[str, str, float]] = []

    def hooks(self, name: str) -> tuple[object, object]:
        async def elected() -> None:
            self.log.append((name, "elected", time.monotonic()))

        async def lost() -> None:
            self.log.append((name, "lost", time.monotonic()))
        return elected, lost

    def of(self, name: str) -> list[str]:
        return [what for who, what, _ in self.log if who == name]


async def _until(predicate: object, seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while not predicate():  # type: ignore[operator]  # noqa: ASYNC110 - other tasks' state
            await asyncio.sleep(0.05)


@pytest.mark.postgres
async def test_one_leader_and_takeover_when_it_goes() -> None:
    with fresh_pg_database() as url:
        events = Events()
        first = leadership(url, retry=0.5, check=0.5)
        second = leadership(url, retry=0.5, check=0.5)
        assert isinstance(first, PgLeadership)
        a = asyncio.create_task(first.run(*events.hooks("a")))  # type: ignore[arg-type]
        await _until(lambda: first.is_leader, 10)
        b = asyncio.create_task(second.run(*events.hooks("b")))  # type: ignore[arg-type]
        await asyncio.sleep(2)  # several retries
        assert events.of("b") == [] and not second.is_leader
        a.cancel()  # the leader goes away; its session ends and frees the lock
        gone = time.monotonic()
        await _until(lambda: second.is_leader, 15)
        assert time.monotonic() - gone < 15
        assert events.of("a") == ["elected", "lost"] and events.of("b") == ["elected"]
        b.cancel()
        await asyncio.gather(a, b, return_exceptions=True)


@pytest.mark.postgres
async def test_the_leader_notices_a_lost_session() -> None:
    with fresh_pg_database() as url:
        import psycopg

        events = Events()
        holder = leadership(url, retry=0.5, check=0.5)
        task = asyncio.create_task(holder.run(*events.hooks("a")))  # type: ignore[arg-type]
        await _until(lambda: holder.is_leader, 10)
        with psycopg.connect(pg_conninfo(url), autocommit=True) as admin:  # kill its backend
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE application_name = 'samverkan-leader' "
                          "AND datname = current_database()")  # not other tests' leaders
        await _until(lambda: "lost" in events.of("a"), 10)
        await _until(lambda: events.of("a") == ["elected", "lost", "elected"], 10)  # retakes
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def test_sqlite_refuses_a_second_process(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert sqlite_lock_path(url) == tmp_path / "samverkan.db.lock"
    with single_process(url):
        with pytest.raises(AlreadyRunning, match="SQLite tål bara en process"):
            SqliteLeadership(url).acquire()
        code = ("import sys; from storage.leadership import single_process\n"
                f"with single_process({url!r}): pass\n")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                timeout=60, check=False)
        assert result.returncode != 0
        assert "använder redan databasen" in result.stderr and "PostgreSQL" in result.stderr
    with single_process(url):  # released: the next one may start
        pass
    assert sqlite_lock_path("sqlite+aiosqlite:///:memory:") is None
