"""The command line: the same options on every subcommand that opens the record."""

from __future__ import annotations

import argparse
import inspect
import io
import os
import re
from pathlib import Path

import pytest

from bot.cli import _parser, main
from bot.swedish_argparse import SWEDISH, SWEDISH_PLURAL

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


EXERCISE_SCRIPT = ":as tib@lansstyrelsen\naktivera samordnande oväder Övningsstorm\n:quit\n"


@pytest.mark.parametrize("real_db_from_env", [False, True], ids=["default", "env-url"])
def test_console_exercise_keeps_its_own_database(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str],
                                                 real_db_from_env: bool) -> None:
    """Found by a new user: `console --exercise` wrote into ./samverkan.db, so real
    activations were numbered after the exercise's and `status` listed the exercise."""
    for name in [k for k in os.environ if k.startswith("SAMVERKAN_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    real = tmp_path / "samverkan.db"
    if real_db_from_env:
        monkeypatch.setenv("SAMVERKAN_DATABASE_URL", f"sqlite+aiosqlite:///{real}")
    monkeypatch.setattr("sys.stdin", io.StringIO(EXERCISE_SCRIPT))
    assert main(["console", "--exercise"]) == 0
    assert "Övningsstorm" in capsys.readouterr().out  # the exercise ran and activated
    assert (tmp_path / "samverkan-ovning.db").exists()
    assert not real.exists()


@pytest.mark.parametrize(("start", "shown"), [
    ("2026-11-21T13:00", "13:01"),         # no offset: the region's wall clock (winter, +01)
    ("2026-07-01T13:00", "13:01"),         # summer time (+02)
    ("2026-11-21T13:00+00:00", "14:01"),   # an explicit offset is kept
])
def test_exercise_start_without_offset_is_the_regions_clock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        start: str, shown: str) -> None:
    """Found by a new user: `--start 2026-11-21T13:00` was read as UTC and shown as 14:00,
    while the README says every time is Europe/Stockholm."""
    for name in [k for k in os.environ if k.startswith("SAMVERKAN_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(":clock +1m\n:quit\n"))
    assert main(["console", "--exercise", "--start", start]) == 0
    out = capsys.readouterr().out
    day = start[:10]
    assert f"{day} {shown}" in out, out[-600:]


# argparse's message ids that only a programming error in the parser's definition can show
DEVELOPER_ONLY = {
    "'required' is an invalid argument for positionals", ".__call__() not defined",
    "%r is not callable", "cannot have multiple subparser arguments",
    "cannot merge actions - two groups are named %r", "conflicting subparser alias: %s",
    "conflicting subparser: %s", "dest= is required for options like %r",
    "invalid conflict_resolution value: %r", "invalid option string %(option)r: ",
    "mutually exclusive arguments must be optional", "conflicting option string: %s",
    'argument "-" with mode %r',
}


def test_every_message_a_user_can_meet_is_in_the_swedish_catalog() -> None:
    source = inspect.getsource(argparse)
    found = set(re.findall(r"""\b_\((['"])(.*?)\1""", source))
    ids = {text.encode().decode("unicode_escape") for _quote, text in found}
    plural = set(re.findall(r"ngettext\('([^']*)'", source))
    assert ids and plural
    assert ids - DEVELOPER_ONLY - set(SWEDISH) == set()
    assert plural - DEVELOPER_ONLY - set(SWEDISH_PLURAL) == set()
    assert set(SWEDISH) <= ids | _OTHER_PYTHONS  # no stale entries


_OTHER_PYTHONS = {  # message ids of Python 3.13's argparse, not in 3.11's
    "argument '%(argument_name)s' is deprecated", "command '%(parser_name)s' is deprecated",
    "option '%(option)s' is deprecated", "show program's version number and exit",
    " (default: %(default)s)", "%(heading)s:", "%(prog)s: warning: %(message)s\n",
    "subcommands",
}


ENGLISH = ("usage:", "error:", "required", "show this help", "options:", "invalid choice",
           "unrecognized", "expected", "positional arguments")


@pytest.mark.parametrize(("argv", "code", "swedish"), [
    ([], 2, "samverkan: fel: följande argument saknas: KOMMANDO"),
    (["-h"], 0, "visa den här hjälpen och avsluta"),
    (["export", "-h"], 0, "flaggor:"),
    (["export", "protocol", "-h"], 0, "användning: samverkan export protocol"),
    (["export", "protocol"], 2, "fel: följande argument saknas: AKTIVERING"),
    (["export", "protocol", "1", "--format", "doc"], 2,
     "argumentet --format: ogiltigt val: 'doc' (välj bland 'md', 'html', 'pdf')"),
    (["export", "protocol", "1", "--out"], 2, "argumentet --out: ett värde saknas"),
    (["health", "--timeout", "snart"], 2, "ogiltigt värde (float): 'snart'"),
    (["run", "--okand"], 2, "fel: okända argument: --okand"),
    (["hjalp"], 2, "argumentet KOMMANDO: ogiltigt val: 'hjalp'"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_usage_help_and_errors_are_swedish(argv: list[str], code: int, swedish: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Found by a new user: argparse's own "usage:", "error: the following arguments are
    required" and "show this help message and exit" were English."""
    with pytest.raises(SystemExit) as ended:
        main(argv)
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert ended.value.code == code, text
    assert swedish in text and "användning: samverkan" in text
    assert not [word for word in ENGLISH if word in text], text


def test_argparse_is_english_again_outside_the_cli() -> None:
    _parser()
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


def test_version_is_the_installed_packages(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"samverkan {version('samverkansboten')}\n"
