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
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule
from sqlalchemy import MetaData, create_engine

from bot.domain.roster import Roster
from bot.roster.loader import default_roster_path, load_roster
from storage.database import sync_url
from tests.core.fuzz_commands import FuzzRun, command_texts, speakers
from tests.core.prepared import prepare, url_of

FUZZ_RUNS = int(os.environ.get("FUZZ_RUNS", "30"))
FUZZ_STEPS = int(os.environ.get("FUZZ_STEPS", "70"))
ROSTER: Roster = load_roster(default_roster_path())


class Prepared:
    """The prepared file and its reflected tables, made once per process."""

    path: Path | None = None
    metadata: MetaData | None = None
    commands = 0

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


@pytest.mark.timeout(600)
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # 100 kB reprs
def test_fuzz_commands() -> None:
    Prepared.commands = 0
    CommandMachine.TestCase.settings = machine_settings(FUZZ_RUNS, FUZZ_STEPS)
    CommandMachine.TestCase().runTest()
    print(f"fuzz: {Prepared.commands} commands in {FUZZ_RUNS} sequences")
    assert Prepared.commands >= FUZZ_RUNS * FUZZ_STEPS // 4  # the machine really spoke
