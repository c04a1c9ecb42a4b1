"""Texts of the time side: samverkanskonferenser, roll calls, ordinary meetings, agenda items,
reminders and notices; plus how times and intervals are written for people."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.grammar.commands import Lang

_DAYS = {"sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
         "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_MONTHS = {"sv": ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt",
                  "nov", "dec"),
           "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec")}

# The default agenda of a samverkanskonferens (DOMAIN.md); the scenario's additions go
# before "Nästa möte", which stays last.
DEFAULT_AGENDA: dict[Lang, tuple[str, ...]] = {
    "sv": ("Upprop — aktörer och funktioner", "Syfte och inledande läge (ordförande)",
           "Aktörsrapportering — varje aktörs egen lägesbild", "Samlad lägesbild",
           "Gemensam analys — bedömning, utveckling, konsekvenser", "Samverkansbehov",
           "Inriktning — mål, prioriteringar, begränsningar",
           "Åtgärder — varje aktör beslutar i sin egen organisation",
           "Kommunikation — gemensamma budskap till allmänheten",
           "Aktivering/eskalering — ändrad nivå eller sammansättning"),
    "en": ("Roll call — actors and functions", "Purpose and opening brief (chair)",
           "Actor reports — each actor's own situation report", "Compiled situation picture",
           "Joint analysis — assessment, outlook, consequences", "Coordination needs",
           "Direction — goals, priorities, limits",
           "Actions — each actor decides in its own organisation",
           "Communication — common messages to the public",
           "Activation/escalation — change of level or composition"),
}
NEEDS_ITEM = 5  # "Samverkansbehov": shows the event's open resource needs
NEXT_MEETING: dict[Lang, str] = {"sv": "Nästa möte — tid, forum, kanal",
                                 "en": "Next meeting — time, forum, channel"}


def clock_text(local: datetime) -> str:
    """`14:30`; in the repeated hour of the autumn clock change, where the wall-clock time
    alone names two instants, with its UTC offset: `02:30+02:00` / `02:30+01:00`."""
    clock = local.strftime("%H:%M")
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        offset = local.strftime("%z")
        clock += f"{offset[:3]}:{offset[3:]}"
    return clock


def when(lang: Lang, at: datetime, tz: ZoneInfo, now: datetime | None = None) -> str:
    """`14:30` today, `tor 26 nov 09:00` otherwise (and the year when it is not this year);
    the clock carries its UTC offset where it alone is ambiguous (`clock_text`)."""
    local = at.astimezone(tz)
    clock = clock_text(local)
    if now is not None and now.astimezone(tz).date() == local.date():
        return clock
    day = f"{_DAYS[lang][local.weekday()]} {local.day} {_MONTHS[lang][local.month - 1]}"
    if now is not None and now.astimezone(tz).year != local.year:
        day += f" {local.year}"
    return f"{day} {clock}"


def day_text(lang: Lang, day: date) -> str:
    """`ons 23 dec 2026`: a day with its weekday, for suggestions."""
    return f"{_DAYS[lang][day.weekday()]} {day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def every(lang: Lang, interval: timedelta) -> str:
    """`var 3:e timme` / `every 3 hours`, `var 30:e minut` / `every 30 minutes`."""
    minutes = int(interval.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if rest == 0 and hours == 1:
        return "varje timme" if lang == "sv" else "every hour"
    if rest == 0:
        return f"var {hours}:{_ordinal(hours)} timme" if lang == "sv" else f"every {hours} hours"
    if lang == "sv":
        return f"var {minutes}:{_ordinal(minutes)} minut"
    return f"every {minutes} minutes"


def _ordinal(n: int) -> str:
    """Swedish ordinal ending: 1:a, 2:a, 3:e, 11:e, 21:a, 22:a."""
    return "a" if n % 10 in (1, 2) and n % 100 not in (11, 12) else "e"


def minutes(delta: timedelta) -> int:
    return round(delta.total_seconds() / 60)


TEXTS: dict[str, dict[str, str]] = {
    # -- konferens ----------------------------------------------------------------------------
    "conference.planned": {
        "sv": "Samverkanskonferens planerad för #{id}: {when}{every}. Påminnelser {reminders} "
              "{last:minut|minuter} före; dagordning och upprop när den börjar.",
        "en": "Collaboration conference (samverkanskonferens) scheduled for #{id}: {when}{every}. "
              "Reminders {reminders} {last:minute|minutes} before; agenda and roll call at the "
              "start.",
    },
    "conference.planned_room": {
        "sv": "📅 Samverkanskonferens planerad {when}{every} (av {by}).",
        "en": "📅 Collaboration conference scheduled {when}{every} (by {by}).",
    },
    "conference.log": {
        "sv": "Samverkanskonferens planerad {when}{every}",
        "en": "Collaboration conference scheduled {when}{every}",
    },
    "conference.past": {
        "sv": "Tiden {when} har redan passerat. Ange en kommande tid, t.ex. `konferens 14:30` "
              "eller `konferens om 2 timmar var 3:e timme`.",
        "en": "The time {when} has already passed. Give a future time, e.g. `conference 14:30` "
              "or `conference in 2 hours every 3 hours`.",
    },
    "conference.too_often": {
        "sv": "Intervallet {every} är för kort; minst {minimum} {minimum:minut|minuter} mellan "
              "konferenserna. "
              "Exempel: `konferens 14:30 var 3:e timme`.",
        "en": "The interval {every} is too short; at least {minimum} {minimum:minute|minutes} "
              "between conferences. Example: `conference 14:30 every 3 hours`.",
    },
    "conference.duplicate": {
        "sv": "En samverkanskonferens är redan planerad {when} för #{id}. Se `konferens`.",
        "en": "A collaboration conference is already scheduled {when} for #{id}. See "
              "`conference`.",
    },
    "conference.none": {
        "sv": "Inga samverkanskonferenser planerade för #{id}. Planera med t.ex. "
              "`konferens 14:30 var 3:e timme`.",
        "en": "No collaboration conferences scheduled for #{id}. Schedule one with e.g. "
              "`conference 14:30 every 3 hours`.",
    },
    "conference.list": {"sv": "Kommande samverkanskonferenser för #{id}:",
                        "en": "Upcoming collaboration conferences for #{id}:"},
    "conference.line": {"sv": "- {when}{every}", "en": "- {when}{every}"},
    "conference.more": {"sv": "… och {n} till: `konferens alla` (#{id}) visar alla.",
                        "en": "… and {n} more: `conference all` (#{id}) shows them all."},
    "conference.every": {"sv": ", {every}", "en": ", {every}"},
    # -- närvarande ---------------------------------------------------------------------------
    "present.done": {
        "sv": "Närvaro registrerad vid samverkanskonferensen {when} (#{id}): {who}.",
        "en": "Attendance recorded at the collaboration conference {when} (#{id}): {who}.",
    },
    "present.already": {
        "sv": "Du är redan registrerad som närvarande vid samverkanskonferensen {when} (#{id}).",
        "en": "You are already recorded as present at the conference {when} (#{id}).",
    },
    "present.no_roll_call": {
        "sv": "Ingen samverkanskonferens pågår i #{id} just nu; uppropet görs när konferensen "
              "börjar. Se `konferens`.",
        "en": "No collaboration conference is running in #{id} right now; the roll call is "
              "taken when it starts. See `conference`.",
    },
    "present.log": {"sv": "Närvarande vid samverkanskonferensen {when}: {who}",
                    "en": "Present at the collaboration conference {when}: {who}"},
    # -- möte ---------------------------------------------------------------------------------
    "meeting.created": {
        "sv": "Möte {mid} planerat: {forum}, {rule}. Nästa: {next}. Påminnelser {reminders} "
              "{last:minut|minuter} före i forumets rum; anmäl ärenden med `ärende <text>`.",
        "en": "Meeting {mid} scheduled: {forum}, {rule}. Next: {next}. Reminders {reminders} "
              "{last:minute|minutes} before in the forum's room; raise items with `item <text>`.",
    },
    "meeting.duplicate": {
        "sv": "{forum} har redan mötet {mid} med samma regel ({rule}). Se `möte lista`.",
        "en": "{forum} already has meeting {mid} with the same rule ({rule}). See "
              "`meeting list`.",
    },
    "meeting.bad_rule": {
        "sv": "Regeln '{rule}' går inte att använda för ett möte. Exempel: `möte ny "
              "samordningsgrupp första måndagen i månaden 13:00` eller `varje torsdag 09:00`.",
        "en": "The rule '{rule}' cannot be used for a meeting. Example: `meeting new "
              "samordningsgrupp first monday of the month 13:00` or `every thursday 09:00`.",
    },
    "meeting.list": {"sv": "Återkommande möten:", "en": "Recurring meetings:"},
    "meeting.line": {
        "sv": "- {mid} {forum} — {rule} — nästa {next}{items}",
        "en": "- {mid} {forum} — {rule} — next {next}{items}",
    },
    "meeting.items": {"sv": " ({n} {n:anmält ärende|anmälda ärenden})",
                      "en": " ({n} {n:item|items} raised)"},
    "meeting.none": {
        "sv": "Inga återkommande möten. Planera med `möte ny <forum> <regel>`, t.ex. "
              "`möte ny veckokonferens varje torsdag 09:00`.",
        "en": "No recurring meetings. Schedule one with `meeting new <forum> <rule>`, e.g. "
              "`meeting new veckokonferens every thursday 09:00`.",
    },
    "meeting.stopped": {
        "sv": "Möte {mid} ({forum}, {rule}) är stoppat; inga fler påminnelser.",
        "en": "Meeting {mid} ({forum}, {rule}) is stopped; no more reminders.",
    },
    "meeting.unknown": {
        "sv": "Det finns inget pågående möte {mid}. Se `möte lista`.",
        "en": "There is no running meeting {mid}. See `meeting list`.",
    },
    "meeting.no_right": {
        "sv": "Du har ingen funktion i {forum} och kan inte ändra dess möten.",
        "en": "You hold no function in {forum} and cannot change its meetings.",
    },
    # -- ärende -------------------------------------------------------------------------------
    "item.added": {
        "sv": "Ärende {n} anmält till {forum}: '{text}'. Tas upp på mötet {next}.",
        "en": "Item {n} raised for {forum}: '{text}'. On the agenda of the meeting {next}.",
    },
    "item.no_meeting": {
        "sv": "Ärende {n} anmält till {forum}: '{text}'. Forumet har inget planerat möte än; "
              "ärendet tas upp på nästa möte som planeras.",
        "en": "Item {n} raised for {forum}: '{text}'. The forum has no meeting scheduled yet; "
              "the item goes on the next one.",
    },
    "item.which_forum": {
        "sv": "Vilket forum gäller ärendet? Skriv i forumets rum eller ange det först: "
              "`ärende samordningsgrupp: <text>`.",
        "en": "Which forum is the item for? Write in the forum's room or name it first: "
              "`item samordningsgrupp: <text>`.",
    },
    # -- posts in rooms -----------------------------------------------------------------------
    "post.late": {
        "sv": " _(försenad {late} min: boten var ur drift)_",
        "en": " _(late by {late} min: the bot was down)_",
    },
    "post.conference_reminder": {
        "sv": "⏰ Påminnelse: samverkanskonferens {when} (om {left} min) — #{id} {title}.{late}",
        "en": "⏰ Reminder: collaboration conference {when} (in {left} min) — #{id} {title}.{late}",
    },
    "post.unacked": {"sv": "Ej kvitterat: {who}", "en": "Not acknowledged: {who}"},
    "post.conference_start": {
        "sv": "**Samverkanskonferens {when} — #{id} {title}**{late}\nDagordning:\n{agenda}",
        "en": "**Collaboration conference {when} — #{id} {title}**{late}\nAgenda:\n{agenda}",
    },
    "post.roll_call": {
        "sv": "Upprop: svara `närvarande` (eller `kvittera`). Kallade: {who}",
        "en": "Roll call: answer `present` (or `ack`). Called: {who}",
    },
    "post.next_conference": {"sv": "Nästa samverkanskonferens: {when}.",
                             "en": "Next collaboration conference: {when}."},
    "post.conference_missed": {
        "sv": "⚠️ Samverkanskonferensen {when} i #{id} kunde inte inledas i tid: boten var ur "
              "drift ({late} min). Dagordning och upprop postades inte; planera om med "
              "`konferens`.",
        "en": "⚠️ The collaboration conference {when} in #{id} could not be opened on time: the "
              "bot was down ({late} min). No agenda or roll call was posted; reschedule with "
              "`conference`.",
    },
    "post.reminder_missed": {
        "sv": "⚠️ Påminnelsen inför {what} {when} kunde inte skickas i tid: boten var ur drift.",
        "en": "⚠️ The reminder for {what} {when} could not be sent on time: the bot was down.",
    },
    "post.skipped": {
        "sv": "\n{n} {n:tillfälle|tillfällen} under avbrottet hölls utan boten och finns inte i "
              "registret.",
        "en": "\n{n} {n:occurrence|occurrences} during the outage passed without the bot and "
              "{n:is|are} not recorded.",
    },
    "post.meeting_reminder": {
        "sv": "⏰ Påminnelse: {forum} — möte {when} (om {left} min). Anmälda ärenden: {n}. "
              "Anmäl med `ärende <text>`.{late}",
        "en": "⏰ Reminder: {forum} — meeting {when} (in {left} min). Items raised: {n}. "
              "Raise one with `item <text>`.{late}",
    },
    "post.meeting_start": {
        "sv": "**{forum} — möte {when}**{late}\nDagordning:\n1. Upprop\n2. Anmälda ärenden:\n"
              "{items}\n3. Övriga frågor\n4. Nästa möte: {next}",
        "en": "**{forum} — meeting {when}**{late}\nAgenda:\n1. Roll call\n2. Items raised:\n"
              "{items}\n3. Any other business\n4. Next meeting: {next}",
    },
    "post.no_items": {"sv": "   - inga anmälda (anmäl med `ärende <text>`)",
                      "en": "   - none raised (raise one with `item <text>`)"},
    "post.item": {"sv": "   - {text} ({who})", "en": "   - {text} ({who})"},
    "post.meeting_missed": {
        "sv": "⚠️ Mötet i {forum} {when} kunde inte inledas i tid: boten var ur drift "
              "({late} min). Anmälda ärenden ligger kvar till nästa möte.",
        "en": "⚠️ The {forum} meeting {when} could not be opened on time: the bot was down "
              "({late} min). Raised items stay for the next meeting.",
    },
    "post.conference_what": {"sv": "samverkanskonferensen", "en": "the collaboration conference"},
    "post.meeting_what": {"sv": "mötet i {forum}", "en": "the meeting of {forum}"},
    "post.none": {"sv": "–", "en": "–"},
    # -- status -------------------------------------------------------------------------------
    "status.conferences": {"sv": "Kommande samverkanskonferenser:",
                           "en": "Upcoming collaboration conferences:"},
    "status.conference_line": {"sv": "- #{id} {when}{every}", "en": "- #{id} {when}{every}"},
    "status.meetings": {"sv": "Kommande möten:", "en": "Upcoming meetings:"},
    "status.meeting_line": {"sv": "- {forum} {when}", "en": "- {forum} {when}"},
}
