"""The house keeps one room per concern: no module beside another with the other's name plus a
suffix (`ports.py` + `ports_schedule.py`, `tables.py` + `tables_schedule.py`), in bot/ or
storage/. Such a pair means a concern grew a second home; make it a package instead."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def suffixed_pairs(folder: Path) -> list[tuple[str, str]]:
    """(base, suffixed) module names in `folder` where `suffixed` is `base_<something>`, also
    when the base is a package (`repositories/` + `repositories_schedule.py`)."""
    names = {p.stem for p in folder.glob("*.py")} | {
        p.name for p in folder.iterdir() if p.is_dir() and (p / "__init__.py").exists()
    }
    return sorted((base, other) for base in names for other in names
                  if other != base and other.startswith(base + "_"))


@pytest.mark.parametrize("top", ["bot", "storage"])
def test_no_concern_lives_beside_itself_with_a_suffix(top: str) -> None:
    folders = [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]
    found = {str(f.relative_to(ROOT)): pairs for f in folders
             if "__pycache__" not in f.parts and (pairs := suffixed_pairs(f))}
    assert not found, f"a concern with a second module beside it: {found}"


def test_the_check_finds_a_suffixed_pair(tmp_path: Path) -> None:
    for name in ("tables.py", "tables_schedule.py", "other.py"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert suffixed_pairs(tmp_path) == [("tables", "tables_schedule")]
