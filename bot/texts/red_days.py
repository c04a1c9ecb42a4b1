"""Texts of röda dagar: flags on meetings that fall on a holiday, and `möte flytta`."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "red.flag": {
        "sv": "  🔴 {when} är {name} (röd dag). Förslag: {suggestion} — "
              "`möte flytta {mid} {day}`",
        "en": "  🔴 {when} is {name} (a Swedish public holiday or day off). Suggested: "
              "{suggestion} — `meeting move {mid} {day}`",
    },
    "red.flag_no_suggestion": {
        "sv": "  🔴 {when} är {name} (röd dag). Flytta med `möte flytta {mid} <datum>`.",
        "en": "  🔴 {when} is {name} (a Swedish public holiday or day off). Move it with "
              "`meeting move {mid} <date>`.",
    },
    "meeting.moved": {
        "sv": "Möte {mid} ({forum}): {old} är flyttat till {new}. Övriga tillfällen följer "
              "regeln ({rule}).{flag}",
        "en": "Meeting {mid} ({forum}): {old} is moved to {new}. Other occurrences follow "
              "the rule ({rule}).{flag}",
    },
    "meeting.moved_back": {
        "sv": "Möte {mid} ({forum}): tillfället hålls åter enligt regeln, {new}.",
        "en": "Meeting {mid} ({forum}): the occurrence is back at its rule's time, {new}.",
    },
    "meeting.no_occurrence": {
        "sv": "Möte {mid} har inget kommande tillfälle nära {day}. Se `möte lista`; ange "
              "vilket tillfälle som flyttas: `möte flytta {mid} <från> till <datum>`.",
        "en": "Meeting {mid} has no coming occurrence near {day}. See `meeting list`; say "
              "which one moves: `meeting move {mid} <from> to <date>`.",
    },
    "meeting.move_which": {
        "sv": "Två tillfällen av möte {mid} ligger lika nära {day}: {first} och {second}. "
              "Ange vilket: `möte flytta {mid} {example} till {day}`.",
        "en": "Two occurrences of meeting {mid} are as near to {day}: {first} and {second}. "
              "Say which: `meeting move {mid} {example} to {day}`.",
    },
    "meeting.move_past": {
        "sv": "{new} har redan passerat; ett möte kan bara flyttas framåt i tiden.",
        "en": "{new} has already passed; a meeting can only be moved to a time ahead.",
    },
    "meeting.move_order": {
        "sv": "{new} ligger inte mellan föregående ({before}) och nästa tillfälle ({after}); "
              "flytta till en tid däremellan eller stoppa mötet och planera ett nytt.",
        "en": "{new} is not between the previous ({before}) and the next occurrence "
              "({after}); choose a time in between, or stop the meeting and plan a new one.",
    },
}
