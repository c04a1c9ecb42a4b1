"""Broken rosters: every problem is reported with its file, line and key path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.roster.checks import CrossReferenceError, validated_roster
from bot.roster.loader import RosterError, RosterProblem, load_roster
from bot.roster.locate import toml_lines

DATA = Path(__file__).parent / "data"
MINI_TOML = (DATA / "mini.toml").read_text(encoding="utf-8")
MINI_YAML = (DATA / "mini.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth line containing `needle` (negative nth: from the end)."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    assert hits, needle
    return hits[nth]


def problems_of(tmp_path: Path, text: str, suffix: str = ".toml") -> list[RosterProblem]:
    path = tmp_path / f"broken{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    problems = caught.value.problems
    assert problems and all(p.file == str(path) for p in problems)
    return problems


def broken(old: str, new: str, *, text: str = MINI_TOML, count: int = 1) -> str:
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    key: str
    line_marker: str  # the expected line is the (nth) line containing this
    message: str  # a part of the message
    nth: int = 0


TOML_CASES = [
    Case(
        "unknown holder",
        broken('holder = "p-lod"', 'holder = "nobody"'),
        "actors.lst.functions.lod.holder",
        'holder = "nobody"',
        "okänd person 'nobody'",
    ),
    Case(
        "unknown person in a multi-line rotation",
        broken('  "p-vb-2",', '  "p-vb-9",'),
        "actors.polisen.functions.vb.rotation.people[1]",
        '"p-vb-9"',
        "okänd person 'p-vb-9'",
    ),
    Case(
        "unknown deputy",
        broken('deputy = "p-lod-ers"', 'deputy = "p-lod-x"'),
        "actors.lst.functions.lod.deputy",
        'deputy = "p-lod-x"',
        "okänd person",
    ),
    Case(
        "unknown function in a forum",
        broken('  "vb@polisen",', '  "rlc@polisen",'),
        "forums.samordnande.calls[1]",
        '"rlc@polisen"',
        "aktören 'polisen' har ingen funktion 'rlc'",
    ),
    Case(
        "unknown actor in a forum",
        broken('calls = ["lod@lst", "tib@lst"]', 'calls = ["lod@lst", "tib@kbv"]'),
        "forums.inriktande.calls[1]",
        '"tib@kbv"',
        "okänd aktör 'kbv'",
    ),
    Case(
        "duplicate actor key",
        broken('key = "polisen"', 'key = "lst"'),
        "actors.lst.key",
        'key = "lst"',
        "finns redan",
        nth=-1,
    ),
    Case(
        "duplicate person key",
        broken('key = "p-vb-2"', 'key = "p-vb-1"'),
        "people.p-vb-1.key",
        'key = "p-vb-1"',
        "finns redan",
        nth=-1,
    ),
    Case(
        "missing holder",
        broken('holder = "p-lod"\n', ""),
        "actors.lst.functions.lod",
        "[[actors.functions]]",
        "'holder' eller 'rotation'",
        nth=1,
    ),
    Case(
        "unknown escalates_to",
        broken('escalates_to = "inriktande"', 'escalates_to = "toppen"'),
        "forums.samordnande.escalates_to",
        'escalates_to = "toppen"',
        "okänt forum 'toppen'",
    ),
    Case(
        "wrong type",
        broken("ack_minutes = 5", 'ack_minutes = "fem"'),
        "actors.lst.functions.tib.ack_minutes",
        'ack_minutes = "fem"',
        "heltal",
    ),
    Case(
        "unknown field",
        broken("shift_hours = 168", "shift_houres = 168"),
        "actors.lst.functions.tib.rotation.shift_houres",
        "shift_houres",
        "okänt fält",
    ),
    Case(
        "bad level",
        broken('mandate = ["inriktande"]', 'mandate = ["styrande"]'),
        "actors.lst.functions.lod.mandate[0]",
        '"styrande"',
        "'styrande'",
    ),
    Case(
        "missing region name",
        broken('name = "Testlän"  #', "#"),
        "region.name",
        "[region]",
        "saknas",
    ),
    Case(
        "start without offset",
        broken("start = 2026-01-05T08:00:00+01:00\n", "start = 2026-01-05T08:00:00\n"),
        "actors.lst.functions.tib.rotation",
        "[actors.functions.rotation]",
        "UTC-offset",
    ),
    Case(
        "unknown scenario forum",
        broken('forum = "samordnande"', 'forum = "storforum"'),
        "scenarios.ovader.forum",
        'forum = "storforum"',
        "okänt forum",
    ),
    Case(
        "unknown actor in extra_calls",
        broken('extra_calls = ["polisen"]', 'extra_calls = ["polis"]'),
        "scenarios.ovader.extra_calls[0]",
        'extra_calls = ["polis"]',
        "okänd aktör 'polis'",
    ),
    Case(
        "bad wildcard",
        broken('may_activate = ["tib@*", "*@lst"]', 'may_activate = ["tib@*", "*@lsx"]'),
        "forums.samordnande.may_activate[1]",
        "may_activate",
        "okänd aktör 'lsx'",
    ),
    Case(
        "bad matrix id",
        broken('matrix_id = "@p-tib-2:samverkan.test"', 'matrix_id = "p-tib-2"'),
        "people.p-tib-2.matrix_id",
        'matrix_id = "p-tib-2"',
        "Matrix-id",
    ),
    Case(
        "fallback that is not a function",
        broken('fallback = "vb"', 'fallback = "tib"'),
        "actors.polisen",
        "[[actors]]",
        "fallback 'tib'",
        nth=1,
    ),
]


@pytest.mark.parametrize("case", TOML_CASES, ids=[c.name for c in TOML_CASES])
def test_broken_toml_is_located(case: Case, tmp_path: Path) -> None:
    problems = problems_of(tmp_path, case.text)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.key == case.key
    expected = line_of(case.text, case.line_marker, case.nth)
    assert problem.line == expected, problem
    assert case.message in problem.message
    assert str(problem) == f"{problem.file}:{expected}: {case.key}: {problem.message}"


def test_toml_syntax_error_carries_tomllib_line(tmp_path: Path) -> None:
    text = broken('name = "Testlän"  #', 'name = "Testlän  #')
    (problem,) = problems_of(tmp_path, text)
    assert problem.line == line_of(text, 'name = "Testlän  #')
    assert problem.key == ""
    assert problem.message.startswith("TOML-syntaxfel")
    assert "at line" not in problem.message  # the position moved into the line field


def test_toml_duplicate_table_key_is_a_syntax_error(tmp_path: Path) -> None:
    text = broken('short = "Länsstyrelsen"', 'short = "Länsstyrelsen"\nname = "igen"')
    (problem,) = problems_of(tmp_path, text)
    assert problem.line == line_of(text, 'name = "igen"')


def test_several_problems_are_all_reported_in_line_order(tmp_path: Path) -> None:
    text = broken('holder = "p-lod"', 'holder = "nobody"')
    text = broken('  "vb@polisen",', '  "rlc@polisen",', text=text)
    text = broken('convener = "tib@lst"', 'convener = "tib@nowhere"', text=text)
    problems = problems_of(tmp_path, text)
    assert [(p.key, p.line) for p in problems] == [
        ("region.convener", line_of(text, "convener")),
        ("actors.lst.functions.lod.holder", line_of(text, "nobody")),
        ("forums.samordnande.calls[1]", line_of(text, "rlc@polisen")),
    ]


def test_missing_section_has_no_line(tmp_path: Path) -> None:
    start = MINI_TOML.index("[[scenarios]]")
    text = MINI_TOML[: MINI_TOML.index("[[forums]]")] + MINI_TOML[start:]
    problems = problems_of(tmp_path, text)
    assert [(p.key, p.line) for p in problems] == [("forums", None)]
    assert str(problems[0]).endswith(": forums: saknas")


def test_yaml_mini_loads(tmp_path: Path) -> None:
    roster = load_roster(DATA / "mini.yaml")
    assert [f.key for f in roster.forums] == ["samordnande", "inriktande"]


YAML_CASES = [
    Case(
        "unknown holder",
        broken("holder: p-lod", "holder: nobody", text=MINI_YAML),
        "actors.lst.functions.lod.holder",
        "holder: nobody",
        "okänd person 'nobody'",
    ),
    Case(
        "unknown person in a flow list",
        broken("people: [p-tib-1, p-tib-2]", "people: [p-tib-1, p-tib-7]", text=MINI_YAML),
        "actors.lst.functions.tib.rotation.people[1]",
        "p-tib-7",
        "okänd person",
    ),
    Case(
        "unknown function in a forum",
        broken("      - tib@lst", "      - tob@lst", text=MINI_YAML),
        "forums.samordnande.calls[0]",
        "- tob@lst",
        "ingen funktion 'tob'",
    ),
    Case(
        "wrong type",
        broken("ack_minutes: 5", "ack_minutes: [5]", text=MINI_YAML),
        "actors.lst.functions.tib.ack_minutes",
        "ack_minutes",
        "heltal",
    ),
    Case(
        "duplicate forum key",
        broken("  - key: inriktande", "  - key: samordnande", text=MINI_YAML),
        "forums.samordnande.key",
        "- key: samordnande",
        "finns redan",
        nth=-1,
    ),
]


@pytest.mark.parametrize("case", YAML_CASES, ids=[c.name for c in YAML_CASES])
def test_broken_yaml_is_located(case: Case, tmp_path: Path) -> None:
    problems = problems_of(tmp_path, case.text, ".yaml")
    problems = [p for p in problems if p.key == case.key]
    assert len(problems) == 1
    assert problems[0].line == line_of(case.text, case.line_marker, case.nth)
    assert case.message in problems[0].message


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    text = broken("    level: inriktande", "    level: [inriktande", text=MINI_YAML)
    (problem,) = problems_of(tmp_path, text, ".yml")
    assert problem.message.startswith("YAML-syntaxfel")
    assert problem.line is not None
    assert line_of(text, "level: [inriktande") <= problem.line <= len(text.splitlines()) + 1


def test_yaml_that_is_not_a_mapping(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, "- just\n- a list\n", ".yaml")
    assert problem.line == 1 and "tabell" in problem.message


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, "{}", ".json")
    assert ".json" in problem.message and problem.line is None
    with pytest.raises(RosterError) as caught:
        load_roster(tmp_path / "saknas.toml")
    assert "kan inte läsas" in caught.value.problems[0].message


def test_direct_validation_still_fails_with_a_readable_error() -> None:
    import tomllib

    data = tomllib.loads(broken('holder = "p-lod"', 'holder = "nobody"'))
    with pytest.raises(CrossReferenceError, match=r"actors\[0\]\.functions\[1\]\.holder"):
        validated_roster(data)


def test_locator_handles_tricky_toml() -> None:
    text = (
        'a = "x # not a comment [nor a table]"\n'
        "b = '''\n"
        "multi\n"
        "[[not.a.header]]\n"
        "'''\n"
        '"quoted.key" = 1\n'
        "[t]\n"
        "c.d = [ [1, 2], [3,\n"
        "  4] ]  # nested\n"
        'e = { f = "}", g = [1, { h = 2 }] }\n'
    )
    lines = toml_lines(text)
    assert lines[("a",)] == 1 and lines[("b",)] == 2
    assert ("not",) not in lines
    assert lines[("quoted.key",)] == 6
    assert lines[("t", "c", "d", 1)] == 8
    assert lines[("t", "c", "d", 1, 1)] == 9
    assert lines[("t", "e", "g", 1, "h")] == 10
