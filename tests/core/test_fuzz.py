"""Fuzzing the grammar and the handlers with hypothesis: sequences of commands made of the
grammar's words, roster names, times, rules and hostile text, spoken by every kind of user,
on a fresh copy of the prepared record per sequence. Every command is answered, none ends in
an internal error, and a refused one leaves the database byte-for-byte as it was.

In `make test` a few thousand commands (FUZZ_RUNS sequences of up to FUZZ_STEPS, printed
with -s); bench/fuzz.py runs the same machine for 100,000 or more.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule
from sqlalchemy import MetaData, create_engine

from bot.domain.roster import Roster
from bot.handlers.types import Origin, Reply
from bot.roster.loader import default_roster_path, load_roster
from storage.database import sync_url
from tests.core.fuzz_commands import FuzzRun, command_texts, speakers
from tests.core.prepared import prepare, url_of

FUZZ_RUNS = int(os.environ.get("FUZZ_RUNS", "40"))
FUZZ_STEPS = int(os.environ.get("FUZZ_STEPS", "70"))
ROSTER: Roster = load_roster(default_roster_path())


class Prepared:
    """The prepared file and its reflected tables, made once per process."""

    path: Path | None = None
    metadata: MetaData | None = None
    commands = 0
    dumps = 0  # refusals that committed something, so that the full dumps were compared

    @classmethod
    def get(cls) -> tuple[Path, MetaData]:
        if cls.path is None or cls.metadata is None:
            path = Path(tempfile.mkdtemp(prefix="fuzz-prepared-")) / "prepared.db"
            asyncio.run(prepare(path, ROSTER))
            engine = create_engine(sync_url(url_of(path)))
            metadata = MetaData()
            with engine.connect() as connection:
                metadata.reflect(connection)
            engine.dispose()
            cls.path, cls.metadata = path, metadata
        return cls.path, cls.metadata


class CommandMachine(RuleBasedStateMachine):
    """Each run: a fresh copy; each step: one command by one kind of user."""

    def __init__(self) -> None:
        super().__init__()
        self.workdir = Path(tempfile.mkdtemp(prefix="fuzz-"))
        prepared, metadata = Prepared.get()
        self.run = FuzzRun(prepared, self.workdir, ROSTER, metadata)

    @rule(kind=speakers(), text=command_texts(ROSTER))
    def speak(self, kind: str, text: str) -> None:
        self.run.speak(kind, text)
        Prepared.commands += 1
        Prepared.dumps += self.run.dumps
        self.run.dumps = 0

    @precondition(lambda self: self.run.count > 3)
    @rule(kind=speakers())
    def read_back(self, kind: str) -> None:
        """Reading commands after whatever came before still work for a participant."""
        self.run.speak(kind, "logg #2026-001 50")
        self.run.speak(kind, "lägesbild #2026-001")
        Prepared.commands += 2

    def teardown(self) -> None:
        self.run.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def machine_settings(runs: int, steps: int) -> settings:
    return settings(max_examples=runs, stateful_step_count=steps, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


@pytest.mark.long
@pytest.mark.timeout(600)
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # 100 kB reprs
def test_fuzz_commands() -> None:
    Prepared.commands = 0
    CommandMachine.TestCase.settings = machine_settings(FUZZ_RUNS, FUZZ_STEPS)
    CommandMachine.TestCase().runTest()
    print(f"fuzz: {Prepared.commands} commands in {FUZZ_RUNS} sequences, "
          f"{Prepared.dumps} refusals compared by full dump")
    assert Prepared.commands >= FUZZ_RUNS * FUZZ_STEPS // 4  # the machine really spoke


@pytest.mark.parametrize(("sql", "caught"), [
    ("INSERT INTO kv (key, value) VALUES ('fuzz-probe', 'x')", True),
    ("UPDATE activations SET status = status", False),  # committed, nothing changed: dumps
    (None, False),  # nothing committed: the commit counter alone says so
])
def test_a_refusal_that_writes_is_caught(tmp_path: Path, sql: str | None, caught: bool) -> None:
    """The fuzz test's own check can fail: a refusal that committed a change is reported."""
    prepared, metadata = Prepared.get()
    run = FuzzRun(prepared, tmp_path, ROSTER, metadata)
    handle = run.app.service.handle

    async def writes_then_refuses(text: str, origin: Origin) -> Reply:
        if sql is not None:
            with sqlite3.connect(run.path) as conn:
                conn.execute(sql)
            conn.close()
        reply = await handle("beslut", origin)  # refused: no activation named
        assert not reply.ok
        return reply

    run.app.service.handle = writes_then_refuses  # type: ignore[method-assign]
    try:
        if caught:
            with pytest.raises(AssertionError, match="changed the database"):
                run.speak("called", "beslut")
        else:
            run.speak("called", "beslut")
        assert run.dumps == (0 if sql is None else 1)
    finally:
        run.close()
