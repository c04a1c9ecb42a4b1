"""The command line: the same options on every subcommand that opens the record."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import _parser, main

OPENS_THE_RECORD = [["run"], ["console"], ["export", "ics"], ["export", "protocol", "2026-001"]]


@pytest.mark.parametrize("words", OPENS_THE_RECORD, ids=" ".join)
def test_every_subcommand_that_opens_the_record_takes_db_and_roster(words: list[str]) -> None:
    args = _parser().parse_args([*words, "--db", "sqlite+aiosqlite:///x.db", "--roster", "r"])
    assert (args.db, args.roster) == ("sqlite+aiosqlite:///x.db", Path("r"))


def test_export_writes_from_the_database_it_is_given(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a new user: `export` had no `--db` and always read ./samverkan.db."""
    for name in [k for k in os.environ if k.startswith("SAMVERKAN_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    db, out = tmp_path / "elsewhere.db", tmp_path / "k.ics"
    assert main(["export", "ics", "--db", f"sqlite+aiosqlite:///{db}", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR") and db.exists()
    assert not (tmp_path / "samverkan.db").exists()
