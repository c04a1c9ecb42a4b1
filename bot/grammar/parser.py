"""The one command parser: a line of text -> a `Command` (PRODUCT.md §3).

Every platform hands the same text here (Slack's slash command re-joined with its text,
Matrix's message body, a terminal line). Errors are `ParseError`/`NotFound` with a stable code
and params that always hold `usage`, `example` and `language` (the user's language).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.errors import DomainError, ParseError
from bot.domain.roster import Roster
from bot.grammar import commands as c
from bot.grammar.commands import Body, Command, Lang
from bot.grammar.names import Names, names_for
from bot.grammar.resources import parse_resource
from bot.grammar.rules import parse_interval, parse_rule
from bot.grammar.targets import SEPARATOR_WORDS
from bot.grammar.times import parse_delta, parse_move, parse_when
from bot.grammar.words import (
    EXERCISE_END,
    LIST_ALL,
    MEETING_SUBCOMMANDS,
    SCENARIO_TOPICS,
    TEMPLATE_WORDS,
    WRAPPER,
    Word,
    command,
    fold,
    is_number,
    lookup,
    only_labels,
    report_fields,
    suggest_commands,
)

_TOKEN = re.compile(r"\S+")
_ACTIVATION_ID = re.compile(r"^#([ÖöOo]?)(\d{4})-(\d{1,4})$")
_EVERY = re.compile(r"(?:^|\s)(?:var|varje|varannan|every)\b", re.IGNORECASE)
LOG_MAX = 200


@dataclass(frozen=True)
class _Ctx:
    """One command being parsed: its arguments (tokens with offsets) and the world."""

    names: Names
    lang: Lang
    text: str
    tokens: list[str]
    starts: list[int]
    now: datetime
    tz: ZoneInfo

    @classmethod
    def of(cls, names: Names, lang: Lang, text: str, *, now: datetime, tz: ZoneInfo) -> _Ctx:
        found = list(_TOKEN.finditer(text))
        return cls(names, lang, text, [m.group() for m in found],
                   [m.start() for m in found], now, tz)

    def rest(self, i: int) -> str:
        """The original text from token i on ("" past the end)."""
        return self.text[self.starts[i] :].strip() if i < len(self.tokens) else ""


def parse(text: str, roster: Roster | Names, *, now: datetime, tz: ZoneInfo) -> Command:
    """Parse one command line; raise ParseError/NotFound with a stable code if it is bad."""
    names = names_for(roster)
    word, lang, rest = _head(text)
    try:
        activation_id, rest = _activation_id(rest)
        body = _BODIES[word.sv](_Ctx.of(names, lang, rest, now=now, tz=tz))
    except DomainError as err:
        err.params.setdefault("usage", word.usage(lang))
        err.params.setdefault("example", word.example(lang))
        err.params.setdefault("language", lang)
        raise
    return Command(word.sv, body, lang, activation_id)


# -- the command word --------------------------------------------------------------------
def _split(text: str) -> tuple[str, str]:
    parts = text.split(maxsplit=1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (text.strip(), "")


def _head(text: str) -> tuple[Word, Lang, str]:
    line = text.strip()
    if line[:1] in ("/", "!"):
        line = line[1:].lstrip()
    first, rest = _split(line)
    if fold(first) == WRAPPER:
        if not rest:
            return command("hjälp"), "sv", ""
        first, rest = _split(rest)
    if not first:
        raise _general("parse.empty", "sv")
    found = lookup(first.rstrip(":,.!?") or first)
    if found is None:
        suggestions, lang = suggest_commands(first)
        raise _general("parse.unknown_command", lang, word=first,
                       suggestions=", ".join(suggestions), choices=suggestions)
    return found[0], found[1], rest


def _general(code: str, lang: Lang, **params: object) -> ParseError:
    help_word = command("hjälp")
    return ParseError(code, usage=help_word.usage(lang), example=help_word.example(lang),
                      language=lang, **params)


def _activation_id(rest: str) -> tuple[str | None, str]:
    head, tail = _split(rest)
    if not head.startswith("#") or re.fullmatch(r"#\d{1,3}", head):
        return None, rest  # "#3" is a number (`godkänn #3`), not an activation id
    if set(head) == {"#"}:
        return None, rest  # "# Rubrik", "## Åtaganden": a Markdown heading typed as text
    match = _ACTIVATION_ID.match(head)
    if match is None:
        raise ParseError("parse.bad_activation_id", value=head)
    mark = "Ö" if match.group(1) else ""  # an exercise's own numbering: #Ö2026-003
    return f"{mark}{match.group(2)}-{int(match.group(3)):03d}", tail


# -- argument helpers ----------------------------------------------------------------------
def _text(x: _Ctx) -> str:
    if not x.text:
        raise ParseError("parse.missing_text")
    return x.text


def _nothing_more(x: _Ctx, i: int = 0) -> None:
    if i < len(x.tokens):
        raise ParseError("parse.unexpected_text", value=x.rest(i))


def _number(x: _Ctx, i: int, low: int, high: int, *, last: bool = True) -> int:
    token = x.tokens[i].lstrip("#")
    if not is_number(token) or not low <= int(token) <= high:
        raise ParseError("parse.bad_number", value=x.tokens[i], min=low, max=high)
    if last:
        _nothing_more(x, i + 1)
    return int(token)


# -- one function per command --------------------------------------------------------------
AGAIN_FLAGS = frozenset({"--ny", "--new", "—ny", "—new", "–ny", "–new"})  # phones turn -- into —


def _activate(x: _Ctx) -> c.Activate:
    """`aktivera [--ny] <forum> [scenario] <rubrik…>`; `--ny` (first or last) opens a second
    activation even though the forum has an active one with the same title."""
    again = False
    if x.tokens and x.tokens[0].casefold() in AGAIN_FLAGS:
        again, x = True, _Ctx.of(x.names, x.lang, x.rest(1), now=x.now, tz=x.tz)
    elif x.tokens and x.tokens[-1].casefold() in AGAIN_FLAGS:
        text = x.text[: x.starts[-1]].rstrip()
        again, x = True, _Ctx.of(x.names, x.lang, text, now=x.now, tz=x.tz)
    body = _activate_plain(x)
    return c.Activate(body.forum, body.scenario, body.title, again=again)


# Words that go on from a scenario's word into a title ("Oväder i norr", "Storm över
# Roslagen"): after one of them the scenario's word is the title's first word too.
TITLE_LINKS = frozenset({
    "i", "på", "vid", "över", "mot", "för", "från", "till", "med", "av", "och", "längs",
    "inom", "utanför", "kring", "runt", "under", "efter", "in", "at", "on", "over", "near",
    "of", "and", "across", "around"})


def _activate_plain(x: _Ctx) -> c.Activate:
    if not x.tokens:
        raise ParseError("parse.missing_forum")
    names, scenario, start = x.names, None, 0
    forum = names.take("forum", x.tokens, exact_only=True)
    first_scenario = None if forum else names.take("scenario", x.tokens, exact_only=True)
    if first_scenario is not None:
        scenario, i = first_scenario
        forum_key = names.roster.scenarios_by_key[scenario].forum
    else:
        forum = forum or names.take("forum", x.tokens)
        if forum is None:
            raise names.unknown("forum", x.tokens[0])
        forum_key, i = forum
        after = names.take("scenario", x.tokens[i:], exact_only=True)
        if after is not None:
            scenario, start, i = after[0], i, i + after[1]
    if scenario is not None and i < len(x.tokens) and x.tokens[i] in TITLE_LINKS:
        i = start  # "oväder i norr": the playbook, and the title as typed
    title = " ".join(x.rest(i).split())  # a title is one line
    if not title:
        raise ParseError("parse.missing_title")
    return c.Activate(forum_key, scenario, title)


def _escalate(x: _Ctx) -> c.Escalate:
    return c.Escalate(x.names.forum(x.text) if x.text else None)


def _conference(x: _Ctx) -> c.Conference:
    if not x.text:
        return c.Conference(None)
    if fold(x.text) in LIST_ALL:
        return c.Conference(None, everything=True)
    every = _EVERY.search(x.text)
    when = x.text[: every.start()] if every else x.text
    if not when.strip():
        raise ParseError("parse.missing_time")
    at = parse_when(when, x.now, x.tz)
    return c.Conference(at, parse_interval(x.text[every.start() :]) if every else None)


def _report(x: _Ctx) -> c.Report:
    text = _text(x)
    if only_labels(text):  # the labels of the form, nothing filled in
        raise ParseError("parse.missing_text")
    return c.Report(text, report_fields(text))


def _commit(x: _Ctx) -> c.Commit:
    text = _text(x)
    taken = x.names.take("actor", [t.rstrip(":,") for t in x.tokens], exact_only=True)
    if taken is None:
        return c.Commit(None, text)
    _one_actor(x, taken[1])
    rest = x.rest(taken[1]).lstrip(":").strip()
    if not rest:
        raise ParseError("parse.missing_text")
    return c.Commit(taken[0], rest)


def _one_actor(x: _Ctx, n: int) -> None:
    """Refuse a second actor joined to the first by och/and/samt/&/+ or a comma (the list
    separators of `kalla`, bot.grammar.targets): a commitment is one actor's own (DOMAIN.md),
    and "Polisen och SOS Alarm förstärker" must not become Polisen's "och SOS Alarm ...".
    ParseError "parse.commit_two_actors" (params `first`, `second` as written)."""
    words = [t.rstrip(":") for t in x.tokens]
    comma = words[n - 1].endswith(",")
    if n < len(words) and words[n].startswith(","):
        comma, words[n] = True, words[n][1:]
    j = n + 1 if n < len(words) and fold(words[n]) in SEPARATOR_WORDS else n
    if not (comma or j > n) or j >= len(words):
        return
    second = x.names.take("actor", [w.rstrip(",") for w in words[j:]], exact_only=True)
    if second is not None:
        raise ParseError("parse.commit_two_actors", first=" ".join(x.tokens[:n]).rstrip(","),
                         second=" ".join(x.tokens[j:j + second[1]]).rstrip(",:"))


def _approve(x: _Ctx) -> c.Approve:
    i = 1 if x.tokens and fold(x.tokens[0]) in ("nr", "no", "number", "nummer") else 0
    return c.Approve(_number(x, i, 1, 10_000) if i < len(x.tokens) else None)


def _log(x: _Ctx) -> c.Log:
    return c.Log(_number(x, 0, 1, LOG_MAX) if x.tokens else 10)


def _meeting(x: _Ctx) -> c.MeetingNew | c.MeetingList | c.MeetingStop | c.MeetingMove:
    if not x.tokens:
        raise ParseError("parse.missing_subcommand", subcommands=_subcommands(x.lang))
    sub = MEETING_SUBCOMMANDS.get(fold(x.tokens[0]))
    if sub == "lista":
        _nothing_more(x, 1)
        return c.MeetingList()
    if sub == "stopp":
        if len(x.tokens) < 2:
            raise ParseError("parse.missing_number")
        return c.MeetingStop(_number(x, 1, 1, 10**9))
    if sub == "flytta":
        if len(x.tokens) < 3:
            raise ParseError("parse.missing_day" if len(x.tokens) == 2 else "parse.missing_number")
        mid = _number(_Ctx.of(x.names, x.lang, x.tokens[1], now=x.now, tz=x.tz), 0, 1, 10**9)
        return c.MeetingMove(mid, *parse_move(x.rest(2), x.now, x.tz))
    if sub != "ny":
        raise ParseError("parse.unknown_subcommand", value=x.tokens[0],
                         subcommands=_subcommands(x.lang))
    forum = x.names.take("forum", x.tokens[1:])
    if forum is None:
        if len(x.tokens) < 2:
            raise ParseError("parse.missing_forum")
        raise x.names.unknown("forum", x.tokens[1])
    rule = x.rest(1 + forum[1])
    if not rule:
        raise ParseError("parse.missing_rule")
    return c.MeetingNew(forum[0], parse_rule(rule))


def _subcommands(lang: Lang) -> str:
    return "new, list, stop" if lang == "en" else "ny, lista, stopp"


def _item(x: _Ctx) -> c.Item:
    text = _text(x)
    head, colon, tail = text.partition(":")
    forums = x.names.forums.find(fold(head), exact_only=True) if colon else set()
    if len(forums) == 1 and tail.strip():
        return c.Item(tail.strip(), forums.pop())
    return c.Item(text)


def _exercise(x: _Ctx) -> c.ExerciseStart | c.ExerciseEnd:
    if not x.tokens:
        raise ParseError("parse.missing_scenario")
    if fold(x.tokens[0]) in EXERCISE_END:
        return c.ExerciseEnd(x.rest(1) or None)
    taken = x.names.take("scenario", x.tokens)
    if taken is None:
        raise x.names.unknown("scenario", x.tokens[0])
    scenario, i = taken
    if i < len(x.tokens) and x.tokens[i] in TITLE_LINKS:
        i = 0  # "Vattenläcka i Solna": the playbook, and the title as typed (as `aktivera`)
    return c.ExerciseStart(scenario, x.rest(i) or None)


def _clock(x: _Ctx) -> c.ClockAdvance:
    if not x.text:
        return c.ClockAdvance(None)
    return c.ClockAdvance(parse_delta(x.text))


def _done(x: _Ctx) -> c.ChecklistDone:
    return c.ChecklistDone(_number(x, 0, 1, 1000) if x.tokens else None)


def _follow_up(x: _Ctx) -> c.FollowUp:
    if not x.tokens:
        raise ParseError("parse.missing_number")
    number = _number(x, 0, 1, 10_000, last=False)
    text = x.rest(1)
    if not text:
        raise ParseError("parse.missing_text")
    return c.FollowUp(number, text)


def _propose(x: _Ctx) -> c.Propose | c.ProposeTemplate:
    if x.tokens and fold(x.tokens[0]) in TEMPLATE_WORDS:
        return c.ProposeTemplate(x.rest(1) or None)
    return c.Propose(_text(x))


def _help(x: _Ctx) -> c.Help:
    if not x.tokens or fold(x.tokens[0].lstrip("/!")) == WRAPPER:
        return c.Help(None)
    if fold(x.tokens[0]) in SCENARIO_TOPICS:
        return c.Help("scenarier")
    found = lookup(x.tokens[0].lstrip("/!"))
    if found is None:
        suggestions, _lang = suggest_commands(x.tokens[0], x.lang)
        raise ParseError("parse.unknown_topic", value=x.tokens[0],
                         suggestions=", ".join(suggestions), choices=suggestions)
    return c.Help(found[0].sv)


def _bare(body: Body) -> Callable[[_Ctx], Body]:
    def parse_bare(x: _Ctx) -> Body:
        _nothing_more(x)
        return body

    return parse_bare


_BODIES: dict[str, Callable[[_Ctx], Body]] = {
    "aktivera": _activate,
    "eskalera": _escalate,
    "kalla": lambda x: c.Call(x.names.targets(x.text)),
    "kvittera": lambda x: c.Ack(),  # a comment after the word ("kvittera, på väg") is fine
    "närvarande": lambda x: c.Present(),
    "konferens": _conference,
    "läge": _report,
    "lägesbild": _bare(c.Picture()),
    "beslut": lambda x: c.Decide(_text(x)),
    "åtagande": _commit,
    "budskap": _propose,
    "godkänn": _approve,
    "ordförande": lambda x: c.Chair(x.names.target(x.text)),
    "logg": _log,
    "avaktivera": lambda x: c.Deactivate(x.text or None),
    "möte": _meeting,
    "ärende": _item,
    "resurs": lambda x: parse_resource(x.tokens, x.lang, now=x.now, tz=x.tz),
    "resurser": _bare(c.Resources()),
    "status": _bare(c.Status()),
    "vem": lambda x: c.Who(x.names.target(x.text)),
    "uppföljning": _follow_up,
    "övning": _exercise,
    "klocka": _clock,
    "klar": _done,
    "hjälp": _help,
}
