"""The roster as a folder of files: each problem is reported in the file the value is in,
with its line; staffing is folded into the functions; `region` may be given once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.roster.loader import RosterError, default_roster_path, load_roster


@pytest.fixture
def region(tmp_path: Path) -> Path:
    folder = tmp_path / "region"
    shutil.copytree(default_roster_path(), folder)
    return folder


def _edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; return the 1-based line it was on."""
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), "utf-8")
    return line


def _problems(folder: Path) -> list[str]:
    with pytest.raises(RosterError) as err:
        load_roster(folder)
    return [str(p) for p in err.value.problems]


CASES = [
    # (file, old text, new text, key in the message, words of the message)
    ("staffing.toml", '"botkyrka-tib-2", "botkyrka-tib-3"] }', '"botkyrka-tib-2", "ingen"] }',
     "actors.botkyrka.functions.tib.rotation.people[2]", "okänd person"),
    ("staffing.toml", 'function = "tib@botkyrka"', 'function = "tib@ingenstans"',
     "staffing[4].function", "ingen aktör har funktionen"),
    ("actors.toml", 'mandate = ["samordnande", "verkstallande"]\nack_minutes = 5',
     'mandate = ["allt"]\nack_minutes = 5', "actors.lansstyrelsen.functions.tib.mandate[0]",
     "ska vara en av"),
    ("forums.toml", '  "vakthavande-befal@polisen",\n  "operativ-chef@*"',
     '  "vakthavande-befal@polis",\n  "operativ-chef@*"',
     "forums.samordnande.may_activate", "okänd aktör"),
    ("people.toml", '{ key = "lst-tib-2", name = "Fredrik Jansson (platshållare)"',
     '{ key = "lst-tib-2", namn = "Fredrik Jansson (platshållare)"', "people.lst-tib-2.namn",
     "okänt fält"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] + ":" + c[3] for c in CASES])
def test_a_problem_is_reported_in_its_own_file(region: Path,
                                               case: tuple[str, str, str, str, str]) -> None:
    file, old, new, key, words = case
    line = _edit(region / file, old, new)
    problems = _problems(region)
    hits = [p for p in problems if p.startswith(f"{region / file}:") and key in p]
    assert hits, problems
    assert any(f"{region / file}:{line}:" in p or f"{region / file}:{line + 1}:" in p
               for p in hits), (line, hits)
    assert any(words in p for p in hits), hits


def test_region_may_be_given_once(region: Path) -> None:
    (region / "zz-extra.toml").write_text('[region]\nname = "Annan"\n', "utf-8")
    problems = _problems(region)
    where = f"{region / 'zz-extra.toml'}:1: region: finns redan i"
    assert any(p.startswith(where) for p in problems), problems


def test_a_single_file_still_loads(region: Path, tmp_path: Path) -> None:
    """The old form: everything in one file (here the folder's files concatenated)."""
    one = tmp_path / "en-fil.toml"
    parts = [(region / f).read_text("utf-8") for f in
             ("people.toml", "region.toml", "actors.toml", "forums.toml", "staffing.toml")]
    one.write_text("\n".join(parts), "utf-8")
    assert load_roster(one).model_dump() == load_roster(region).model_dump()
