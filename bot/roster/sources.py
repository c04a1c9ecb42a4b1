"""A roster assembled from several files, every value remembering its file and line.

- A roster path may be one file or a folder: every `*.toml`, `*.yaml`, `*.yml` directly in
  the folder is read (in name order) and merged. The lists `people`, `actors`, `forums` and
  `scenarios` are concatenated; `region` may appear in one file only.
- `staffing` (a list of `{function = "tib@lansstyrelsen", holder/deputy/rotation = …}`) says
  who holds each function; it is folded into the actors' functions, so people and rotations
  can live apart from the actors' definitions.
- Playbooks are one scenario per file (`bot/scenarios/*.toml`, then the region's
  `scenarios/` folder or `SAMVERKAN_SCENARIOS`); the file name is the key unless `key` says
  otherwise. A region's playbook replaces a bundled one with the same key.

Problems found while assembling are kept as (source, local path, message) so the loader
reports them as `file:line: key: message` like every other roster problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bot.roster.checks import Loc
from bot.roster.locate import Lines

LIST_KEYS = ("people", "actors", "forums", "scenarios")
STAFFING = "staffing"
STAFF_FIELDS = ("holder", "deputy", "rotation")


@dataclass
class Source:
    """One parsed file: its name, its data and where each value sits in it (`lines`, found
    only when a problem is reported: scanning a TOML file for positions costs more than
    parsing it, and a roster without problems never needs them)."""

    file: str
    data: dict[str, Any]
    find_lines: Callable[[], Lines]

    @cached_property
    def lines(self) -> Lines:
        """Index path → 1-based line number in `file`."""
        return self.find_lines()


@dataclass
class Assembly:
    """The combined roster data and, for each combined path prefix, its file and local path."""

    data: dict[str, Any] = field(default_factory=dict)
    origins: dict[Loc, tuple[Source, Loc]] = field(default_factory=dict)
    issues: list[tuple[Source, Loc, str]] = field(default_factory=list)
    _staffing: list[tuple[Source, int, Any]] = field(default_factory=list)
    _top: dict[str, Source] = field(default_factory=dict)

    def where(self, loc: Loc) -> tuple[Source | None, Loc]:
        """The file holding `loc` (longest known prefix) and the path inside that file."""
        for end in range(len(loc), -1, -1):
            found = self.origins.get(loc[:end])
            if found is not None:
                return found[0], found[1] + loc[end:]
        return None, loc

    def add_file(self, src: Source) -> None:
        """Merge one roster file (see the module docstring)."""
        self.origins.setdefault((), (src, ()))
        for key, value in src.data.items():
            if key == STAFFING and isinstance(value, list):
                self._staffing += [(src, i, item) for i, item in enumerate(value)]
            elif key in LIST_KEYS and isinstance(value, list):
                into = self.data.setdefault(key, [])
                for i, item in enumerate(value):
                    self.origins[(key, len(into))] = (src, (key, i))
                    into.append(item)
            elif key in self._top:
                other = self._top[key].file
                self.issues.append((src, (key,), f"finns redan i {other}; ange den i en fil"))
            else:
                self._top[key] = src
                self.data[key] = value
                self.origins[(key,)] = (src, (key,))

    def fold_staffing(self) -> None:
        """Put each `staffing` entry's holder, deputy or rotation on its function."""
        functions = self._functions()
        seen: dict[str, tuple[Source, int]] = {}
        for src, i, item in self._staffing:
            here = (STAFFING, i)
            if not isinstance(item, dict):
                self.issues.append((src, here, "ska vara en tabell"))
                continue
            ref = item.get("function")
            for extra in sorted(set(item) - {"function", *STAFF_FIELDS}):
                self.issues.append((src, (*here, extra), "okänt fält"))
            if not isinstance(ref, str) or ref not in functions:
                self.issues.append((src, (*here, "function"),
                                    f"ingen aktör har funktionen {ref!r} (funktion@aktör)"))
                continue
            if ref in seen:
                first, n = seen[ref]
                self.issues.append((src, (*here, "function"),
                                    f"{ref} bemannas redan ({first.file}, staffing[{n}])"))
                continue
            seen[ref] = (src, i)
            path, fn = functions[ref]
            for name in STAFF_FIELDS:
                if name in item:
                    fn[name] = item[name]
                    self.origins[(*path, name)] = (src, (*here, name))

    def _functions(self) -> dict[str, tuple[Loc, dict[str, Any]]]:
        out: dict[str, tuple[Loc, dict[str, Any]]] = {}
        for a, actor in enumerate(self.data.get("actors", [])):
            if not isinstance(actor, dict):
                continue
            for f, fn in enumerate(actor.get("functions", []) or []):
                if isinstance(fn, dict):
                    out[f"{fn.get('key')}@{actor.get('key')}"] = (("actors", a, "functions", f), fn)
        return out

    def add_playbook(self, src: Source, *, replace: bool) -> str | None:
        """Add one playbook file (one scenario); `replace`: a same-key scenario is replaced
        (a region's own), else kept (a bundled one gives way). Returns the key taken."""
        playbook = dict(src.data)
        stem = src.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        playbook.setdefault("key", stem)
        scenarios = self.data.setdefault("scenarios", [])
        keys = [s.get("key") if isinstance(s, dict) else None for s in scenarios]
        key = playbook["key"]
        if key in keys:
            if not replace:
                return None
            n = keys.index(key)
            scenarios[n] = playbook
        else:
            n = len(scenarios)
            scenarios.append(playbook)
        for loc in [k for k in self.origins if k[:2] == ("scenarios", n)]:
            del self.origins[loc]
        self.origins[("scenarios", n)] = (src, ())
        return key if isinstance(key, str) else None

    def fits(self, playbook: dict[str, Any]) -> bool:
        """Whether a bundled playbook's forum and extra calls exist in this region."""
        forums = {f.get("key") for f in self.data.get("forums", []) if isinstance(f, dict)}
        functions = self._functions()
        actors = {a.get("key") for a in self.data.get("actors", []) if isinstance(a, dict)}
        calls = playbook.get("extra_calls", [])
        return playbook.get("forum") in forums and all(
            (c in functions) if "@" in c else (c in actors) for c in calls if isinstance(c, str))
