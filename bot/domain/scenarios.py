"""Playbooks at work: the checklist's state and filling in a message template.

The playbook itself (`Scenario`, `MessageTemplate`) is roster data, see `bot.domain.roster`;
the files live in `bot/scenarios/` and a region's own config folder.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable, Mapping

from bot.domain.record import EntryKind, TimelineEntry
from bot.domain.roster import MessageTemplate, Scenario


def ticked(entries: Iterable[TimelineEntry], activation_id: str) -> dict[int, TimelineEntry]:
    """Checklist items (1-based) ticked in `activation_id`, each with the entry that did it."""
    done: dict[int, TimelineEntry] = {}
    for entry in entries:
        if entry.kind is EntryKind.CHECKLIST and entry.activation_id == activation_id:
            item = entry.data.get("item")
            if isinstance(item, int) and item not in done:
                done[item] = entry
    return done


def find_template(scenario: Scenario, name: str) -> MessageTemplate | None:
    """The template whose key or name is `name`, or that it uniquely starts (case, accents
    and spaces versus hyphens ignored)."""
    wanted = _plain(name)
    exact = [t for t in scenario.templates if wanted in (_plain(t.key), _plain(t.name))]
    if exact:
        return exact[0]
    starts = [t for t in scenario.templates
              if _plain(t.key).startswith(wanted) or _plain(t.name).startswith(wanted)]
    return starts[0] if len(starts) == 1 else None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "-")


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: MessageTemplate, values: Mapping[str, str]) -> str:
    """The template's text with the known placeholders filled in; others are kept as is."""
    try:
        names = {f for _l, f, _s, _c in string.Formatter().parse(template.text) if f}
        if any(not n.isidentifier() for n in names):
            return template.text
        return template.text.format_map(_Keep(values))
    except (ValueError, IndexError):
        return template.text
