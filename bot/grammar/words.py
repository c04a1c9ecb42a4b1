"""The vocabulary: command words (sv/en), their usage and examples, and text normalisation.

The usage and example of each command are shown by `hjälp` and in every parse error, so they
live here next to the words rather than in the text catalogs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from bot.grammar.commands import Lang

_SEPARATORS = re.compile(r"[\s\-_–—/.]+")
_SPACES = re.compile(r"\s+")


def plain(text: str) -> str:
    """Lower case without accents (å→a, ä→a, ö→o, é→e), whitespace collapsed."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", text.casefold()).strip()


def is_number(text: str) -> bool:
    """True for a non-empty run of ASCII digits only. `str.isdigit` also accepts `²` or `①`,
    which `int()` refuses: every number a person types is read through this check."""
    return text.isascii() and text.isdigit()


def fold(text: str) -> str:
    """`plain`, and hyphens, dots and underscores read as spaces: the form names match in."""
    return _SEPARATORS.sub(" ", plain(text)).strip()


@dataclass(frozen=True)
class Word:
    """One command: canonical Swedish word, English alias, usage, example and summary."""

    sv: str
    en: str
    spellings: tuple[str, ...]
    usage_sv: str
    usage_en: str
    example_sv: str
    example_en: str
    summary_sv: str
    summary_en: str

    def usage(self, lang: Lang) -> str:
        return self.usage_en if lang == "en" else self.usage_sv

    def example(self, lang: Lang) -> str:
        return self.example_en if lang == "en" else self.example_sv

    def summary(self, lang: Lang) -> str:
        return self.summary_en if lang == "en" else self.summary_sv

    def name(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.sv


def _w(words: tuple[str, str], spellings: tuple[str, ...], usage: tuple[str, str],
       example: tuple[str, str], summary: tuple[str, str]) -> Word:
    return Word(*words, (words[0], *spellings), *usage, *example, *summary)


COMMANDS: tuple[Word, ...] = (
    _w(("aktivera", "activate"), (),
       ("aktivera [--ny] <forum> [scenario] <rubrik…>",
        "activate [--new] <forum> [scenario] <title…>"),
       ("aktivera samordnande oväder Snöstorm Gorm", "activate samordnande storm Snowstorm Gorm"),
       ("ny aktivering av ett forum för en händelse (`--ny`: en till trots samma rubrik)",
        "new activation of a forum for an event (`--new`: another despite the same title)")),
    _w(("eskalera", "escalate"), (), ("eskalera [forum]", "escalate [forum]"),
       ("eskalera inriktande", "escalate inriktande"),
       ("aktivera nästa nivå för samma händelse", "activate the next level for the same event")),
    _w(("kalla", "call"), (), ("kalla <aktör|funktion>…", "call <actor|function>…"),
       ("kalla Polisen, Region Stockholm, TiB@Upplands Väsby",
        "call Polisen, Region Stockholm, TiB@Upplands Väsby"),
       ("kalla fler aktörer eller funktioner", "call more actors or functions")),
    _w(("kvittera", "ack"), (), ("kvittera", "ack"), ("kvittera", "ack"),
       ("kvittera att du är kallad", "acknowledge being called")),
    _w(("närvarande", "present"), ("narvarande",), ("närvarande", "present"),
       ("närvarande", "present"),
       ("svara på uppropet i en konferens", "answer the roll call of a conference")),
    _w(("konferens", "conference"), (),
       ("konferens [<när> [var <intervall>]] | konferens alla",
        "conference [<when> [every <interval>]] | conference all"),
       ("konferens 14:30 var 3:e timme", "conference 14:30 every 3 hours"),
       ("planera en samverkanskonferens (`14:30`, `kl 14`, `om 2 timmar`, `ikväll 19:00`, "
        "`i morgon bitti`, `nästa tisdag 09:00`, `25 december 10:00`); utan tid: lista kommande "
        "(`alla`: hela listan)",
        "schedule a conference (`14:30`, `at 14`, `in 2 hours`, `tonight 19:00`, "
        "`tomorrow morning`, `next tuesday 09:00`, `25 december 10:00`); without a time: "
        "list upcoming (`all`: the whole list)")),
    _w(("läge", "report"), ("lage",), ("läge <text>", "report <text>"),
       ("läge händelse: träd över väg 77; konsekvenser: E18 stängd; åtgärder: röjning pågår",
        "report event: trees across road 77; consequences: E18 closed; actions: clearing"),
       ("din aktörs egen lägesbild", "your actor's own situation report")),
    _w(("lägesbild", "picture"), ("lagesbild",), ("lägesbild", "picture"),
       ("lägesbild", "picture"),
       ("samlad regional lägesbild och vem som inte rapporterat",
        "the compiled regional picture and who has not reported")),
    _w(("beslut", "decision"), (), ("beslut <text>", "decision <text>"),
       ("beslut Skolor och förskolor stängs i morgon", "decision Schools close tomorrow"),
       ("dokumentera ett inriktningsbeslut", "record a decision of direction")),
    _w(("åtagande", "commit"), ("atagande",), ("åtagande [aktör] <text>", "commit [actor] <text>"),
       ("åtagande Region Stockholm Bandvagnar prioriteras för akutsjukvård",
        "commit Region Stockholm Tracked vehicles go to acute care first"),
       ("dokumentera en aktörs eget åtagande", "record an actor's own commitment")),
    _w(("budskap", "message"), (), ("budskap <text> | budskap mall [namn]",
                                    "message <text> | message template [name]"),
       ("budskap Undvik onödiga resor och ha ficklampa redo",
        "message Avoid unnecessary travel and keep a torch ready"),
       ("föreslå ett gemensamt budskap (eller scenariots mall)",
        "propose a common public message (or the scenario's template)")),
    _w(("godkänn", "approve"), ("godkann",), ("godkänn [nr]", "approve [no]"),
       ("godkänn 2", "approve 2"),
       ("godkänn ett föreslaget budskap", "approve a proposed message")),
    _w(("ordförande", "chair"), ("ordforande",),
       ("ordförande <aktör|funktion>", "chair <actor|function>"),
       ("ordförande Region Stockholm", "chair Region Stockholm"),
       ("lämna över ordförandeskapet", "hand over the chair")),
    _w(("logg", "log"), (), ("logg [antal]", "log [count]"), ("logg 20", "log 20"),
       ("de senaste händelserna i tidslinjen", "the latest timeline entries")),
    _w(("avaktivera", "deactivate"), (),
       ("avaktivera [sammanfattning]", "deactivate [summary]"),
       ("avaktivera Stormen är över, trafiken går normalt",
        "deactivate The storm is over, traffic is normal"),
       ("avsluta aktiveringen och posta protokollet",
        "close the activation and post the protocol")),
    _w(("möte", "meeting"), ("mote",),
       ("möte ny <forum> <regel> | möte lista | möte stopp <id> | "
        "möte flytta <id> [<från> till] <datum> [tid]",
        "meeting new <forum> <rule> | meeting list | meeting stop <id> | "
        "meeting move <id> [<from> to] <date> [time]"),
       ("möte ny samordnande första måndagen i månaden 13:00",
        "meeting new samordnande first monday of the month 13:00"),
       ("återkommande möten i ordinarie läge; möten på röda dagar flaggas med ett förslag, "
        "`möte flytta` flyttar ett tillfälle",
        "recurring ordinary-mode meetings; those on Swedish public holidays are flagged with "
        "a suggested day, `meeting move` moves one occurrence")),
    _w(("ärende", "item"), ("arende",), ("ärende <text>", "item <text>"),
       ("ärende Brister i reservkraft vid vattenverk", "item Gaps in backup power at waterworks"),
       ("anmäl ett ärende till nästa ordinarie möte", "raise an item for the next meeting")),
    _w(("resurs", "resource"), (),
       ("resurs behov <vad> [antal] [i <plats>] [för <ändamål>] [senast <när>] | "
        "resurs erbjud <vad> [antal] [i <plats>] [tillgänglig <när>] | "
        "resurs matcha <behov> <erbjudande> | "
        "resurs levererad|avböj|återkalla <nr> | resurs prioritera <vad> till <vem> "
        "[ordning <n>]",
        "resource need <what> [count] [in <place>] [for <purpose>] [by <when>] | "
        "resource offer <what> [count] [in <place>] [available <when>] | "
        "resource match <need> <offer> | "
        "resource delivered|decline|withdraw <no> | resource prioritise <what> to <whom> "
        "[order <n>]"),
       ("resurs behov 2 reservkraftverk 100 kVA i Norrtälje senast 18:00",
        "resource need 2 generators 100 kVA in Norrtälje by 18:00"),
       ("behov och erbjudanden av resurser, matchning, leverans, prioritering",
        "resource needs and offers, matching, delivery, priorities")),
    _w(("resurser", "resources"), (), ("resurser", "resources"), ("resurser", "resources"),
       ("öppna behov och erbjudanden, matchade par och prioriteringar",
        "open needs and offers, matched pairs and priorities")),
    _w(("status", "status"), (), ("status", "status"), ("status", "status"),
       ("aktiva aktiveringar, konferenser och möten", "active activations, conferences, meetings")),
    _w(("vem", "who"), (), ("vem <funktion|aktör>", "who <function|actor>"),
       ("vem TiB@Länsstyrelsen", "who TiB@Länsstyrelsen"),
       ("vem har en funktion just nu", "who holds a function now")),
    _w(("uppföljning", "followup"), ("uppfoljning", "follow-up"),
       ("uppföljning <beslut-nr> <text>", "followup <decision-no> <text>"),
       ("uppföljning 2 Rutinen är införd i 20 av 26 kommuner",
        "followup 2 The routine is in place in 20 of 26 municipalities"),
       ("följ upp ett beslut (t.ex. vid ett senare ordinarie möte)",
        "follow up a decision (e.g. at a later ordinary meeting)")),
    _w(("övning", "exercise"), ("ovning",),
       ("övning <scenario> [rubrik] | övning slut [sammanfattning]",
        "exercise <scenario> [title] | exercise end [summary]"),
       ("övning oväder Stormövning november", "exercise storm Storm drill November"),
       ("starta eller avsluta en övning med eget krisrum och egen klocka",
        "start or end an exercise with its own war room and clock")),
    _w(("klocka", "clock"), (), ("klocka [+<tid>]", "clock [+<time>]"),
       ("klocka +30m", "clock +30m"),
       ("visa eller flytta fram övningens klocka (övningsledaren)",
        "show or advance the exercise clock (the exercise leader)")),
    _w(("klar", "done"), (), ("klar <nr>", "done <no>"), ("klar 2", "done 2"),
       ("bocka av en punkt på scenariots checklista; utan nummer: visa listan",
        "tick an item of the scenario's checklist; without a number: show it")),
    _w(("hjälp", "help"), ("hjalp", "?"),
       ("hjälp [kommando|scenarier]", "help [command|scenarios]"),
       ("hjälp aktivera", "help activate"), ("hjälp", "help")),
)

WRAPPER = "samverkan"

LIST_ALL = {"alla", "all"}
EXERCISE_END = {"slut", "end", "avsluta", "stopp", "stop"}
TEMPLATE_WORDS = {"mall", "template", "mallar", "templates"}
SCENARIO_TOPICS = {"scenarier", "scenario", "scenarios", "playbooks", "playbook"}

MEETING_SUBCOMMANDS: dict[str, str] = {
    "ny": "ny", "new": "ny", "lista": "lista", "list": "lista",
    "stopp": "stopp", "stop": "stopp", "stoppa": "stopp",
    "flytta": "flytta", "move": "flytta",
}

# Structured fields of a `läge` report (DOMAIN.md §Lägesbild): spoken label -> ASCII key.
REPORT_FIELDS: dict[str, str] = {
    **dict.fromkeys(("handelse", "vad har hant", "event", "what happened"), "handelse"),
    **dict.fromkeys(("kalla", "source"), "kalla"),
    **dict.fromkeys(("plats", "place", "location"), "plats"),
    **dict.fromkeys(("tid", "time"), "tid"),
    **dict.fromkeys(("omfattning", "berorda", "scope", "affected"), "omfattning"),
    **dict.fromkeys(("konsekvenser", "konsekvens", "consequences"), "konsekvenser"),
    **dict.fromkeys(("atgarder", "vidtagna atgarder", "actions", "actions taken"), "atgarder"),
    **dict.fromkeys(("planerade atgarder", "planerat", "planned", "planned actions"),
                    "planerade_atgarder"),
    **dict.fromkeys(("resurser", "resources"), "resurser"),
    **dict.fromkeys(("samverkansbehov", "behov", "fragor", "needs", "questions"),
                    "samverkansbehov"),
    **dict.fromkeys(("kommunikation", "communication"), "kommunikation"),
    **dict.fromkeys(("bedomning", "prognos", "assessment", "outlook"), "bedomning"),
    **dict.fromkeys(("osakerheter", "uncertainties"), "osakerheter"),
    **dict.fromkeys(("nasta rapport", "next report"), "nasta_rapport"),
}

_FIELD = re.compile(r"^\s*([^:;\n]{1,30}?)\s*:\s*(.*?)\s*$", re.DOTALL)


def report_fields(text: str) -> dict[str, str]:
    """`händelse: …; konsekvenser: …` -> {"handelse": …, "konsekvenser": …}; unknown labels skip."""
    fields: dict[str, str] = {}
    for segment in re.split(r"[;\n]", text):
        match = _FIELD.match(segment)
        if match is None or not match.group(2):
            continue
        key = REPORT_FIELDS.get(fold(match.group(1)))
        if key is not None:
            fields[key] = f"{fields[key]}; {match.group(2)}" if key in fields else match.group(2)
    return fields


def only_labels(text: str) -> bool:
    """True when `text` is nothing but report labels without values (`händelse:;
    konsekvenser:`): a report form sent before it was filled in."""
    for segment in re.split(r"[;\n]", text):
        if not segment.strip():
            continue
        match = _FIELD.match(segment)
        if match is None or match.group(2) or fold(match.group(1)) not in REPORT_FIELDS:
            return False
    return True


@cache
def _lookup() -> dict[str, tuple[Word, Lang]]:
    table: dict[str, tuple[Word, Lang]] = {}
    for word in COMMANDS:
        table[fold(word.en)] = (word, "en")
    for word in COMMANDS:  # Swedish wins where both languages share a word ("status")
        for spelling in word.spellings:
            table[spelling] = (word, "sv")
            table[fold(spelling)] = (word, "sv")
    return table


def lookup(token: str) -> tuple[Word, Lang] | None:
    """The command a word names (any accepted spelling, sv or en) and the language it is in."""
    return _lookup().get(token) or _lookup().get(fold(token))


def command(canonical: str) -> Word:
    """The command with canonical Swedish word `canonical`."""
    return next(w for w in COMMANDS if w.sv == canonical)


def suggest_commands(text: str, lang: Lang | None = None) -> tuple[list[str], Lang]:
    """Up to three command words closest to `text`, and the language of the closest one;
    with `lang`, every word is given in that language (`hjälp xyz` suggests Swedish words
    even where an English spelling was the closer)."""
    table = _lookup()
    best = process.extract(fold(text), [k for k in table if k != "?"], scorer=fuzz.ratio,
                           limit=8)
    out = list(dict.fromkeys(table[name][0].name(lang or table[name][1])
                             for name, _s, _i in best))
    return out[:3], table[best[0][0]][1] if best else "sv"
