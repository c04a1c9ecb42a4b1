"""Load a roster file (TOML or YAML) and report every problem with file, line and key path."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.domain.roster import Roster
from bot.roster.checks import Loc, RosterIssue, cross_check
from bot.roster.locate import Lines, locate, toml_lines, yaml_lines

BUNDLED_ROSTER = Path("config") / "stockholm.toml"

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
    """The bundled Stockholms län roster (repository checkout first, then the working dir)."""
    repo = Path(__file__).resolve().parents[2] / BUNDLED_ROSTER
    return repo if repo.is_file() else Path.cwd() / BUNDLED_ROSTER


def load_roster(path: Path) -> Roster:
    """Parse and validate `path`; raise RosterError listing every problem found."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError([RosterProblem(file, None, "", f"filen kan inte läsas: {exc}")]) from exc
    suffix = path.suffix.lower()
    if suffix == ".toml":
        data, lines = _parse_toml(file, text)
    elif suffix in (".yaml", ".yml"):
        data, lines = _parse_yaml(file, text)
    else:
        message = f"okänt filformat {suffix or '(inget)'!r}: använd .toml, .yaml eller .yml"
        raise RosterError([RosterProblem(file, None, "", message)])
    try:
        roster = Roster.model_validate(data)
        issues: list[tuple[Loc, str]] = [(i.loc, i.message) for i in cross_check(roster)]
    except ValidationError as exc:
        issues = list(_issues(exc))
    if not issues:
        return roster
    problems = [_problem(file, lines, data, loc, msg) for loc, msg in issues]
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    raise RosterError(problems) from None


def _parse_toml(file: str, text: str) -> tuple[dict[str, Any], Lines]:
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
    return data, toml_lines(text)


def _parse_yaml(file: str, text: str) -> tuple[dict[str, Any], Lines]:
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
    return data, yaml_lines(node)


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


def _problem(file: str, lines: Lines, data: Any, loc: Loc, message: str) -> RosterProblem:
    return RosterProblem(file, locate(lines, loc), render_key(data, loc), message)


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
