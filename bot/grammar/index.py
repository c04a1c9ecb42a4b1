"""A folded-name index of one kind of roster thing, and the errors a lookup raises.

A name matches ignoring case, accents, hyphens and spaces, by key, full name, short name or
alias, else by a unique prefix. Fuzzy suggestions (rapidfuzz) are computed only for errors.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.domain.collation import swedish_key
from bot.domain.errors import NotFound
from bot.grammar.words import fold

MIN_PREFIX = 2
SUGGESTIONS = 3
MAX_SHOWN = 6
SUGGEST_SPAN = 2  # × the longest name: how much of a text `suggest` compares


@dataclass
class Index:
    """Folded names -> keys of one kind, with unique-prefix lookup and suggestions."""

    kind: str
    exact: dict[str, set[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    _sorted: list[tuple[str, str]] = field(default_factory=list)
    max_words: int = 1

    def add(self, key: str, label: str, names: Iterable[str]) -> None:
        self.labels[key] = label
        for name in {key, label, *names}:
            folded = fold(name)
            for variant in {folded, folded.replace(" ", "")}:
                if variant:
                    self.exact.setdefault(variant, set()).add(key)
                    self.max_words = max(self.max_words, variant.count(" ") + 1)

    def freeze(self) -> Index:
        self._sorted = sorted((name, key) for name, keys in self.exact.items() for key in keys)
        return self

    def find(self, folded: str, *, exact_only: bool = False) -> set[str]:
        """Exact matches if any, else (unless `exact_only`) the keys of names it prefixes."""
        hits = self.exact.get(folded)
        if hits or exact_only or len(folded) < MIN_PREFIX:
            return set(hits or ())
        found: set[str] = set()
        i = bisect_left(self._sorted, (folded, ""))
        while i < len(self._sorted) and self._sorted[i][0].startswith(folded):
            found.add(self._sorted[i][1])
            i += 1
        return found

    def suggest(self, text: str) -> list[str]:
        """Up to three labels closest to `text`, best first. Only the first
        SUGGEST_SPAN × (the longest name) characters are compared: no name is near a longer
        text, and a 100 kB one cost ~0.7 s of CPU per error (found by the fuzz test)."""
        names = list(self.exact)
        longest = max(map(len, names), default=0)
        best = process.extract(fold(text)[:SUGGEST_SPAN * longest], names, scorer=fuzz.WRatio,
                               limit=SUGGESTIONS * 4)
        out: list[str] = []
        for name, _score, _i in best:
            for key in sorted(self.exact[name]):
                if self.labels[key] not in out:
                    out.append(self.labels[key])
        return out[:SUGGESTIONS]


def not_found(code: str, name: str, suggestions: Sequence[str]) -> NotFound:
    """NotFound `code` ("name.unknown_<kind>") with "menade du" suggestions."""
    return NotFound(code, name=name, suggestions=", ".join(suggestions), choices=list(suggestions))


def ambiguous(name: str, labels: Iterable[str]) -> NotFound:
    """NotFound "name.ambiguous": `choices` holds every candidate; `suggestions` the first
    few (30 TiBs help no one)."""
    choices = sorted(set(labels), key=swedish_key)
    shown = ", ".join(choices[:MAX_SHOWN]) + (", …" if len(choices) > MAX_SHOWN else "")
    return NotFound("name.ambiguous", name=name, suggestions=shown, choices=choices)


def function_key(own: Index, text: str, actor: str, actor_label: str) -> str:
    """The key of the function called `text` among `own` (one actor's functions); NotFound
    "name.ambiguous" or "name.unknown_function" (with suggestions) otherwise."""
    hits = own.find(fold(text))
    if len(hits) == 1:
        return hits.pop()
    if hits:
        raise ambiguous(text, (f"{own.labels[k]}@{actor}" for k in hits))
    suggestions = own.suggest(text)
    raise NotFound("name.unknown_function", name=text, actor=actor_label,
                   suggestions=", ".join(suggestions), choices=suggestions)
