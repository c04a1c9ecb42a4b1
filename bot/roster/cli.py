"""`samverkan roster check [FILE]` and `samverkan roster show [--json]`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.domain.roster import FunctionRef, Roster
from bot.roster.loader import RosterError, default_roster_path, load_roster
from bot.texts import singular_plural


@dataclass(frozen=True)
class HolderRow:
    actor: str
    actor_name: str
    function: str
    function_name: str
    label: str
    person: str
    person_name: str
    matrix_id: str | None
    slack_email: str | None
    slack_id: str | None
    deputy_of: str | None  # the function ref this person stands in for; None: the holder


def roster_check(path: Path | None, out: TextIO, scenarios: Path | None = None) -> int:
    """Print `OK: …` with counts, or every problem as `file:line: key: message`; exit code.
    `path`: a roster file or folder (default the bundled one); `scenarios`: the region's
    playbook folder (default `scenarios/` in the roster folder)."""
    try:
        roster = load_roster(path or default_roster_path(), scenarios)
    except RosterError as exc:
        for problem in exc.problems:
            print(problem, file=out)
        return 1
    functions = sum(len(a.functions) for a in roster.actors)
    counts = ((len(roster.actors), "aktör", "aktörer"), (functions, "funktion", "funktioner"),
              (len(roster.people), "person", "personer"), (len(roster.forums), "forum", "forum"),
              (len(roster.scenarios), "scenario", "scenarier"))
    listed = ", ".join(f"{n} {singular_plural(n, one, many)}" for n, one, many in counts)
    print(f"OK: {roster.region.name}: {listed}", file=out)
    return 0


def roster_show(path: Path | None, as_json: bool, at: datetime, out: TextIO,
                scenarios: Path | None = None) -> int:
    """List who holds (and who deputises for) every function at `at` (timezone-aware)."""
    if at.tzinfo is None:
        raise ValueError("roster_show needs a timezone-aware time")
    try:
        roster = load_roster(path or default_roster_path(), scenarios)
    except RosterError as exc:
        for problem in exc.problems:
            print(problem, file=out)
        return 1
    rows = holder_rows(roster, at)
    if as_json:
        json.dump([asdict(r) for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        local = at.astimezone(ZoneInfo(roster.region.timezone))
        when = f"{local:%Y-%m-%d %H:%M} ({local.tzname()})"
        print(f"{roster.region.name}: funktionsinnehavare {when}", file=out)
        _print_table(rows, out)
    return 0


def holder_rows(roster: Roster, at: datetime) -> list[HolderRow]:
    """One row per function for its holder at `at`, then one for its deputy if any."""
    rows: list[HolderRow] = []
    for actor in roster.actors:
        for fn in actor.functions:
            ref = FunctionRef(fn.key, actor.key)
            rows.append(_row(roster, ref, fn.holder_at(at), None))
            deputy = fn.deputy_at(at)
            if deputy is not None:
                rows.append(_row(roster, ref, deputy, str(ref)))
    return rows


def _row(roster: Roster, ref: FunctionRef, person_key: str, deputy_of: str | None) -> HolderRow:
    actor, fn, person = roster.actor(ref.actor), roster.function(ref), roster.person(person_key)
    return HolderRow(
        actor=actor.key,
        actor_name=actor.name,
        function=fn.key,
        function_name=fn.name,
        label=roster.function_label(ref),
        person=person.key,
        person_name=person.name,
        matrix_id=person.matrix_id,
        slack_email=person.email,
        slack_id=person.slack_id,
        deputy_of=deputy_of,
    )


def _print_table(rows: list[HolderRow], out: TextIO) -> None:
    header = ("Funktion", "Roll", "Person", "Matrix", "Slack (e-post)")
    table = [
        (
            f"{r.function}@{r.actor}",
            "ersättare" if r.deputy_of else "innehavare",
            r.person_name,
            r.matrix_id or "-",
            r.slack_id or r.slack_email or "-",
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *table]) for i in range(len(header) - 1)]
    for line in [header, *table]:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        print("  ".join([*cells, line[-1]]).rstrip(), file=out)
