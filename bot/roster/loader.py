"""Load a roster (a file or a folder, TOML or YAML, with playbooks) and report every problem
with file, line and key path."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.domain.roster import Roster
from bot.roster.checks import Loc, RosterIssue, cross_check
from bot.roster.locate import Lines, locate, toml_lines, yaml_lines
from bot.roster.sources import Assembly, Source
from bot.texts.oserrors import os_reason

BUNDLED_ROSTER = Path(__file__).resolve().parent / "bundled" / "stockholm"
log = logging.getLogger(__name__)

_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column \d+|at end of document)\)$")


@dataclass(frozen=True)
class RosterProblem:
    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class RosterError(Exception):
    def __init__(self, problems: list[RosterProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def default_roster_path() -> Path:
    """The bundled Stockholms län roster folder: package data (`bot/roster/bundled/`), so a
    wheel or the container image finds it wherever it is installed."""
    return BUNDLED_ROSTER


def bundled_playbooks() -> Path:
    """The folder of the bundled playbooks, `bot/scenarios/`."""
    return Path(__file__).resolve().parents[1] / "scenarios"


def region_playbooks(path: Path) -> Path:
    """Where a region keeps its own playbooks by default: `scenarios/` in its roster folder
    (or beside its roster file)."""
    return (path if path.is_dir() else path.parent) / "scenarios"


def load_roster(path: Path, scenarios: Path | None = None, *, bundled: bool = True) -> Roster:
    """Parse and validate the roster at `path` (a file or a folder of files, see
    `bot.roster.sources`) with the bundled playbooks (`bundled`) and the region's own
    (`scenarios`, default `region_playbooks(path)`); raise RosterError listing every problem
    with file, line and key."""
    asm = assemble(path, scenarios, bundled=bundled)
    issues: list[tuple[Loc, str]] = []
    problems = [_local_problem(src, loc, msg) for src, loc, msg in asm.issues]
    if not problems:
        try:
            roster = Roster.model_validate(asm.data)
            issues = [(i.loc, i.message) for i in cross_check(roster)]
        except ValidationError as exc:
            issues = list(_issues(exc))
        if not issues:
            return roster
    problems += [_problem(asm, loc, msg) for loc, msg in issues]
    problems.sort(key=lambda p: (p.file, p.line is None, p.line or 0))
    raise RosterError(problems) from None


def assemble(path: Path, scenarios: Path | None = None, *, bundled: bool = True) -> Assembly:
    """Read and merge every file of the roster and the playbooks, unvalidated (see
    `load_roster`); syntax errors raise RosterError at once."""
    asm = Assembly()
    for file in _files(path):
        asm.add_file(_read(file))
    asm.fold_staffing()
    if bundled:
        for file in _files(bundled_playbooks(), missing_ok=True):
            src = _read(file)
            if asm.fits(src.data):
                asm.add_playbook(src, replace=False)
            else:
                log.info("bundled playbook %s does not fit this region; left out", file.name)
    own = scenarios or region_playbooks(path)
    for file in _files(own, missing_ok=scenarios is None):
        asm.add_playbook(_read(file), replace=True)
    return asm


_SUFFIXES = (".toml", ".yaml", ".yml")


def _files(path: Path, *, missing_ok: bool = False) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES and p.is_file())
    if missing_ok and not path.exists():
        return []
    return [path]


def _read(path: Path) -> Source:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RosterError([RosterProblem(file, None, "",
                                         f"filen kan inte läsas: {os_reason(exc)}")]) from exc
    except UnicodeDecodeError as exc:
        raise RosterError([RosterProblem(file, None, "",
                                         "filen kan inte läsas: den är inte UTF-8")]) from exc
    suffix = path.suffix.lower()
    if suffix == ".toml":
        data, lines = _parse_toml(file, text)
    elif suffix in (".yaml", ".yml"):
        data, lines = _parse_yaml(file, text)
    else:
        message = f"okänt filformat {suffix or '(inget)'!r}: använd .toml, .yaml eller .yml"
        raise RosterError([RosterProblem(file, None, "", message)])
    return Source(file, data, lines)


def _parse_toml(file: str, text: str) -> tuple[dict[str, Any], Callable[[], Lines]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        line = None
        if match is not None:
            line = int(match.group(1)) if match.group(1) else text.count("\n") + 1
            message = message[: match.start()]
        problem = RosterProblem(file, line, "", f"TOML-syntaxfel: {message}")
        raise RosterError([problem]) from None
    return data, lambda: toml_lines(text)


def _parse_yaml(file: str, text: str) -> tuple[dict[str, Any], Callable[[], Lines]]:
    try:
        import yaml
    except ImportError:
        message = "YAML kräver paketet PyYAML (pip install pyyaml), eller använd TOML"
        raise RosterError([RosterProblem(file, None, "", message)]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise RosterError([RosterProblem(file, line, "", f"YAML-syntaxfel: {detail}")]) from None
    except yaml.YAMLError as exc:
        raise RosterError([RosterProblem(file, None, "", f"YAML-syntaxfel: {exc}")]) from None
    if not isinstance(data, dict):
        line = None if node is None else node.start_mark.line + 1
        message = "filen ska innehålla en tabell med region, people, actors och forums"
        raise RosterError([RosterProblem(file, line, "", message)])
    return data, lambda: yaml_lines(node)


def _issues(exc: ValidationError) -> Iterable[tuple[Loc, str]]:
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if isinstance(p, int) or _is_field(p))
        yield RosterIssue(loc, _message(err))


def _is_field(part: str) -> bool:
    """pydantic adds segments such as `function-after[_key(), str]` that are not data keys."""
    return not any(c in part for c in "[]()")


_MESSAGES = {
    "missing": "saknas",
    "extra_forbidden": "okänt fält",
    "string_type": "ska vara en text",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "bool_type": "ska vara true eller false",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara en tabell",
    "model_type": "ska vara en tabell",
    "model_attributes_type": "ska vara en tabell",
    "datetime_type": "ska vara en tidpunkt med UTC-offset, t.ex. 2026-01-05T08:00:00+01:00",
    "datetime_parsing": "ska vara en tidpunkt med UTC-offset, t.ex. 2026-01-05T08:00:00+01:00",
    "datetime_from_date_parsing": "ska vara en tidpunkt, t.ex. 2026-01-05T08:00:00+01:00",
}


def _message(err: ErrorDetails) -> str:
    kind, ctx = err["type"], err.get("ctx", {})
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "too_short":
        return f"ska ha minst {ctx.get('min_length', 1)} element"
    if kind == "greater_than":
        return f"ska vara större än {ctx.get('gt')}"
    if kind == "enum":
        expected = str(ctx.get("expected", "")).replace(" or ", " eller ")
        return f"ska vara en av {expected} (fick {_shown(err['input'])})"
    text = _MESSAGES.get(kind)
    if text is None:
        return str(err["msg"])
    if kind in ("missing", "extra_forbidden"):
        return text
    return f"{text} (fick {_shown(err['input'])})"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _problem(asm: Assembly, loc: Loc, message: str) -> RosterProblem:
    src, local = asm.where(loc)
    if src is None:
        return RosterProblem("?", None, render_key(asm.data, loc), message)
    line = locate(src.lines, local) if local else 1
    return RosterProblem(src.file, line, render_key(asm.data, loc), message)


def _local_problem(src: Source, loc: Loc, message: str) -> RosterProblem:
    return RosterProblem(src.file, locate(src.lines, loc), render_key(src.data, loc), message)


def render_key(data: Any, loc: Loc) -> str:
    """`("forums", 0, "calls", 4)` → `forums.samordnande.calls[4]`: list items named by key."""
    out, node = "", data
    for part in loc:
        item = _child(node, part)
        if isinstance(part, int):
            key = item.get("key") if isinstance(item, dict) else None
            out += f".{key}" if isinstance(key, str) and key else f"[{part}]"
        else:
            out += f".{part}" if out else part
        node = item
    return out


def _child(node: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return node[part] if isinstance(node, list) and -len(node) <= part < len(node) else None
    return node.get(part) if isinstance(node, dict) else None
