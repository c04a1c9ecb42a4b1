"""Reading actors and functions out of words: one (`vem`, `ordförande`, `:as`) or a list
(`kalla`), each written as a key, a name, an alias, `funktion@aktör` or `funktion aktör`.

A list is separated by spaces, commas or och/and/samt/&/+. Names have spaces too ("Polisen
Region Stockholm" is one actor, and also Polisen followed by Region Stockholm), so every way
of cutting the words into names is tried. Exactly one reading: that list. Several: the person
is asked (NotFound "name.ambiguous_list" listing the readings) — never a silent pick, never a
silently dropped name. Names match exactly first (ignoring case, accents, hyphens); only when
no exact reading exists may a single word stand for a unique prefix ("Trafikverk"), so a
prefix never swallows the next name (greedy prefixes read "Kustbevakningen Region Stockholm"
as Kustbevakningen's alias "Kustbevakningen region Ost" followed by Stockholm).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NoReturn

from bot.domain.errors import NotFound, ParseError
from bot.grammar.commands import Target
from bot.grammar.index import SUGGESTIONS, Index, ambiguous, function_key, not_found
from bot.grammar.words import fold

SEPARATOR_WORDS = frozenset({"och", "and", "samt", "&", "+"})
COMMA = ","
MAX_READINGS = 8  # per position: enough to tell one reading from several and to list them
MAX_LISTED = 4
_TOKENS = re.compile(r"[^\s,]+|,")

Reading = tuple[Target, ...]


_WRAPPING = "\"'“”„«»‘’`*_"  # quotes and emphasis around a pasted or chat-written name


def tokens_of(text: str) -> tuple[list[str], list[str]]:
    """Words of `text` as written and folded (`fold`), every comma a word of its own
    ("A,B" → A , B); words that fold to nothing (a lone "-") are left out. Quotes and
    Markdown emphasis around a word and a leading `@` (a chat mention typed by hand) are
    not part of the name: `"Polisen"`, `@Polisen`, `**Polisen**`."""
    raw, folded = [], []
    for word in _TOKENS.findall(text):
        key = fold(word.strip(_WRAPPING).removeprefix("@"))
        if key:
            raw.append(word)
            folded.append(key)
    return raw, folded


def _ref(ref: str) -> Target:
    function, _, actor = ref.partition("@")
    return Target(actor, function)


def _is_separator(folded: str) -> bool:
    return folded == COMMA or folded in SEPARATOR_WORDS


class TargetReader:
    """Reads targets with the name indexes of one roster (see `bot.grammar.names.Names`):
    actors, functions keyed "function@actor", and each actor's own functions."""

    def __init__(self, actors: Index, functions: Index,
                 actor_functions: dict[str, Index]) -> None:
        self.actors = actors
        self.functions = functions
        self.actor_functions = actor_functions
        self.max_run = actors.max_words + functions.max_words

    # -- the public readings -------------------------------------------------------------
    def one(self, text: str) -> Target:
        """The one target `text` names; NotFound ("name.ambiguous", "name.unknown_target",
        "name.unknown_actor", "name.unknown_function"), or ParseError "parse.missing_target"
        or "parse.unexpected_text" (a name followed by more words)."""
        raw, tokens = tokens_of(text)
        if not tokens:
            raise ParseError("parse.missing_target")
        if COMMA not in tokens:
            hits = self.segment(tokens, exact=False) or self._whole_prefix(tokens)
            if len(hits) == 1:
                return next(iter(hits))
            if hits:
                raise ambiguous(text, (self.label(t) for t in hits))
        for k in range(min(len(tokens) - 1, self.max_run), 0, -1):
            if len(self.segment(tokens[:k], exact=False)) == 1:  # a name, then more words
                raise ParseError("parse.unexpected_text", value=" ".join(raw[k:]))
        self.fail(raw, tokens)

    def many(self, text: str) -> Reading:
        """Every target of a list, in the order written, without repeats. Where commas or
        och/and separate every name of a reading, spaces count as part of the names.

        NotFound "name.ambiguous_list" (params `readings` text, `choices` one label per
        reading, `options` the readings as targets) when the words can be
        read as different lists; the errors of `one` for a name that cannot be read.
        """
        raw, tokens = tokens_of(text)
        for exact in (True, False):
            read = self.readings(tokens, exact=exact)
            found = [r for r in read if r]
            # Commas or och/and between every name: spaces are then inside names.
            separated = [r for r in found if len(r) > 1 and read[r] == 0]
            found = separated or found
            if len(found) == 1:
                return found[0]
            if found:
                raise self._ask(text, found)
        if all(_is_separator(w) for w in tokens):
            raise ParseError("parse.missing_target")
        self.fail(raw, tokens)

    # -- the machinery -------------------------------------------------------------------
    def readings(self, tokens: Sequence[str], *, exact: bool) -> dict[Reading, int]:
        """Distinct lists the folded words can be cut into (at most MAX_READINGS per position), each
        name unique, with how many of the cuts are mere spaces (not a comma or och/and)."""
        n = len(tokens)
        memo: list[dict[Reading, int]] = [{} for _ in range(n + 1)]
        memo[n] = {(): 0}
        for i in range(n - 1, -1, -1):
            found: dict[Reading, int] = {}
            if _is_separator(tokens[i]):
                found.update(memo[i + 1])
            for j in range(i + 1, min(n, i + self.max_run) + 1):
                if tokens[j - 1] == COMMA:
                    break
                if not memo[j]:
                    continue
                hits = self.segment(tokens[i:j], exact=exact)
                if len(hits) != 1:
                    continue
                hit = next(iter(hits))
                space = 0 if j == n or _is_separator(tokens[j]) else 1
                for rest, spaces in memo[j].items():
                    reading = (hit, *(t for t in rest if t != hit))
                    found[reading] = min(found.get(reading, spaces + space), spaces + space)
            memo[i] = dict(list(found.items())[:MAX_READINGS])
        return memo[0]

    def segment(self, tokens: Sequence[str], *, exact: bool) -> set[Target]:
        """Every target the whole run of folded words names: exactly, else (unless `exact`) with a
        prefix standing for one word (the run's only word, or the actor after a function)."""
        found = self._segment(tokens, exact_only=True)
        if found or exact:
            return found
        return self._segment(tokens, exact_only=False)

    def _segment(self, tokens: Sequence[str], *, exact_only: bool) -> set[Target]:
        at = [k for k, word in enumerate(tokens) if "@" in word]
        if at:
            return self._at_form(tokens, at, exact_only=exact_only)
        found: set[Target] = set()
        if exact_only or len(tokens) == 1:
            whole = " ".join(tokens)
            found.update(Target(a) for a in self.actors.find(whole, exact_only=exact_only))
            found.update(_ref(r) for r in self.functions.find(whole, exact_only=exact_only))
        for n in range(1, min(len(tokens), self.functions.max_words + 1)):
            if not exact_only and len(tokens) - n != 1:
                continue  # a prefix stands for one word only
            refs = self.functions.exact.get(" ".join(tokens[:n]))
            if refs:
                actors = self.actors.find(" ".join(tokens[n:]), exact_only=exact_only)
                found.update(_ref(r) for r in refs if r.partition("@")[2] in actors)
        return found

    def _at_form(self, tokens: Sequence[str], at: list[int],
                 *, exact_only: bool) -> set[Target]:
        """`funktion@aktör`; the function's words may come before the `@`, the actor's after."""
        if len(at) != 1:
            return set()
        fn_words, actor_words = _split_at(tokens, at[0])
        if not fn_words or not actor_words:
            return set()
        found: set[Target] = set()
        actor_exact = exact_only or len(actor_words) > 1
        for actor in self.actors.find(" ".join(actor_words), exact_only=actor_exact):
            index = self.actor_functions[actor]
            fn_exact = exact_only or len(fn_words) > 1
            found.update(Target(actor, fn)
                         for fn in index.find(" ".join(fn_words), exact_only=fn_exact))
        return found

    def _whole_prefix(self, tokens: Sequence[str]) -> set[Target]:
        """One name written as the start of a longer one ("Länsstyrelsen i Sto")."""
        if any("@" in word for word in tokens):
            return set()
        whole = " ".join(tokens)
        return ({Target(a) for a in self.actors.find(whole)}
                | {_ref(r) for r in self.functions.find(whole)})

    def label(self, target: Target) -> str:
        if target.function is None:
            return self.actors.labels[target.actor]
        return self.functions.labels[f"{target.function}@{target.actor}"]

    # -- errors --------------------------------------------------------------------------
    def _ask(self, text: str, found: list[Reading]) -> NotFound:
        shown = [" + ".join(self.label(t) for t in reading) for reading in found]
        listed = " | ".join(shown[:MAX_LISTED]) + (" | …" if len(shown) > MAX_LISTED else "")
        return NotFound("name.ambiguous_list", name=text, readings=listed, choices=shown,
                        options=found)

    def fail(self, raw: Sequence[str], tokens: Sequence[str]) -> NoReturn:
        """Raise the error for the first words (`raw` as written, `tokens` folded) that no
        reading gets past."""
        start = self._reach(tokens)
        end = next((k for k in range(start + 1, len(tokens)) if _is_separator(tokens[k])),
                   len(tokens))
        run = list(raw[start:end]) or list(raw)
        folded = list(tokens[start:end]) or list(tokens)
        at = [k for k, word in enumerate(run) if "@" in word]
        if at:
            self._fail_at(run, at[0])
        for j in range(min(len(run), self.max_run), 0, -1):
            hits = self.segment(folded[:j], exact=False)
            if len(hits) > 1:
                raise ambiguous(" ".join(run[:j]), (self.label(t) for t in hits))
        raise self.unknown(" ".join(run))

    def _reach(self, tokens: Sequence[str]) -> int:
        """The furthest position that unique names and separators lead to from the start."""
        reached = {0}
        for i in range(len(tokens)):
            if i not in reached:
                continue
            if _is_separator(tokens[i]):
                reached.add(i + 1)
            for j in range(i + 1, min(len(tokens), i + self.max_run) + 1):
                if tokens[j - 1] == COMMA:
                    break
                if len(self.segment(tokens[i:j], exact=False)) == 1:
                    reached.add(j)
        return max(p for p in reached if p < len(tokens)) if len(tokens) else 0

    def _fail_at(self, run: Sequence[str], k: int) -> NoReturn:
        fn_words, actor_words = _split_at(run, k)
        if not fn_words or not actor_words:
            raise self.unknown(" ".join(run))
        for m in range(len(actor_words), 0, -1):
            hits = self.actors.find(fold(" ".join(actor_words[:m])))
            if len(hits) > 1:
                raise ambiguous(" ".join(actor_words[:m]), (self.actors.labels[a] for a in hits))
            if hits:
                actor = next(iter(hits))
                function_key(self.actor_functions[actor], " ".join(fn_words), actor,
                             self.actors.labels[actor])  # raises if it is not a function
                raise self.unknown(" ".join(run))
        raise not_found("name.unknown_actor", actor_words[0],
                        self.actors.suggest(actor_words[0]))

    def unknown(self, text: str) -> NotFound:
        """NotFound "name.unknown_target" with the closest actors and functions."""
        actor_text = text.partition("@")[2] or text
        first = self.actors.suggest(actor_text)
        return not_found("name.unknown_target", text,
                         [*first[:2], *self.functions.suggest(text)][:SUGGESTIONS])


def _split_at(tokens: Sequence[str], k: int) -> tuple[list[str], list[str]]:
    """The function's words (up to the `@`) and the actor's words (from it on)."""
    fn_part, _, actor_part = tokens[k].partition("@")
    fn_words = [w for w in [*tokens[:k], fn_part] if w]
    actor_words = [w for w in [actor_part, *tokens[k + 1:]] if w]
    return fn_words, actor_words

