"""Found by a new user: the command line answered mistakes with tracebacks. Every input of
the table runs `samverkan` in a real process (a closed pipe needs a real pipe) and must end
with one Swedish line on standard error and exit code 2 (usage) or 1 (runtime), never a
traceback; `--db` takes a plain file path as well as a URL on every subcommand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import _parser, database_url

# (arguments, exit code, a Swedish phrase on stderr); {tmp} is a fresh folder
BAD_INPUT: list[tuple[list[str], int, str]] = [
    (["migrate", "--db", "sqlite+aiosqlite:////nonexistent-dir-fixb/x.db"], 1,
     "Databasen kan inte öppnas"),
    (["export", "protocol", "Ö2026-001", "--db",
      "sqlite+aiosqlite:////nonexistent-dir-fixb/x.db"], 1, "Databasen kan inte öppnas"),
    (["migrate", "--db", "nosuchdriver://x"], 2, "okänd databastyp ”nosuchdriver”"),
    (["export", "ics", "--db", "{tmp}/k.db", "--out", "/nonexistent-dir-fixb/p.ics"], 1,
     "Filfel /nonexistent-dir-fixb/p.ics: mappen eller filen finns inte"),
    (["console", "--exercise", "--start", "igår"], 2, "”igår” är ingen tidpunkt"),
    (["export", "protocol", "Ö2026-001", "--db", "{tmp}/s7.db"], 1,
     "Okänd aktivering: #Ö2026-001"),
    (["export", "ics", "--forum", "samordnade", "--db", "{tmp}/k.db"], 2,
     "Okänt forum ”samordnade”. Menade du: Regionalt samordnande forum"),
    (["export", "ics", "--forum", "Inget sådant", "--db", "{tmp}/k.db"], 2,
     "Okänt forum ”Inget sådant”"),
]


def _run(args: list[str], tmp: Path, *, close_stdout: bool = False) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    argv = [a.replace("{tmp}", str(tmp)) for a in args]
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", *argv], cwd=tmp, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    if close_stdout:
        proc.stdout.close()  # `| head` that has read enough
    try:
        _out, err = proc.communicate(timeout=60)
    except ValueError:  # stdout closed: read stderr alone
        err = proc.stderr.read()
        proc.wait(timeout=60)
    return proc.returncode, err.decode()


def _one_swedish_line(stderr: str, phrase: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert phrase in stderr, stderr
    assert len([ln for ln in stderr.splitlines() if phrase in ln]) == 1


@pytest.mark.parametrize(("args", "code", "phrase"), BAD_INPUT, ids=lambda v: str(v)[:40])
def test_a_mistake_is_one_swedish_line_not_a_traceback(args: list[str], code: int,
                                                       phrase: str, tmp_path: Path) -> None:
    returned, stderr = _run(args, tmp_path)
    _one_swedish_line(stderr, phrase)
    assert returned == code


@pytest.mark.parametrize("forum", ["veckokonferens", "VECKOKONFERENS",
                                   "Veckovis samverkanskonferens", "alla", "Alla"])
def test_export_ics_reads_the_forum_as_commands_do(forum: str, tmp_path: Path) -> None:
    """`--forum` took only the exact key: any other spelling gave an empty calendar."""
    out = tmp_path / "v.ics"
    returned, stderr = _run(["export", "ics", "--forum", forum, "--db", "{tmp}/k.db",
                             "--out", str(out)], tmp_path)
    assert (returned, stderr) == (0, ""), stderr
    assert out.read_text(encoding="utf-8").count("BEGIN:VEVENT") >= 1


def test_a_closed_pipe_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """`samverkan roster show --json | head`."""
    returned, stderr = _run(["roster", "show", "--json"], tmp_path, close_stdout=True)
    _one_swedish_line(stderr, "Utdata avbröts")
    assert returned == 1


def test_db_takes_a_plain_path_on_every_subcommand(tmp_path: Path) -> None:
    """`--db /tmp/s7.db` was handed to SQLAlchemy as a URL (ArgumentError)."""
    for words in [["run"], ["console"], ["migrate"], ["export", "ics"],
                  ["export", "protocol", "2026-001"]]:
        args = _parser().parse_args([*words, "--db", str(tmp_path / "s7.db")])
        assert args.db == f"sqlite+aiosqlite:///{tmp_path / 's7.db'}"
    assert database_url("rel.db") == f"sqlite+aiosqlite:///{Path('rel.db').resolve()}"
    assert database_url("postgresql+asyncpg://u@h/db") == "postgresql+asyncpg://u@h/db"
    returned, stderr = _run(["migrate", "--db", "{tmp}/mig.db"], tmp_path)
    assert (returned, stderr) == (0, "") and (tmp_path / "mig.db").exists()
