"""Resolving what people call forums, actors, functions and scenarios to roster keys.

A name matches ignoring case, accents, hyphens and spaces, by key, full name, short name or
alias, else by a unique prefix. The indexes are built once per roster: parsing is on the hot
path of every message, while fuzzy suggestions (rapidfuzz) are computed only for errors.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.errors import NotFound
from bot.domain.roster import Roster
from bot.grammar.commands import Target
from bot.grammar.index import Index, ambiguous, function_key, not_found
from bot.grammar.targets import TargetReader
from bot.grammar.words import fold


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
        self.reader = TargetReader(self.actors, self.functions, self.actor_functions)
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
        return function_key(self.actor_functions[actor], text, actor, self.actors.labels[actor])

    def target(self, text: str) -> Target:
        """One actor, `funktion@aktör`, `funktion aktör`, or a function unique across
        actors (see `bot.grammar.targets`)."""
        return self.reader.one(text)

    def targets(self, text: str) -> tuple[Target, ...]:
        """A list of targets; asks (NotFound "name.ambiguous_list") when it reads two ways."""
        return self.reader.many(text)

    def unknown(self, kind: str, text: str) -> NotFound:
        """NotFound "name.unknown_<kind>" (forum, actor, scenario) with suggestions."""
        return not_found(f"name.unknown_{kind}", text, self._kinds[kind].suggest(text))

    def _one(self, index: Index, text: str, code: str, *, exact_only: bool = False) -> str:
        hits = index.find(fold(text), exact_only=exact_only)
        if len(hits) == 1:
            return hits.pop()
        if hits:
            raise ambiguous(text, (index.labels[k] for k in hits))
        raise not_found(code, text, index.suggest(text))  # code: name.unknown_<kind>

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
            raise ambiguous(" ".join(tokens[:n]), (index.labels[k] for k in keys))
        return next(iter(keys)), n


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
