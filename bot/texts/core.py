"""Texts of the core handlers. Swedish is the language of the model; English mirrors it."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # -- activation ---------------------------------------------------------------------------
    "activation.opened": {
        "sv": "{mark}Aktivering #{id} '{title}' — {forum} aktiverat; {n} "
              "{n:funktion|funktioner} hos {actors} {actors:aktör|aktörer} {n:kallad|kallade} "
              "till krisrummet '{id} {title}'. Ordförande: {chair}. "
              "Alla kallade ska svara `kvittera`.",
        "en": "{mark}Activation #{id} '{title}' — {forum} activated; {n} "
              "{n:function|functions} of {actors} {actors:actor|actors} called to the war room "
              "'{id} {title}'. Chair: {chair}. Everyone called must answer `ack`.",
    },
    "activation.scenario": {
        "sv": "Scenario: {scenario} (dess kallelser, checklista och konferensrytm).",
        "en": "Scenario: {scenario} (its calls, checklist and conference rhythm).",
    },
    "activation.first_conference": {
        "sv": "Första samverkanskonferens {at}, sedan {every} (`konferens` visar "
              "kommande).",
        "en": "First samverkanskonferens {at}, then {every} (`conference` lists "
              "them).",
    },
    "activation.escalated": {
        "sv": "{mark}Eskalerat: #{parent} → #{id} '{title}' — {forum} aktiverat; {n} "
              "{n:funktion|funktioner} hos {actors} {actors:aktör|aktörer} {n:kallad|kallade}. "
              "Rummen är länkade. Ordförande: {chair}.",
        "en": "{mark}Escalated: #{parent} → #{id} '{title}' — {forum} activated; {n} "
              "{n:function|functions} of {actors} {actors:actor|actors} called. The rooms are "
              "linked. Chair: {chair}.",
    },
    "activation.closed": {
        "sv": "Aktivering #{id} '{title}' är avaktiverad. Protokollet är sparat och postat i "
              "krisrummet.",
        "en": "Activation #{id} '{title}' is closed. The protocol is stored and posted in the "
              "war room.",
    },
    "activation.no_forum": {
        "sv": "Ange vilket forum som ska aktiveras. Exempel: `aktivera samordnande oväder "
              "Snöstorm Gorm`",
        "en": "Say which forum to activate. Example: `activate samordnande storm Snowstorm Gorm`",
    },
    "activation.no_escalation": {
        "sv": "{forum} har ingen nivå över sig att eskalera till. Ange forum: "
              "`eskalera inriktande`",
        "en": "{forum} has no level above it. Name the forum: `escalate inriktande`",
    },
    "activation.duplicate": {
        "sv": "{forum} har redan en aktiv aktivering med samma rubrik: #{id} '{title}' "
              "(sedan {since}), krisrum '{room}'. Skriv där, eller `#{id}` först i kommandot. "
              "Är det verkligen en ny händelse: `{again}`.",
        "en": "{forum} already has an active activation with the same title: #{id} "
              "'{title}' (since {since}), war room '{room}'. Write there, or `#{id}` first in "
              "the command. If it really is a new event: `{again}`.",
    },
    "activation.concurrent": {
        "sv": "En annan aktivering sparades samtidigt (#{id}); inget ändrat. Försök igen.",
        "en": "Another activation was saved at the same moment (#{id}); nothing changed. "
              "Try again.",
    },
    "activation.already_active": {
        "sv": "{forum} är redan aktiverat för händelsen (#{id}). Gå till det rummet.",
        "en": "{forum} is already active for this event (#{id}). Use that room.",
    },
    "activation.unknown": {
        "sv": "Det finns ingen aktivering #{id}. Se `status` för pågående aktiveringar.",
        "en": "There is no activation #{id}. See `status` for running activations.",
    },
    "activation.none_for_you": {
        "sv": "Du är inte kallad till någon pågående aktivering. Skriv kommandot i krisrummet "
              "eller ange id: `läge #2026-004 …`. Se `status`.",
        "en": "You are not called to any running activation. Write the command in the war room "
              "or give the id: `report #2026-004 …`. See `status`.",
    },
    "activation.which": {
        "sv": "Du deltar i flera aktiveringar ({ids}). Ange vilken, t.ex. `{word} #{first} …`, "
              "eller skriv i krisrummet.",
        "en": "You take part in several activations ({ids}). Say which, e.g. "
              "`{word} #{first} …`, or write in the war room.",
    },
    "activation.closed_already": {
        "sv": "Aktivering #{id} är redan avaktiverad; registret är stängt. `logg` och "
              "`lägesbild` går att läsa.",
        "en": "Activation #{id} is already closed; the record is closed. `log` and `picture` "
              "can still be read.",
    },
    # -- permissions --------------------------------------------------------------------------
    "auth.not_in_roster": {
        "sv": "Du ({user}) finns inte i rollförteckningen, så boten kan inte ta emot kommandon "
              "från dig. Kontakta Länsstyrelsens TiB. `hjälp` fungerar för alla.",
        "en": "You ({user}) are not in the roster, so the bot cannot take commands from you. "
              "Contact Länsstyrelsen's TiB. `help` works for everyone.",
    },
    "auth.not_participant": {
        "sv": "Du är inte kallad till aktivering #{id}. Be ordföranden kalla din funktion: "
              "`kalla <funktion>@<aktör>`.",
        "en": "You are not called to activation #{id}. Ask the chair to call your function: "
              "`call <function>@<actor>`.",
    },
    "auth.no_mandate": {
        "sv": "Du har inte mandat att aktivera {forum}. Dina funktioner: {functions}. "
              "Kontakta Länsstyrelsens TiB, som sammankallar forumet.",
        "en": "You have no mandate to activate {forum}. Your functions: {functions}. "
              "Contact Länsstyrelsen's TiB, who convenes the forum.",
    },
    "auth.escalate": {
        "sv": "Bara ordföranden ({chair}) eller Länsstyrelsen kan eskalera.",
        "en": "Only the chair ({chair}) or Länsstyrelsen can escalate.",
    },
    "auth.deactivate": {
        "sv": "Bara ordföranden ({chair}) eller Länsstyrelsen kan avaktivera.",
        "en": "Only the chair ({chair}) or Länsstyrelsen can deactivate.",
    },
    "auth.chair": {
        "sv": "Bara ordföranden ({chair}) eller Länsstyrelsen kan lämna över ordförandeskapet; "
              "ordföranden utses på mötet.",
        "en": "Only the chair ({chair}) or Länsstyrelsen can hand over the chair; the chair "
              "is decided at the meeting.",
    },
    # -- timeline -----------------------------------------------------------------------------
    "log.activated": {"sv": "aktiverade {forum}: {title}", "en": "activated {forum}: {title}"},
    "log.escalated": {"sv": "eskalerade till {forum} (#{id})",
                     "en": "escalated to {forum} (#{id})"},
    "log.called": {"sv": "kallade {n} {n:funktion|funktioner}: {who}",
                   "en": "called {n} {n:function|functions}: {who}"},
    "log.closed": {"sv": "avaktiverade; sammanfattning: {summary}",
                   "en": "deactivated; summary: {summary}"},
    "log.acked": {"sv": "kvitterade som {function}", "en": "acknowledged as {function}"},
    "log.chair": {"sv": "ordförandeskapet gick från {before} till {after}",
                  "en": "the chair passed from {before} to {after}"},
    "log.decision": {"sv": "beslut {n} om inriktning ({forum}): {text}",
                     "en": "decision {n} on direction ({forum}): {text}"},
    "log.commitment": {"sv": "åtagande för {actor}: {text}",
                      "en": "commitment for {actor}: {text}"},
    "log.message": {"sv": "föreslog gemensamt budskap {n}: {text}",
                    "en": "proposed common message {n}: {text}"},
    "log.approved": {"sv": "{actor} godkände budskap {n}", "en": "{actor} approved message {n}"},
    "log.header": {"sv": "**Logg #{id} '{title}'** (senaste {n})",
                   "en": "**Log #{id} '{title}'** (last {n})"},
    "log.system": {"sv": "Boten", "en": "The bot"},
    # -- rooms --------------------------------------------------------------------------------
    "room.summary": {
        "sv": "**{mark}Aktivering #{id}: {title}**\n{forum}. Ordförande: {chair}.\n"
              "{n} {n:funktion|funktioner} hos {actors} {actors:aktör|aktörer} är "
              "{n:kallad|kallade} — svara `kvittera`:\n{who}",
        "en": "**{mark}Activation #{id}: {title}**\n{forum}. Chair: {chair}.\n"
              "{n} {n:function|functions} of {actors} {actors:actor|actors} {n:is|are} called "
              "— answer `ack`:\n{who}",
    },
    "room.topic": {"sv": "{forum} ({level}) · ordförande: {chair}",
                   "en": "{forum} ({level}) · chair: {chair}"},
    "room.escalated": {"sv": "Händelsen är eskalerad till {forum}: #{id}.",
                       "en": "The event is escalated to {forum}: #{id}."},
    "room.called": {"sv": "{by} kallade in:\n{who}", "en": "{by} called in:\n{who}"},
    "room.chair": {"sv": "Ny ordförande: {who}.", "en": "New chair: {who}."},
    "room.message": {"sv": "Förslag till gemensamt budskap {n} från {by}: \"{text}\" — "
                           "godkänn med `godkänn {n}`.",
                     "en": "Proposed common message {n} from {by}: \"{text}\" — approve with "
                           "`approve {n}`."},
    "room.message_approved": {"sv": "Gemensamt budskap {n} är godkänt ({actors}): \"{text}\". "
                                    "Varje aktör publicerar i sina egna kanaler.",
                              "en": "Common message {n} is approved ({actors}): \"{text}\". "
                                    "Each actor publishes on its own channels."},
    "forum.notice": {"sv": "{mark}{forum} är aktiverat av {by}: #{id} '{title}'.",
                     "en": "{mark}{forum} was activated by {by}: #{id} '{title}'."},
    "exercise.mark": {"sv": "ÖVNING ", "en": "EXERCISE "},
    # -- composition --------------------------------------------------------------------------
    "call.done": {"sv": "{n} {n:funktion|funktioner} {n:kallad|kallade} till #{id}: {who}."
                        "{already}",
                  "en": "{n} {n:function|functions} called to #{id}: {who}.{already}"},
    "call.already": {"sv": " Redan kallade: {who}.", "en": " Already called: {who}."},
    "call.all_present": {"sv": "Alla är redan kallade: {who}. Inget ändrat.",
                         "en": "All are already called: {who}. Nothing changed."},
    "ack.done": {"sv": "Kvitterat för #{id}: {functions}. {missing} {missing:kallad|kallade} "
                       "har inte kvitterat.",
                 "en": "Acknowledged for #{id}: {functions}. {missing} called "
                       "{missing:has|have} not acknowledged."},
    "ack.already": {"sv": "Du har redan kvitterat i #{id}.",
                    "en": "You have already acknowledged in #{id}."},
    "ack.to_deputy": {"sv": "{function}: <@{silent}> har inte kvitterat; eskalerat till "
                            "ersättaren <@{person}> (svara inom {minutes} min med `kvittera`).",
                      "en": "{function}: <@{silent}> has not acknowledged; escalated to the "
                            "deputy <@{person}> (answer within {minutes} min with `ack`)."},
    "ack.to_fallback": {"sv": "{function}: <@{silent}> har inte kvitterat; eskalerat till "
                              "aktörens jourfunktion <@{person}> (svara inom {minutes} min).",
                        "en": "{function}: <@{silent}> has not acknowledged; escalated to the "
                              "actor's duty function <@{person}> (answer within {minutes} "
                              "min)."},
    "ack.covered": {"sv": "{function}: <@{silent}> har inte kvitterat; täcks av {by} "
                          "(<@{person}>), som redan har kvitterat i aktiveringen.",
                    "en": "{function}: <@{silent}> has not acknowledged; covered by {by} "
                          "(<@{person}>), who has already acknowledged in the activation."},
    "ack.covered_self": {"sv": "{function}: <@{silent}> har redan kvitterat som {by}; "
                               "räknas som nådd.",
                         "en": "{function}: <@{silent}> has already acknowledged as {by}; "
                               "counted as reached."},
    "ack.no_more": {"sv": "{function}: <@{person}> har inte kvitterat och det finns inga fler "
                          "att eskalera till. Ring aktören.",
                    "en": "{function}: <@{person}> has not acknowledged and there is nobody "
                          "further to escalate to. Phone the actor."},
    "chair.not_called": {"sv": "{who} är inte kallad. Kalla först: `kalla {who}`.",
                         "en": "{who} is not called. Call first: `call {who}`."},
    "chair.same": {"sv": "{who} är redan ordförande.", "en": "{who} already chairs."},
    "chair.done": {"sv": "Ordförande i #{id} är nu {who}.",
                  "en": "The chair of #{id} is now {who}."},
    # -- record -------------------------------------------------------------------------------
    "report.done": {"sv": "Läge från {actor} registrerat (lägesbild v{version}, #{id}).",
                    "en": "Report from {actor} recorded (picture v{version}, #{id})."},
    "decision.done": {"sv": "Beslut {n} om inriktning registrerat för {forum} (#{id}). Varje "
                            "aktör beslutar i sin egen organisation.",
                      "en": "Decision {n} on direction recorded for {forum} (#{id}). Each actor "
                            "decides in its own organisation."},
    "commit.done": {"sv": "Åtagande för {actor} registrerat (#{id}).",
                    "en": "Commitment for {actor} recorded (#{id})."},
    "commit.actor_not_called": {"sv": "{actor} är inte kallad till händelsen. Kalla först: "
                                      "`kalla {actor}`.",
                                "en": "{actor} is not called to the event. Call first: "
                                      "`call {actor}`."},
    "commit.own_actor": {"sv": "Du kan bara registrera åtaganden för din egen aktör ({own}); "
                               "varje aktör beslutar i sin egen organisation. {actor} registrerar "
                               "sina egna, eller ordföranden eller Länsstyrelsen dokumenterar "
                               "dem. Ett eget åtagande: `åtagande <vad {own} gör>`.",
                         "en": "You can only record commitments for your own actor ({own}); "
                               "each actor decides in its own organisation. {actor} records its "
                               "own, or the chair or Länsstyrelsen documents them. Your own: "
                               "`commit <what {own} does>`."},
    "message.proposed": {"sv": "Budskap {n} föreslaget (#{id}); det behöver godkännas av "
                               "ordförandens aktör och minst en aktör till.",
                         "en": "Message {n} proposed (#{id}); it needs the approval of the "
                               "chair's actor and at least one more actor."},
    "message.approved": {"sv": "Budskap {n} är godkänt av {actors} (#{id}).",
                         "en": "Message {n} is approved by {actors} (#{id})."},
    "message.endorsed": {"sv": "Godkännande registrerat för budskap {n} ({actors}); väntar "
                               "på {chair} eller ytterligare en aktör.",
                         "en": "Approval recorded for message {n} ({actors}); waiting for "
                               "{chair} or one more actor."},
    "message.already_approved": {"sv": "{actor} har redan godkänt budskap {n}.",
                                 "en": "{actor} has already approved message {n}."},
    "message.unknown": {"sv": "Det finns inget budskap {n}. Budskap: {known}. Exempel: "
                              "`godkänn 1`",
                        "en": "There is no message {n}. Messages: {known}. Example: "
                              "`approve 1`"},
    "message.none_pending": {"sv": "Inget budskap väntar på godkännande. Föreslå ett: "
                                   "`budskap Undvik onödiga resor`",
                             "en": "No message is waiting for approval. Propose one: "
                                   "`message Avoid unnecessary travel`"},
    "message.which": {"sv": "Flera budskap väntar ({numbers}). Ange vilket: `godkänn 2`",
                      "en": "Several messages are waiting ({numbers}). Say which: `approve 2`"},
    "picture.header": {"sv": "**{mark}Samlad lägesbild v{version} — #{id} {title}** ({at})",
                       "en": "**{mark}Compiled situation picture v{version} — #{id} {title}** "
                             "({at})"},
    "picture.empty": {"sv": "Inga aktörer har rapporterat ännu. Rapportera med `läge <text>`.",
                      "en": "No actor has reported yet. Report with `report <text>`."},
    "picture.missing": {"sv": "**Ej rapporterat ({n}):** {names}",
                        "en": "**Not reported ({n}):** {names}"},
    "picture.all_reported": {"sv": "Alla kallade aktörer har rapporterat.",
                             "en": "Every called actor has reported."},
    # -- protocol -----------------------------------------------------------------------------
    "protocol.title": {"sv": "# {mark}Protokoll #{id}: {title}",
                      "en": "# {mark}Protocol #{id}: {title}"},
    "protocol.meta": {"sv": "{forum} ({level}). Aktiverat {opened} av {by} ({as_}); "
                            "avslutat {closed}. Ordförande: {chair}. Andra forum för händelsen: "
                            "{others}.",
                      "en": "{forum} ({level}). Activated {opened} by {by} ({as_}); closed "
                            "{closed}. Chair: {chair}. Other forums of the event: {others}."},
    # the structured fields of a `läge` report (keys: bot.grammar.words.REPORT_FIELDS)
    "report.field.handelse": {"sv": "Händelse", "en": "Event"},
    "report.field.kalla": {"sv": "Källa", "en": "Source"},
    "report.field.plats": {"sv": "Plats", "en": "Place"},
    "report.field.tid": {"sv": "Tid", "en": "Time"},
    "report.field.omfattning": {"sv": "Omfattning", "en": "Scope"},
    "report.field.konsekvenser": {"sv": "Konsekvenser", "en": "Consequences"},
    "report.field.atgarder": {"sv": "Vidtagna åtgärder", "en": "Actions taken"},
    "report.field.planerade_atgarder": {"sv": "Planerade åtgärder", "en": "Planned actions"},
    "report.field.resurser": {"sv": "Resurser", "en": "Resources"},
    "report.field.samverkansbehov": {"sv": "Samverkansbehov", "en": "Needs for coordination"},
    "report.field.kommunikation": {"sv": "Kommunikation", "en": "Communication"},
    "report.field.bedomning": {"sv": "Bedömning", "en": "Assessment"},
    "report.field.osakerheter": {"sv": "Osäkerheter", "en": "Uncertainties"},
    "report.field.nasta_rapport": {"sv": "Nästa rapport", "en": "Next report"},
    "protocol.still_open": {"sv": "– (pågår)", "en": "– (ongoing)"},
    "protocol.participants": {"sv": "## Kallade funktioner", "en": "## Called functions"},
    "protocol.acked": {"sv": "kvitterade {at} ({by})", "en": "acknowledged {at} ({by})"},
    "protocol.not_acked": {"sv": "ej kvitterat", "en": "not acknowledged"},
    "protocol.covered": {"sv": "täcks av {by}", "en": "covered by {by}"},
    "protocol.stage": {"sv": " ({stage}; ursprungligen {holder})",
                       "en": " ({stage}; originally {holder})"},
    "protocol.reports": {"sv": "## Lägesrapporter", "en": "## Situation reports"},
    "protocol.decisions": {"sv": "## Beslut om inriktning", "en": "## Decisions on direction"},
    "protocol.commitments": {"sv": "## Aktörernas åtaganden", "en": "## Actors' commitments"},
    "protocol.messages": {"sv": "## Gemensamma budskap", "en": "## Common messages"},
    "protocol.approved": {"sv": "godkänt {at}", "en": "approved {at}"},
    "protocol.pending": {"sv": "ej godkänt", "en": "not approved"},
    "protocol.approvals": {"sv": "godkänt av {by}", "en": "approved by {by}"},
    "protocol.timeline": {"sv": "## Tidslinje", "en": "## Timeline"},
    "protocol.summary": {"sv": "## Sammanfattning", "en": "## Summary"},
    "protocol.none": {"sv": "- (inga)", "en": "- (none)"},
    # -- info ---------------------------------------------------------------------------------
    "status.header": {"sv": "**Pågående aktiveringar: {n}**", "en": "**Running activations: {n}**"},
    "status.line": {"sv": "- {mark}#{id} '{title}' — {forum}, ordförande {chair}, "
                          "{acked}/{n} kvitterade, sedan {since}",
                    "en": "- {mark}#{id} '{title}' — {forum}, chair {chair}, {acked}/{n} "
                          "acknowledged, since {since}"},
    "status.none": {"sv": "- (inga)", "en": "- (none)"},
    "who.actor_header": {"sv": "**{actor}** — i tjänst nu:", "en": "**{actor}** — on duty now:"},
    "who.line": {"sv": "- {function}: {person} ({handles}); ersättare: {deputy}",
                 "en": "- {function}: {person} ({handles}); deputy: {deputy}"},
    "help.header": {"sv": "**Samverkansboten — kommandon** (i Slack `/`, i Matrix `!`):",
                    "en": "**Samverkansboten — commands** (in Slack `/`, in Matrix `!`):"},
    "help.footer": {"sv": "Mer om ett kommando: `hjälp <kommando>`. Aktivering kan anges med "
                          "`#id` direkt efter kommandot.",
                    "en": "More on one command: `help <command>`. An activation can be given "
                          "as `#id` right after the command."},
    "help.one": {"sv": "**{name}** — {summary}\nAnvändning: `{usage}`\nExempel: `{example}`",
                 "en": "**{name}** — {summary}\nUsage: `{usage}`\nExample: `{example}`"},
    "error.internal": {"sv": "Något gick fel i boten; inget ändrades. Felet är loggat. Försök "
                             "igen eller kontakta administratören.",
                       "en": "Something went wrong in the bot; nothing changed. The error is "
                             "logged. Try again or contact the administrator."},
    "error.not_available": {"sv": "Kommandot '{command}' är inte tillgängligt i den här "
                                  "installationen.",
                            "en": "The command '{command}' is not available here."},
    "delivery.duplicate": {"sv": "Kommandot har redan tagits emot och utförts en gång.",
                           "en": "This command was already received and carried out once."},
}
