"""What the Slack adapter itself says (the core's replies come from bot.texts)."""

from __future__ import annotations

ROOM_SUMMARY = (
    "**Krisrum för aktivering #{id}: {title}**\n{topic}\n"
    "{count} personer är kallade; de som finns i arbetsytan bjuds in hit.\n"
    "Kvittera med `/samverkan kvittera`. Lägesrapport: `/samverkan läge <text>`. "
    "Hjälp: `/samverkan hjälp`."
)
ROOM_PURPOSE = "Aktivering #{id}: {title}. Samverkansbotens krisrum; protokollet förs här."
LINKED_ROOM = "Kopplat till aktivering #{parent}: {link}"
NOT_IN_SLACK = (
    "**Aktivering #{id}: nås inte i Slack** (ingen användare med rosterns e-postadress i "
    "arbetsytan): {people}. Kontakta dem på annan väg, t.ex. ring aktören."
)
NOT_INVITED = (
    "**Aktivering #{id}: Slack vägrar bjuda in** {people}. "
    "Kontakta dem på annan väg, t.ex. ring aktören."
)
CHAIR_NOTICE = (
    "**Ordförande:** {people} leder nu arbetet i denna kanal. "
    "(Slack har inga moderatorer; detta är en notering i protokollet.)"
)
PROTOCOL_HEADER = "**Protokoll för aktivering #{id}** (kanalen arkiveras inte)"
PROTOCOL_PART = "_(del {n} av {total})_"

COMMAND_FAILED = "Något gick fel när kommandot skulle utföras; felet är loggat. Försök igen."
SLACK_UNREACHABLE = "Det gick inte att nå Slack för att ta reda på vem du är: {reason}"

MODAL_TITLE = "Aktivera forum"
MODAL_SUBMIT = "Aktivera"
MODAL_CLOSE = "Avbryt"
MODAL_FORUM = "Forum"
MODAL_FORUM_HINT = "Vilket forum som ska aktiveras."
MODAL_SCENARIO = "Scenario (valfritt)"
MODAL_TITLE_FIELD = "Rubrik"
MODAL_TITLE_PLACEHOLDER = "t.ex. Snöstorm Gorm"
MODAL_DESCRIPTION = "Beskrivning (valfri)"
MODAL_DESCRIPTION_HINT = "Vad har hänt? Blir din aktörs första lägesrapport."
MODAL_ACTORS = "Fler aktörer att kalla (valfritt)"
MODAL_SELECT = "Välj …"

ERR_TITLE_MISSING = "Skriv en rubrik för händelsen, t.ex. ”Snöstorm Gorm”."
ERR_TITLE_LONG = "Rubriken får vara högst {max} tecken."
ERR_FORUM_MISSING = "Välj vilket forum som ska aktiveras."
ERR_FORUM_UNKNOWN = "Forumet finns inte längre i rostern; välj ett annat."
ERR_SCENARIO_UNKNOWN = "Scenariot finns inte längre i rostern; välj ett annat."
ERR_ACTORS_UNKNOWN = "Okända aktörer: {actors}."
EFFECT_FAILED = (
    "**Aktivering #{id}:** {reason} Åtgärden görs om automatiskt; kvarstår felet, "
    "kontakta Slack-administratören."
)

STATUS_HEAD = "**Inbjudningar:** {n} av {total} inbjudna · {acked} av {called} har kvitterat."
STATUS_WAITING = "Slack begränsar anropen; bjuds in strax: {who}"
STATUS_MISSING = "Har inte kvitterat: {who}"
