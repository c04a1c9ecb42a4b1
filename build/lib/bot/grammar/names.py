"""Resolving what people call forums, actors, functions and scenarios to roster keys.

A name matches ignoring case, accents, hyphens and spaces, by key, full name, short name or
alias, else by a unique prefix. The indexes are built once per roster: parsing is on the hot
path of every message, while fuzzy suggestions (rapidfuzz) are computed only for errors.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.domain.errors import NotFound
from bot.domain.roster import Roster
from bot.grammar.commands import Target
from bot.grammar.words import fold

MIN_PREFIX = 2
SUGGESTIONS = 3
MAX_SHOWN = 6


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
        """Up to three labels closest to `text`, best first."""
        names = list(self.exact)
        best = process.extract(fold(text), names, scorer=fuzz.WRatio, limit=SUGGESTIONS * 4)
        out: list[str] = []
        for name, _score, _i in best:
            for key in sorted(self.exact[name]):
                if self.labels[key] not in out:
                    out.append(self.labels[key])
        return out[:SUGGESTIONS]


def _not_found(code: str, name: str, suggestions: Sequence[str]) -> NotFound:
    return NotFound(code, name=name, suggestions=", ".join(suggestions), choices=list(suggestions))


def _ambiguous(name: str, labels: Iterable[str]) -> NotFound:
    """`choices` holds every candidate; `suggestions` the first few (30 TiBs help no one)."""
    choices = sorted(set(labels))
    shown = ", ".join(choices[:MAX_SHOWN]) + (", …" if len(choices) > MAX_SHOWN else "")
    return NotFound("name.ambiguous", name=name, suggestions=shown, choices=choices)


class Names:
    """The name indexes of one roster."""

    def __init__(self, roster: Roster) -> None:
        self.roster = roster
        self.forums = Index("forum")
        self.actors = Index("actor")
        self.scenarios = Index("scenario")
        self.functions = Index("function")  # keys: "function@actor"
        self.actor_functions: dict[str, Index] = {}
        for forum in roster.forums:
            self.forums.add(forum.key, forum.name, forum.aliases)
        for sc in roster.scenarios:
            self.scenarios.add(sc.key, sc.name, sc.aliases)
        for actor in roster.actors:
            names = [actor.name, *actor.aliases, *([actor.short] if actor.short else [])]
            self.actors.add(actor.key, actor.display, names)
            own = Index("function")
            for fn in actor.functions:
                label = fn.aliases[0] if fn.aliases else fn.key
                own.add(fn.key, label, [fn.name, *fn.aliases])
                self.functions.add(f"{fn.key}@{actor.key}", f"{label}@{actor.key}",
                                   [fn.name, *fn.aliases, fn.key])
            self.actor_functions[actor.key] = own.freeze()
        for index in (self.forums, self.actors, self.scenarios, self.functions):
            index.freeze()
        self._kinds = {"forum": self.forums, "actor": self.actors, "scenario": self.scenarios}

    # -- whole names -------------------------------------------------------------------
    def forum(self, text: str) -> str:
        return self._one(self.forums, text, "name.unknown_forum")

    def actor(self, text: str) -> str:
        return self._one(self.actors, text, "name.unknown_actor")

    def scenario(self, text: str, *, exact_only: bool = False) -> str:
        return self._one(self.scenarios, text, "name.unknown_scenario", exact_only=exact_only)

    def function(self, text: str, actor: str) -> str:
        """The key of `actor`'s function called `text`."""
        index = self.actor_functions[actor]
        hits = index.find(fold(text))
        if len(hits) == 1:
            return hits.pop()
        if hits:
            raise _ambiguous(text, (f"{index.labels[k]}@{actor}" for k in hits))
        suggestions = index.suggest(text)
        raise NotFound("name.unknown_function", name=text, actor=self.actors.labels[actor],
                       suggestions=", ".join(suggestions), choices=suggestions)

    def target(self, text: str) -> Target:
        """An actor, `funktion@aktör`, `funktion aktör`, or a function unique across actors."""
        tokens = text.split()
        taken = self.take_target(tokens) if tokens else None
        if taken is None or taken[1] != len(tokens):
            raise self.unknown_target(text)
        return taken[0]

    def unknown(self, kind: str, text: str) -> NotFound:
        """NotFound "name.unknown_<kind>" (forum, actor, scenario) with suggestions."""
        return _not_found(f"name.unknown_{kind}", text, self._kinds[kind].suggest(text))

    def unknown_target(self, text: str) -> NotFound:
        return _not_found("name.unknown_target", text, self._suggest_targets(text))

    def _one(self, index: Index, text: str, code: str, *, exact_only: bool = False) -> str:
        hits = index.find(fold(text), exact_only=exact_only)
        if len(hits) == 1:
            return hits.pop()
        if hits:
            raise _ambiguous(text, (index.labels[k] for k in hits))
        raise _not_found(code, text, index.suggest(text))  # code: name.unknown_<kind>

    # -- leading runs of tokens (greedy: the longest run that names one thing) -----------
    def take(self, kind: str, tokens: Sequence[str], *,
             exact_only: bool = False) -> tuple[str, int] | None:
        """The key named by the longest leading run of `tokens`, and the run's length.

        `kind` is "forum", "actor" or "scenario". None if no run names anything; NotFound
        "name.ambiguous" if the longest run that names something names several.
        """
        index = self._kinds[kind]
        found = _longest(index, tokens, exact_only)
        if found is None:
            return None
        keys, n = found
        if len(keys) > 1:
            raise _ambiguous(" ".join(tokens[:n]), (index.labels[k] for k in keys))
        return next(iter(keys)), n

    def take_target(self, tokens: Sequence[str]) -> tuple[Target, int] | None:
        """The target named by the longest leading run of `tokens` (see `target`)."""
        if not tokens:
            return None
        if "@" in tokens[0]:
            return self._take_at(tokens)
        return self._take_function_actor(tokens) or self._take_actor_or_function(tokens)

    def _take_at(self, tokens: Sequence[str]) -> tuple[Target, int]:
        fn_text, _, actor_text = tokens[0].partition("@")
        rest = [actor_text, *tokens[1:]] if actor_text else list(tokens[1:])
        if not fn_text or not rest:
            raise self.unknown_target(tokens[0])
        taken = self.take("actor", rest)
        if taken is None:
            raise self.unknown("actor", rest[0])
        actor, n = taken
        # "fn@actor words": the first token holds the actor's first word, so it counts once
        return Target(actor, self.function(fn_text, actor)), n + (0 if actor_text else 1)

    def _take_function_actor(self, tokens: Sequence[str]) -> tuple[Target, int] | None:
        """"TiB Länsstyrelsen": a function name (exact) followed by the actor that has it."""
        for n in range(min(len(tokens) - 1, self.functions.max_words), 0, -1):
            refs = self.functions.exact.get(fold(" ".join(tokens[:n])))
            if not refs:
                continue
            taken = _longest(self.actors, tokens[n:], exact_only=False)
            if taken is None:
                return None
            actors, m = taken
            matches = [r for r in refs if r.partition("@")[2] in actors]
            if len(matches) == 1:
                fn, _, actor = matches[0].partition("@")
                return Target(actor, fn), n + m
            return None
        return None

    def _take_actor_or_function(self, tokens: Sequence[str]) -> tuple[Target, int] | None:
        longest = max(self.actors.max_words, self.functions.max_words)
        ambiguous: tuple[str, list[str]] | None = None
        for n in range(min(len(tokens), longest), 0, -1):
            q = fold(" ".join(tokens[:n]))
            for exact_only in (True, False):
                actors = self.actors.find(q, exact_only=exact_only)
                refs = self.functions.find(q, exact_only=exact_only)
                if len(actors) == 1 and (exact_only or not refs):
                    return Target(actors.pop()), n
                if not actors and len(refs) == 1:
                    fn, _, actor = refs.pop().partition("@")
                    return Target(actor, fn), n
                if (actors or refs) and ambiguous is None:
                    labels = [self.actors.labels[a] for a in actors]
                    labels += [self.functions.labels[r] for r in refs]
                    ambiguous = (" ".join(tokens[:n]), labels)
        if ambiguous is not None:
            raise _ambiguous(*ambiguous)
        return None

    def _suggest_targets(self, text: str) -> list[str]:
        actor_text = text.partition("@")[2] or text
        first = self.actors.suggest(actor_text)
        return [*first[:2], *self.functions.suggest(text)][:SUGGESTIONS]


def _longest(index: Index, tokens: Sequence[str], exact_only: bool) -> tuple[set[str], int] | None:
    """The longest run naming exactly one key, else the longest run naming several."""
    ambiguous: tuple[set[str], int] | None = None
    for n in range(min(len(tokens), index.max_words), 0, -1):
        hits = index.find(fold(" ".join(tokens[:n])), exact_only=exact_only)
        if len(hits) == 1:
            return hits, n
        if hits and ambiguous is None:
            ambiguous = (hits, n)
    return ambiguous


_CACHE: dict[int, tuple[Roster, Names]] = {}


def names_for(roster: Roster | Names) -> Names:
    """The (cached) `Names` of a roster; a roster is immutable, so one build per roster."""
    if isinstance(roster, Names):
        return roster
    entry = _CACHE.get(id(roster))
    if entry is not None and entry[0] is roster:
        return entry[1]
    if len(_CACHE) >= 8:
        _CACHE.pop(next(iter(_CACHE)))
    names = Names(roster)
    _CACHE[id(roster)] = (roster, names)
    return names
