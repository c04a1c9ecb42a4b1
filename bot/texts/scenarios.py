"""Texts of playbooks at work (bot.handlers.scenarios)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "checklist.header": {"sv": "**Checklista för {scenario}** — bocka av med `klar <nr>`:",
                         "en": "**Checklist for {scenario}** — tick with `done <no>`:"},
    "checklist.by": {"sv": "{who} {at}", "en": "{who} {at}"},
    "checklist.none": {"sv": "#{id} har inget scenario med checklista.",
                       "en": "#{id} has no scenario with a checklist."},
    "checklist.no_item": {"sv": "Checklistan har {total} {total:punkt|punkter}; {n} finns inte.",
                          "en": "The checklist has {total} {total:item|items}; there is no {n}."},
    "checklist.already": {"sv": "Punkt {n} är redan klar ({by}). Inget ändrat.",
                          "en": "Item {n} is done already ({by}). Nothing changed."},
    "checklist.ticked": {"sv": "☑ Punkt {n} klar: {item} — {by} ({done}/{total}).",
                         "en": "☑ Item {n} done: {item} — {by} ({done}/{total})."},
    "checklist.done": {"sv": "Punkt {n} bockad: {item} ({done}/{total} klara).",
                       "en": "Item {n} ticked: {item} ({done}/{total} done)."},
    "checklist.status": {"sv": ", checklista {done}/{total}",
                         "en": ", checklist {done}/{total}"},
    "log.checklist": {"sv": "bockade av punkt {n} på checklistan: {item}",
                      "en": "ticked item {n} of the checklist: {item}"},
    "protocol.checklist": {"sv": "## Checklista", "en": "## Checklist"},
    "followup.no_decision": {"sv": "Det finns inget beslut {n} i händelsen ({count} beslut).",
                             "en": "There is no decision {n} in the event ({count} "
                                   "{count:decision|decisions})."},
    "followup.done": {"sv": "Uppföljning av beslut {n} registrerad (#{id}).",
                      "en": "Follow-up of decision {n} recorded (#{id})."},
    "log.followup": {"sv": "uppföljning av beslut {n} ({forum}): {text}",
                     "en": "follow-up of decision {n} ({forum}): {text}"},
    "room.followup": {"sv": "Uppföljning av beslut {n} (\"{decision}\") från {by}: {text}",
                      "en": "Follow-up of decision {n} (\"{decision}\") from {by}: {text}"},
    "protocol.followup": {"sv": "   - uppföljning {at} ({by}): {text}",
                          "en": "   - follow-up {at} ({by}): {text}"},
    "protocol.mode": {"sv": "ordinarie läge", "en": "ordinary mode"},
    "template.none": {"sv": "#{id} har inget scenario med budskapsmallar.",
                      "en": "#{id} has no scenario with message templates."},
    "template.list": {"sv": "**Budskapsmallar för {scenario}** — `budskap mall <namn>`:",
                      "en": "**Message templates for {scenario}** — `message template <name>`:"},
    "template.unknown": {"sv": "Det finns ingen mall ”{name}”. Mallar: {names}.",
                         "en": "There is no template “{name}”. Templates: {names}."},
    "scenarios.header": {"sv": "**Scenarier ({n})** — `aktivera <forum> <scenario> <rubrik>` "
                               "eller `övning <scenario>`:",
                         "en": "**Scenarios ({n})** — `activate <forum> <scenario> <title>` "
                               "or `exercise <scenario>`:"},
    "scenarios.line": {"sv": "- `{key}` {name} ({aliases}) — {forum}{rhythm}; {extra} extra "
                             "{extra:kallad|kallade}, checklista {checklist} "
                             "{checklist:punkt|punkter}, mallar: {templates}",
                       "en": "- `{key}` {name} ({aliases}) — {forum}{rhythm}; {extra} extra "
                             "called, checklist {checklist} {checklist:item|items}, "
                             "templates: {templates}"},
    "scenarios.rhythm": {"sv": ", konferens {every}", "en": ", conference {every}"},
    "scenarios.footer": {"sv": "Regionens egna scenarier ligger i dess konfigurationsmapp "
                               "(se README, Scenarier).",
                         "en": "The region's own scenarios live in its config folder "
                               "(see README, Scenarios)."},
}
