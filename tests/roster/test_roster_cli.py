"""`samverkan roster check` and `samverkan roster show` (the functions the CLI wires up)."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.roster.cli import roster_check, roster_show
from bot.roster.loader import default_roster_path, load_roster

DATA = Path(__file__).parent / "data"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # week 9: third person of each rotation
JSON_KEYS = {"actor", "function", "person", "matrix_id", "slack_email", "deputy_of"}


def test_check_bundled_roster_prints_counts_and_exits_0() -> None:
    out = io.StringIO()
    assert roster_check(None, out) == 0
    roster = load_roster(default_roster_path())
    functions = sum(len(a.functions) for a in roster.actors)
    expected = (
        f"OK: Stockholms län: 41 aktörer, {functions} funktioner, "
        f"{len(roster.people)} personer, 7 forum, 7 scenarier\n"
    )
    assert out.getvalue() == expected


def test_check_given_file(tmp_path: Path) -> None:
    out = io.StringIO()
    assert roster_check(DATA / "mini.yaml", out) == 0
    assert out.getvalue().startswith("OK: Testlän: 1 aktör, 2 funktioner, 3 personer, 2 forum")


def test_check_broken_file_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    text = text.replace('holder = "p-lod"', 'holder = "nobody"')
    text = text.replace('  "vb@polisen",', '  "rlc@polisen",')
    path = tmp_path / "trasig.toml"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    assert roster_check(path, out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    for line in lines:
        assert re.fullmatch(rf"{re.escape(str(path))}:\d+: [\w.\-\[\]]+: .+", line), line
    assert "okänd person 'nobody'" in lines[0]
    assert "forums.samordnande.calls[1]" in lines[1]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("finns-inte.toml", None, "mappen eller filen finns inte"),
    ("latin1.toml", "namn = 'Malmö'".encode("latin-1"), "den är inte UTF-8"),
])
def test_check_unreadable_file_says_why_in_swedish_and_exits_1(
        tmp_path: Path, name: str, content: bytes | None, reason: str) -> None:
    """Found by a new user: the reason was the system's English (`[Errno 2] No such file`)."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    out = io.StringIO()
    assert roster_check(path, out) == 1
    assert out.getvalue() == f"{path}: filen kan inte läsas: {reason}\n"


def test_show_json_lists_holders_and_deputies() -> None:
    out = io.StringIO()
    assert roster_show(None, True, AT, out) == 0
    rows = json.loads(out.getvalue())
    roster = load_roster(default_roster_path())
    assert all(set(row) >= JSON_KEYS for row in rows)
    holders = [r for r in rows if r["deputy_of"] is None]
    deputies = [r for r in rows if r["deputy_of"] is not None]
    assert len(holders) == sum(len(a.functions) for a in roster.actors)
    assert len(deputies) == len(holders)  # every bundled function has a deputy
    refs = {f"{r['function']}@{r['actor']}" for r in holders}
    assert {r["deputy_of"] for r in deputies} == refs
    tib = next(r for r in holders if (r["actor"], r["function"]) == ("lansstyrelsen", "tib"))
    assert tib["person"] == "lst-tib-3"
    assert tib["matrix_id"] == "@lst-tib-3:samverkan.test"
    assert tib["slack_email"] == "lst-tib-3@samverkan.test"
    assert tib["label"] == "TiB Länsstyrelsen"
    deputy = next(r for r in deputies if r["deputy_of"] == "tib@lansstyrelsen")
    assert deputy["person"] == "lst-tib-1"


def test_show_json_follows_the_rotation() -> None:
    def tib_at(at: datetime) -> str:
        out = io.StringIO()
        roster_show(None, True, at, out)
        rows = json.loads(out.getvalue())
        return next(
            str(r["person"])
            for r in rows
            if r["function"] == "tib" and r["actor"] == "lansstyrelsen" and not r["deputy_of"]
        )

    assert tib_at(datetime(2026, 1, 5, 6, 59, tzinfo=UTC)) == "lst-tib-3"
    assert tib_at(datetime(2026, 1, 5, 7, 0, tzinfo=UTC)) == "lst-tib-1"
    assert tib_at(datetime(2026, 1, 12, 7, 0, tzinfo=UTC)) == "lst-tib-2"


def test_show_text_is_a_table_in_local_time() -> None:
    out = io.StringIO()
    assert roster_show(None, False, AT, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "Stockholms län: funktionsinnehavare 2026-03-02 10:00 (CET)"
    assert lines[1].split() == ["Funktion", "Roll", "Person", "Matrix", "Slack", "(e-post)"]
    row = next(line for line in lines if line.startswith("vakthavande-befal@polisen "))
    assert "innehavare" in row and "@polisen-vakthavande-befal-3:samverkan.test" in row


def test_show_broken_file_exits_1_and_naive_time_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tom.toml"
    path.write_text("[region]\n", encoding="utf-8")
    out = io.StringIO()
    assert roster_show(path, True, AT, out) == 1
    assert "saknas" in out.getvalue()
    with pytest.raises(ValueError, match="timezone"):
        roster_show(None, True, datetime(2026, 3, 2, 9, 0), io.StringIO())
