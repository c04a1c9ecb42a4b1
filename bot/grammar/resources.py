"""`resurs …`: needs, offers, matches, state changes and priorities, as people type them.

    resurs behov <vad> [antal] [i <plats>] [för <ändamål>] [senast <när>]
    resurs erbjud <vad> [antal] [i <plats>] [för <ändamål>] [tillgänglig <när>]
    resurs matcha <behov> <erbjudande>
    resurs levererad|avböj|återkalla <nr>
    resurs prioritera <vad> till <vem/vad> [ordning <n>]

A quantity is a count and a resource word, in either order, with an optional specification
("3 bandvagnar", "reservkraft 2 st", "2 reservkraftverk 100 kVA"). Unknown resource words are
accepted as text; completing them to a playbook's words is the handler's job
(`complete_resource`), since only it knows the activation's scenario.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.errors import ParseError
from bot.domain.resources import ResourceKind, ResourceState
from bot.grammar import commands as c
from bot.grammar.commands import Lang
from bot.grammar.times import parse_when
from bot.grammar.words import fold, is_number

COUNT_MAX = 100_000
MIN_COMPLETION = 3
_SIGNED = re.compile(r"^[-−–+]\d+$")  # -2, −2 (minus sign), –2, +2

SUBCOMMANDS: dict[str, str] = {
    **dict.fromkeys(("behov", "behover", "need", "needs"), "behov"),
    **dict.fromkeys(("erbjud", "erbjuder", "erbjudande", "offer", "offers"), "erbjud"),
    **dict.fromkeys(("matcha", "match"), "matcha"),
    **dict.fromkeys(("levererad", "levererat", "leverera", "delivered", "deliver"), "levererad"),
    **dict.fromkeys(("avboj", "avbojd", "decline", "declined"), "avböj"),
    **dict.fromkeys(("aterkalla", "aterkallad", "withdraw", "withdrawn"), "återkalla"),
    **dict.fromkeys(("prioritera", "prioritize", "prioritise"), "prioritera"),
}
_CHANGES = {"levererad": ResourceState.DELIVERED, "avböj": ResourceState.DECLINED,
            "återkalla": ResourceState.WITHDRAWN}
_PLACE = frozenset({"i", "vid", "pa", "in", "at"})
_PURPOSE = frozenset({"for", "till", "to"})
_DUE = {ResourceKind.NEED: frozenset({"senast", "fore", "by", "before"}),
        ResourceKind.OFFER: frozenset({"tillganglig", "tillgangliga", "tillgangligt", "fran",
                                       "available", "from"})}
_UNITS = frozenset({"kva", "kw", "mw", "kwh", "v", "l", "liter", "m3", "ton", "kg", "km", "m",
                    "h", "tim", "timmar", "hours", "dygn", "days", "personer", "%"})
_PIECES = frozenset({"st", "styck", "pcs"})
_RANK = frozenset({"ordning", "order", "prio", "prioritet", "rank"})
_PAIR_NOISE = frozenset({"med", "och", "mot", "till", "with", "and", "to", "behov", "need",
                         "erbjudande", "offer", "nr", "no"})


def subcommand_names(lang: Lang) -> str:
    """The `resurs` subcommands as shown in errors, in `lang`."""
    if lang == "en":
        return "need, offer, match, delivered, decline, withdraw, prioritise"
    return "behov, erbjud, matcha, levererad, avböj, återkalla, prioritera"


def parse_resource(tokens: Sequence[str], lang: Lang, *, now: datetime,
                   tz: ZoneInfo) -> c.Body:
    """The body of a `resurs` line (tokens after the command word). Errors: ParseError
    `parse.resource_subcommand`, `parse.unknown_subcommand`, `parse.missing_resource`,
    `parse.bad_number`, `parse.resource_pair`, `parse.missing_priority_target`, and the
    time errors of `parse_when`."""
    if not tokens:
        raise ParseError("parse.resource_subcommand", subcommands=subcommand_names(lang))
    sub = SUBCOMMANDS.get(fold(tokens[0]))
    args = list(tokens[1:])
    if sub == "behov":
        return _entry(ResourceKind.NEED, args, now, tz)
    if sub == "erbjud":
        return _entry(ResourceKind.OFFER, args, now, tz)
    if sub == "matcha":
        first, second = _pair(args)
        return c.ResourceMatch(first, second)
    if sub == "prioritera":
        return _prioritise(args)
    if sub in _CHANGES:
        numbers = _numbers(args)
        if len(numbers) != 1 or len(args) != 1:
            raise ParseError("parse.resource_number", value=" ".join(args) or "–")
        return c.ResourceChange(_CHANGES[sub], numbers[0])
    raise ParseError("parse.unknown_subcommand", value=tokens[0],
                     subcommands=subcommand_names(lang))


def _entry(kind: ResourceKind, args: list[str], now: datetime, tz: ZoneInfo) -> c.ResourceEntry:
    due = None
    cut = _first(args, _DUE[kind])
    if cut is not None:
        when = " ".join(args[cut + 1:])
        if not when:
            raise ParseError("parse.resource_missing_time", word=args[cut])
        due = parse_when(when, now, tz)
        args = args[:cut]
    clauses: dict[str, tuple[str, str]] = {}  # place/purpose -> (its word, its text)
    while (cut := _last(args, _PLACE | _PURPOSE)) is not None:
        key = "place" if fold(args[cut]) in _PLACE else "purpose"
        text = " ".join(args[cut + 1:])
        if key in clauses:  # "för transport till sjukhus": one purpose
            text = f"{text} {clauses[key][0]} {clauses[key][1]}".strip()
        if text:
            clauses[key] = (args[cut], text)
        args = args[:cut]
    count, what, spec = _quantity(args)
    place, purpose = clauses.get("place"), clauses.get("purpose")
    return c.ResourceEntry(kind, what, count, spec, place[1] if place else None,
                           purpose[1] if purpose else None, due)


def _first(args: Sequence[str], words: frozenset[str]) -> int | None:
    return next((i for i in range(1, len(args)) if fold(args[i]) in words), None)


def _last(args: Sequence[str], words: frozenset[str]) -> int | None:
    return next((i for i in range(len(args) - 1, 0, -1) if fold(args[i]) in words), None)


def _is_count(args: Sequence[str], i: int) -> bool:
    unit_follows = i + 1 < len(args) and fold(args[i + 1]) in _UNITS
    return is_number(args[i]) and not unit_follows


def _count(token: str) -> int:
    if not 1 <= int(token) <= COUNT_MAX:
        raise ParseError("parse.bad_number", value=token, min=1, max=COUNT_MAX)
    return int(token)


def _quantity(args: list[str]) -> tuple[int | None, str, str | None]:
    """(count, what, spec) of '3 bandvagnar', 'reservkraft 2 st', '2 reservkraftverk 100 kVA'.
    Refused: a signed count ('-2 bandvagnar': `parse.bad_number`, like 0) and two counts
    ('2 2 bandvagnar', 'bandvagnar 2 3': `parse.resource_two_counts`); a number in the
    specification has its unit after it ('100 kVA')."""
    signed = next((a for a in args if _SIGNED.match(a)), None)
    if signed is not None:
        raise ParseError("parse.bad_number", value=signed, min=1, max=COUNT_MAX)
    count, what, spec = _split_quantity(args)
    second = next((a for a in what if is_number(a)), None)
    second = second or next((a for i, a in enumerate(spec) if _lone_number(spec, i)), None)
    if count is not None and second is not None:
        raise ParseError("parse.resource_two_counts", first=count, second=second)
    if not what:
        raise ParseError("parse.missing_resource")
    return count, " ".join(what), " ".join(spec) or None


def _lone_number(tokens: Sequence[str], i: int) -> bool:
    """A number without a unit after it: last, or before 'st' or another number."""
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    return is_number(tokens[i]) and (after is None or is_number(after) or fold(after) in _PIECES)


def _split_quantity(args: list[str]) -> tuple[int | None, list[str], list[str]]:
    count = None
    if args and _is_count(args, 0):
        count, args = _count(args[0]), args[1:]
        args = args[1:] if args and fold(args[0]) in _PIECES else args  # "2 st reservkraftverk"
        spec_at = next((i for i, a in enumerate(args) if i and is_number(a[:1])), len(args))
        what, spec = args[:spec_at], args[spec_at:]
    else:  # the count later: 'bandvagnar 3 st', 'reservkraftverk 100 kVA 3'
        at = next((i for i in range(1, len(args)) if _is_count(args, i)), None)
        if at is not None:
            count = _count(args[at])
            args = args[:at] + [a for a in args[at + 1:] if fold(a) not in _PIECES]
        spec_at = next((i for i, a in enumerate(args) if i and is_number(a[:1])), len(args))
        what, spec = args[:spec_at], args[spec_at:]
    return count, what, spec


def _numbers(args: Sequence[str]) -> list[int]:
    found = []
    for token in args:
        bare = token.lstrip("#").rstrip(",.")
        if is_number(bare):
            found.append(_count(bare))
        elif fold(token) not in _PAIR_NOISE:
            raise ParseError("parse.resource_number", value=token)
    return found


def _pair(args: list[str]) -> tuple[int, int]:
    numbers = _numbers(args)
    if len(numbers) != 2:
        raise ParseError("parse.resource_pair", value=" ".join(args) or "–")
    return numbers[0], numbers[1]


def _prioritise(args: list[str]) -> c.ResourcePrioritise:
    cut = _first(args, _PURPOSE)
    if not args:
        raise ParseError("parse.missing_resource")
    if cut is None or cut == len(args) - 1:
        raise ParseError("parse.missing_priority_target")
    what, to = args[:cut], args[cut + 1:]
    rank = None
    if len(to) >= 3 and fold(to[-2]) in _RANK and is_number(to[-1]):
        rank, to = _count(to[-1]), to[:-2]
    return c.ResourcePrioritise(" ".join(what), " ".join(to), rank)


def complete_resource(what: str, known: Sequence[str], count: int | None = None) -> str:
    """`what` as the playbook names it: an exact match (ignoring case and accents) or the one
    word it is a prefix of (at least three letters: 'band' → 'bandvagnar'); otherwise `what`
    unchanged — unknown resource words are accepted as text. With `count` 1 a prefix is not
    completed: the playbooks name resources in the plural, and '1 bandvagn' must not become
    '1 bandvagnar' (`same_resource` still matches the two)."""
    folded = fold(what)
    exact = [k for k in known if fold(k) == folded]
    if exact:
        return exact[0]
    if len(folded) < MIN_COMPLETION or count == 1:
        return what
    hits = list(dict.fromkeys(k for k in known if fold(k).startswith(folded)))
    return hits[0] if len(hits) == 1 else what


def same_resource(a: str, b: str) -> bool:
    """Whether two resource words name the same thing: equal when folded, or one a prefix of
    the other of at least four letters ('bandvagn' and 'bandvagnar')."""
    x, y = fold(a), fold(b)
    short, long_ = sorted((x, y), key=len)
    return x == y or (len(short) >= 4 and long_.startswith(short))
