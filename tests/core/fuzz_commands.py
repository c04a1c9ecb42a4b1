"""Commands for fuzzing, made from the grammar's own words, the roster's names, times, rules
and hostile text, spoken by the kinds of user of the authorization matrix.

Used by tests/core/test_fuzz.py (a few thousand commands in `make test`) and bench/fuzz.py
(100,000 or more). `FuzzRun` holds one fresh copy of a prepared database and checks every
command: no unhandled exception (`error.internal`), an answer with text, and a refusal that
leaves the database as it was (nothing committed, or else a full dump compared).
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

from hypothesis import strategies as st
from sqlalchemy import MetaData

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.roster import Roster
from bot.grammar.words import COMMANDS, MEETING_SUBCOMMANDS, REPORT_FIELDS
from bot.settings import Settings
from storage.dump import Dumper
from tests.core.conftest import say
from tests.core.prepared import ACT, NOW, SPEAKERS

HOSTILE = [
    "<script>alert(1)</script>", "<b>fet</b> <a href='javascript:x'>länk</a>", "<!channel>",
    "<!here|here>", "@room", "@everyone", "<@U123ABC>", "**fet** _kursiv_ `kod` ```block```",
    "[länk](http://evil.example)", "![bild](http://evil.example/x.png)", "# Rubrik",
    "\u202eRTL-override\u202c", "\u200f\u200e", "noll\u200bbredd\u200d\ufeff", "\x00\x01\x1b[31m",
    "\r\n\t", "'; DROP TABLE timeline; --", "{id} {0} %s %(x)s", "../../etc/passwd",
    "\ud83d\ude00 emoji 👨‍👩‍👧", "Ω≈ç√∫", "\\", "|", "&amp;&lt;&gt;", "<@lst-tib-1>",
]
TIMES = ["14:00", "9.30", "om 2 timmar", "om 30 minuter", "imorgon 08:00", "i morgon 8",
         "2026-12-01 09:00", "2020-01-01 10:00", "25:99", "in 2 hours", "tomorrow 08:00",
         "nu", "igår", "måndag 10:00"]
RULES = ["var 3:e timme", "varje tisdag 09:00", "första måndagen i månaden 13:00",
         "sista fredagen i månaden 10:00", "every tuesday 09:00", "varannan blåmåndag",
         "var 0:e timme"]
IDS = [f"#{ACT}", "#2026-002", "#2026-999", "#abc", "#", "#2026-001#2026-001"]


def names(roster: Roster) -> list[str]:
    """Names people would write: actors by key, name and alias; functions as f@a; forums;
    scenarios."""
    found: list[str] = []
    for actor in roster.actors:
        found += [actor.key, actor.name, *actor.aliases]
        found += [f"{f.key}@{actor.key}" for f in actor.functions]
    for forum in roster.forums:
        found += [forum.key, forum.name]
    found += [s.key for s in roster.scenarios]
    return found


def words() -> list[str]:
    found = [w for cmd in COMMANDS for w in (cmd.sv, cmd.en, *cmd.spellings)]
    return found + list(MEETING_SUBCOMMANDS) + [f"{f}:" for f in REPORT_FIELDS]


def command_texts(roster: Roster) -> st.SearchStrategy[str]:
    """A command word, maybe an activation id, then a few parts of any kind."""
    part = st.one_of(
        st.sampled_from(names(roster)), st.sampled_from(words()), st.sampled_from(HOSTILE),
        st.sampled_from(TIMES), st.sampled_from(RULES), st.integers(-5, 10**6).map(str),
        st.text(max_size=30), st.sampled_from([",", ";", ":", "och", "and", "var", "nr"]),
    )
    head = st.sampled_from(words())
    ident = st.one_of(st.just(""), st.sampled_from(IDS))
    big = st.sampled_from(["", "x" * 100_000, "å" * 5_000 + "\u200b" * 1_000])
    return st.builds(
        lambda w, i, parts, tail: " ".join(p for p in (w, i, *parts) if p) + tail,
        head, ident, st.lists(part, max_size=6), big)


def speakers() -> st.SearchStrategy[str]:
    return st.sampled_from(list(SPEAKERS))


class FuzzRun:
    """One copy of the prepared database and an App on it, run on its own event loop.

    "A refusal leaves the database as it was" is checked through SQLite's own commit counter
    first: `PRAGMA data_version` on a separate connection changes whenever another
    connection commits, so an unchanged value proves that nothing was written (stronger than
    equal dumps). Only when a refused command did commit is the full dump compared, with the
    dump of an in-memory snapshot taken before the command (a page copy, ~1 ms, instead of a
    ~50 ms dump before every command)."""

    def __init__(self, prepared: Path, workdir: Path, roster: Roster,
                 metadata: MetaData | None = None) -> None:
        self.path = workdir / "fuzz.db"
        self.workdir = workdir
        shutil.copyfile(prepared, self.path)
        self.url = f"sqlite+aiosqlite:///{self.path}"
        self.loop = asyncio.new_event_loop()
        self.clock = ManualClock(NOW)
        self.app: App = self.loop.run_until_complete(build_app(
            Settings(database_url=self.url), clock=self.clock, exercise=True, roster=roster,
            migrate=False))
        self.metadata = metadata
        self.dumper = Dumper(self.url, metadata)
        self.watch = sqlite3.connect(self.path)  # PRAGMA data_version: others' commits
        self.snapshot = sqlite3.connect(":memory:")
        self._version = -1
        self.count = 0
        self.dumps = 0  # full dumps compared (refusals that committed something)

    def _data_version(self) -> int:
        return int(self.watch.execute("PRAGMA data_version").fetchone()[0])

    def _snapshot(self) -> int:
        """Copy the database into memory whenever another connection has committed since the
        last copy; returns the commit counter the copy belongs to."""
        version = self._data_version()
        if version != self._version:
            self.watch.backup(self.snapshot)
            self._version = version
        return version

    def _snapshot_dump(self) -> str:
        """The dump of the snapshot (the state before the command), via a file copy of it."""
        copy = self.workdir / "before.db"
        copy.unlink(missing_ok=True)
        with sqlite3.connect(copy) as target:
            self.snapshot.backup(target)
        target.close()
        before = Dumper(f"sqlite+aiosqlite:///{copy}", self.metadata)
        try:
            return before.dump()
        finally:
            before.close()

    def speak(self, kind: str, text: str) -> None:
        """Say `text` as `kind`; raises AssertionError for a broken promise."""
        version = self._snapshot()
        reply = self.loop.run_until_complete(say(self.app, SPEAKERS[kind], text))
        self.loop.run_until_complete(self.app.relay.wait_idle())
        self.count += 1
        assert reply.code != "error.internal", f"{kind}: {text[:300]!r} → internal error"
        assert reply.text.strip(), f"{kind}: {text[:300]!r} → no answer"
        if not reply.ok and self._data_version() != version:  # it committed: compare
            self.dumps += 1
            assert self.dumper.dump() == self._snapshot_dump(), (
                f"{kind}: {text[:300]!r} refused ({reply.code}) but changed the database")

    def close(self) -> None:
        self.watch.close()
        self.snapshot.close()
        self.dumper.close()
        self.loop.run_until_complete(self.app.close())
        self.loop.close()
