"""Texts of the parser's errors (bot.grammar). Swedish first; every text says what was wrong.

Params: parse errors always carry `usage` and `example` (of the command, in the user's
language); name errors carry `name` and `suggestions` (already joined, never empty).
"""

from __future__ import annotations

_SV = "\nAnvändning: `{usage}`\nExempel: `{example}`"
_EN = "\nUsage: `{usage}`\nExample: `{example}`"


def _usage(sv: str, en: str) -> dict[str, str]:
    return {"sv": sv + _SV, "en": en + _EN}


TEXTS: dict[str, dict[str, str]] = {
    "parse.empty": {
        "sv": "Kommandot är tomt. Skriv `hjälp` för att se alla kommandon.\n"
              "Exempel: `{example}`",
        "en": "The command is empty. Type `help` to see every command.\nExample: `{example}`",
    },
    "parse.unknown_command": {
        "sv": "Okänt kommando ”{word}”. Menade du: {suggestions}?\n"
              "Skriv `hjälp` för att se alla kommandon.",
        "en": "Unknown command “{word}”. Did you mean: {suggestions}?\n"
              "Type `help` to see every command.",
    },
    "parse.unknown_topic": _usage(
        "Det finns inget kommando ”{value}”. Menade du: {suggestions}?",
        "There is no command “{value}”. Did you mean: {suggestions}?"),
    "parse.bad_activation_id": _usage(
        "”{value}” är inget aktiverings-id. Skriv id:t som #år-nummer direkt efter "
        "kommandot, t.ex. `beslut #2026-004 Skolor stängs i morgon`.",
        "“{value}” is not an activation id. Write it as #year-number right after the "
        "command, e.g. `decision #2026-004 Schools close tomorrow`."),
    "parse.missing_forum": _usage(
        "Ange vilket forum det gäller.", "Say which forum."),
    "parse.missing_title": _usage(
        "Rubriken saknas: skriv en rubrik för händelsen efter forum och scenario.",
        "The title is missing: write a title for the event after forum and scenario."),
    "parse.missing_text": _usage("Texten saknas.", "The text is missing."),
    "parse.commit_two_actors": _usage(
        "Ett åtagande gäller en aktör: ”{first}” och ”{second}” är två. Skriv ett åtagande "
        "per aktör, t.ex. `åtagande {first} <text>` och `åtagande {second} <text>`.",
        "A commitment is one actor's: “{first}” and “{second}” are two. Write one commitment "
        "per actor, e.g. `commit {first} <text>` and `commit {second} <text>`."),
    "parse.missing_scenario": _usage(
        "Ange ett scenario; `hjälp scenarier` listar dem.",
        "Name a scenario; `help scenarios` lists them."),
    "parse.bad_delta": _usage(
        "”{value}” är ingen tid att flytta klockan: skriv t.ex. `+30m`, `+2h` eller `+1d`.",
        "“{value}” is no time to move the clock by: write e.g. `+30m`, `+2h` or `+1d`."),
    "parse.clock_jump_too_large": _usage(
        "”{value}” är ett för stort hopp: klockan flyttas högst {max} dagar åt gången.",
        "“{value}” is too large a jump: the clock moves at most {max} days at a time."),
    "parse.time_too_far": _usage(
        "”{value}” ligger för långt fram: högst {max} dagar från nu.",
        "“{value}” is too far ahead: at most {max} days from now."),
    "parse.interval_too_long": _usage(
        "Intervallet ”{value}” är för långt: högst {max} dagar.",
        "The interval “{value}” is too long: at most {max} days."),
    "parse.missing_target": _usage(
        "Ange en aktör eller funktion, t.ex. `Polisen` eller `TiB@Länsstyrelsen`.",
        "Name an actor or a function, e.g. `Polisen` or `TiB@Länsstyrelsen`."),
    "parse.missing_time": _usage(
        "Ange när konferensen börjar, före `var …`, t.ex. `konferens 14:00 var 3:e timme`.",
        "Say when the conference starts, before `every …`, "
        "e.g. `conference 14:00 every 3 hours`."),
    "parse.missing_rule": _usage(
        "Ange när mötet återkommer, t.ex. `varje tisdag 09:00` eller "
        "`första måndagen i månaden 13:00`.",
        "Say when the meeting recurs, e.g. `every tuesday 09:00` or "
        "`first monday of the month 13:00`."),
    "parse.missing_subcommand": _usage(
        "Ange vad du vill göra med möten: {subcommands}.",
        "Say what to do with meetings: {subcommands}."),
    "parse.unknown_subcommand": _usage(
        "”{value}” förstods inte; välj en av: {subcommands}.",
        "“{value}” was not understood; choose one of: {subcommands}."),
    "parse.missing_number": _usage(
        "Ange mötets nummer (se `möte lista`).", "Give the meeting's number (see `meeting list`)."),
    "parse.unexpected_text": _usage(
        "Kommandot tar inte fler argument, men fick ”{value}”.",
        "The command takes no more arguments, but got “{value}”."),
    "parse.bad_time": _usage(
        "Förstod inte tiden ”{value}”. Skriv t.ex. `14:00`, `kl 14`, `om 2 timmar`, "
        "`i morgon 08:00`, `ikväll 19:00`, `nästa tisdag 09:00`, `25 december 10:00` eller "
        "`2026-12-01 09:00`.",
        "Could not read the time “{value}”. Write e.g. `14:00`, `at 14`, `in 2 hours`, "
        "`tomorrow 08:00`, `tonight 19:00`, `next tuesday 09:00`, `25 december 10:00` or "
        "`2026-12-01 09:00`."),
    "parse.bad_clock": _usage(
        "”{clock}” är inget klockslag: timmar 00–23, minuter 00–59. Midnatt skrivs `00:00` "
        "dagen efter, t.ex. `i morgon 00:00`.",
        "“{clock}” is no time of day: hours 00–23, minutes 00–59. Midnight is `00:00` of "
        "the next day, e.g. `tomorrow 00:00`."),
    "parse.missing_day": _usage(
        "Ange vilken dag, t.ex. `möte flytta 3 2026-12-23` eller `möte flytta 3 25 december "
        "till 23 december 13:00`.",
        "Say which day, e.g. `meeting move 3 2026-12-23` or `meeting move 3 25 december to "
        "23 december 13:00`."),
    "parse.time_past": _usage(
        "Tiden ”{value}” ({at}) har redan passerat. Ange en tid framåt.",
        "The time “{value}” ({at}) has already passed. Give a time ahead."),
    "parse.day_past": _usage(
        "Dagen ”{value}” ({date}) har redan varit. Ange en dag och tid framåt, t.ex. "
        "`i morgon 10:00`.",
        "The day “{value}” ({date}) is already over. Give a day and time ahead, e.g. "
        "`tomorrow 10:00`."),
    "parse.time_missing_clock": _usage(
        "”{value}” saknar klockslag. Skriv t.ex. `{suggestion}`.",
        "“{value}” has no time of day. Write e.g. `{suggestion}`."),
    "parse.month_without_day": _usage(
        "”{value}”: en månad utan dag är inget datum. Skriv dagen också, t.ex. "
        "`{suggestion}`.",
        "“{value}”: a month without a day is no date. Write the day too, e.g. "
        "`{suggestion}`."),
    "parse.ambiguous_date": _usage(
        "”{value}” kan läsas som dag/månad eller månad/dag. Skriv månaden med bokstäver, "
        "t.ex. `{suggestion}`.",
        "“{value}” can be day/month or month/day. Write the month in letters, e.g. "
        "`{suggestion}`."),
    "parse.ambiguous_jul": _usage(
        "”{value}”: ”jul” kan vara julafton (24 december), juldagen (25 december) eller, på "
        "engelska, juli. Skriv dagen, t.ex. `{suggestion}` eller `10 juli 10:00`.",
        "“{value}”: “jul” can be Christmas Eve (24 December), Christmas Day (25 December) "
        "or July. Write the day, e.g. `{suggestion}` or `10 july 10:00`."),
    "parse.ambiguous_night": _usage(
        "”{value}”: natten och midnatt kan ligga före eller efter dygnsskiftet. Skriv dag och "
        "klockslag, t.ex. `{suggestion}`.",
        "“{value}”: the night and midnight can fall before or after the change of date. "
        "Write the day and time, e.g. `{suggestion}`."),
    "parse.no_such_date": _usage(
        "”{value}”: {date} finns inte. Skriv ett datum som finns, t.ex. `{suggestion}`.",
        "“{value}”: {date} does not exist. Write a real date, e.g. `{suggestion}`."),
    "parse.weekday_mismatch": _usage(
        "”{value}” säger emot sig själv: {date} är en {weekday}. Skriv t.ex. "
        "`{suggestion}`.",
        "“{value}” contradicts itself: {date} is a {weekday}. Write e.g. `{suggestion}`."),
    "parse.two_days": _usage(
        "”{value}” nämner två olika dagar eller tider på dagen. Skriv en, t.ex. "
        "`{suggestion}`.",
        "“{value}” names two different days or parts of the day. Write one, e.g. "
        "`{suggestion}`."),
    "parse.two_times": _usage(
        "”{value}” har två klockslag. Skriv ett, t.ex. `{suggestion}`.",
        "“{value}” has two times of day. Write one, e.g. `{suggestion}`."),
    "parse.part_mismatch": _usage(
        "”{value}”: {clock} ligger inte inom den tid på dygnet du nämner. Skriv t.ex. "
        "`{suggestion}`, eller bara dag och klockslag.",
        "“{value}”: {clock} is not within the part of the day you name. Write e.g. "
        "`{suggestion}`, or just the day and time."),
    "parse.time_gap": _usage(
        "”{value}”: {at} finns inte — klockan ställs fram en timme den natten. Skriv t.ex. "
        "`{suggestion}`.",
        "“{value}”: {at} does not exist — the clocks go forward an hour that night. Write "
        "e.g. `{suggestion}`."),
    "parse.time_ambiguous": _usage(
        "”{value}”: {at} inträffar två gånger — klockan ställs tillbaka den natten. Skriv "
        "`{first}` (sommartid, första gången) eller `{second}` (vintertid, andra gången).",
        "“{value}”: {at} happens twice — the clocks go back that night. Write `{first}` "
        "(summer time, the first) or `{second}` (winter time, the second)."),
    "parse.offset_mismatch": _usage(
        "”{value}”: den UTC-förskjutningen gäller inte {at} i regionens tidszon. Skriv "
        "t.ex. `{suggestion}`.",
        "“{value}”: that UTC offset does not apply to {at} in the region's time zone. "
        "Write e.g. `{suggestion}`."),
    "parse.bad_interval": _usage(
        "Förstod inte intervallet ”{value}”. Skriv t.ex. `var 3:e timme`, `var 30:e minut` "
        "eller `varannan timme`.",
        "Could not read the interval “{value}”. Write e.g. `every 3 hours`, "
        "`every 30 minutes` or `every other hour`."),
    "parse.bad_rule": _usage(
        "Förstod inte regeln ”{value}”. Skriv t.ex. `varje tisdag 09:00`, `varje vecka "
        "torsdag 09:00`, `första måndagen i månaden 13:00`, `sista fredagen i månaden 10:00` "
        "eller `var 3:e timme`.",
        "Could not read the rule “{value}”. Write e.g. `every tuesday 09:00`, "
        "`first monday of the month 13:00`, `last friday of the month 10:00` "
        "or `every 3 hours`."),
    "parse.rule_missing_time": _usage(
        "Regeln ”{value}” saknar klockslag; skriv t.ex. `varje tisdag 09:00`.",
        "The rule “{value}” has no time of day; write e.g. `every tuesday 09:00`."),
    "parse.bad_number": _usage(
        "”{value}” är inte ett heltal från {min} till {max}.",
        "“{value}” is not a whole number from {min} to {max}."),
    # resurs … (bot.grammar.resources)
    "parse.resource_subcommand": _usage(
        "Ange vad du vill göra med resurser: {subcommands}.",
        "Say what to do with resources: {subcommands}."),
    "parse.missing_resource": _usage(
        "Ange vilken resurs det gäller, t.ex. `bandvagnar` eller `2 reservkraftverk 100 kVA`.",
        "Say which resource, e.g. `tracked vehicles` or `2 generators 100 kVA`."),
    "parse.resource_missing_time": _usage(
        "Efter ”{word}” ska en tid stå, t.ex. `{word} 18:00`.",
        "A time must follow “{word}”, e.g. `{word} 18:00`."),
    "parse.resource_two_counts": _usage(
        "Ange ett antal, inte två (”{first}” och ”{second}”), t.ex. `resurs behov 4 bandvagnar`; "
        "ett tal i specifikationen har sin enhet efter sig: `2 reservkraftverk 100 kVA`.",
        "Give one count, not two (“{first}” and “{second}”), e.g. `resource need 4 tracked "
        "vehicles`; a number in the specification has its unit after it: "
        "`2 generators 100 kVA`."),
    "parse.resource_pair": _usage(
        "Ange ett behov och ett erbjudande med nummer, t.ex. `resurs matcha 2 3` (fick ”{value}”).",
        "Give a need and an offer by number, e.g. `resource match 2 3` (got “{value}”)."),
    "parse.resource_number": _usage(
        "Ange resursens nummer (se `resurser`), t.ex. `resurs levererad 3` (fick ”{value}”).",
        "Give the resource's number (see `resources`), e.g. `resource delivered 3` "
        "(got “{value}”)."),
    "parse.missing_priority_target": _usage(
        "Ange vem eller vad resursen prioriteras till: `resurs prioritera bandvagnar till "
        "akut sjukvård och räddningstjänst`.",
        "Say whom or what the resource goes to first: `resource prioritise bandvagnar to "
        "acute healthcare and rescue`."),
    "name.unknown_forum": {
        "sv": "Okänt forum ”{name}”. Menade du: {suggestions}?",
        "en": "Unknown forum “{name}”. Did you mean: {suggestions}?",
    },
    "name.unknown_actor": {
        "sv": "Okänd aktör ”{name}”. Menade du: {suggestions}?",
        "en": "Unknown actor “{name}”. Did you mean: {suggestions}?",
    },
    "name.unknown_function": {
        "sv": "{actor} har ingen funktion ”{name}”. Menade du: {suggestions}?",
        "en": "{actor} has no function “{name}”. Did you mean: {suggestions}?",
    },
    "name.unknown_scenario": {
        "sv": "Okänt scenario ”{name}”. Menade du: {suggestions}?",
        "en": "Unknown scenario “{name}”. Did you mean: {suggestions}?",
    },
    "name.unknown_target": {
        "sv": "Okänd aktör eller funktion ”{name}”. Menade du: {suggestions}?",
        "en": "Unknown actor or function “{name}”. Did you mean: {suggestions}?",
    },
    "name.ambiguous_list": {
        "sv": "”{name}” kan läsas på flera sätt: {readings}. Skriv komma eller ”och” mellan "
              "namnen (t.ex. ”Polisen, Region Stockholm”) eller använd nycklarna.",
        "en": "“{name}” can be read in several ways: {readings}. Put commas or “and” between "
              "the names (e.g. “Polisen, Region Stockholm”) or use the keys.",
    },
    "name.ambiguous": {
        "sv": "”{name}” passar flera: {suggestions}. Skriv mer av namnet, "
              "eller funktion@aktör.",
        "en": "“{name}” matches several: {suggestions}. Write more of the name, "
              "or function@actor.",
    },
}
