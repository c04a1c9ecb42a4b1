"""Texts of the resources concern: needs, offers, matches, priorities (issue 15)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # -- refusals -------------------------------------------------------------------------
    "resource.unknown": {
        "sv": "Det finns ingen resurs nummer {n} i händelsen. Nummer: {known}. Se `resurser`.",
        "en": "There is no resource number {n} in this event. Numbers: {known}. See "
              "`resources`.",
    },
    "resource.final": {
        "sv": "Resurs {n} är redan {state}; den kan inte ändras längre. Registrera ett nytt "
              "behov eller erbjudande vid behov.",
        "en": "Resource {n} is already closed ({state}); it cannot change any more. Record a "
              "new need or offer if needed.",
    },
    "resource.not_a_pair": {
        "sv": "{first} och {second} är av samma slag; matcha ett behov med ett erbjudande.",
        "en": "{first} and {second} are of the same kind; match a need with an offer.",
    },
    "resource.already_matched": {
        "sv": "Resurs {n} är redan matchad med {partner}. Den som äger den kan `resurs "
              "återkalla {n}`; ett erbjudande kan avböjas.",
        "en": "Resource {n} is already matched with {partner}. Its owner can `resource "
              "withdraw {n}`; an offer can be declined.",
    },
    "resource.not_matched": {
        "sv": "Resurs {n} är inte matchad ännu; matcha först: `resurs matcha <behov> "
              "<erbjudande>`.",
        "en": "Resource {n} is not matched yet; match it first: `resource match <need> "
              "<offer>`.",
    },
    "resource.decline_need": {
        "sv": "Behov {n} har inget matchat erbjudande att avböja. Ditt eget behov tar du "
              "tillbaka med `resurs återkalla {n}`.",
        "en": "Need {n} has no matched offer to decline. Withdraw your own need with "
              "`resource withdraw {n}`.",
    },
    "resource.auth_match": {
        "sv": "Bara ordföranden ({chair}), Länsstyrelsen eller den erbjudande aktören "
              "({actor}) kan matcha erbjudande {n}.",
        "en": "Only the chair ({chair}), Länsstyrelsen or the offering actor ({actor}) can "
              "match offer {n}.",
    },
    "resource.not_yours": {
        "sv": "Resurs {n} tillhör {actor}; varje aktör beslutar om sina egna resurser. "
              "{actor} kan göra det här.",
        "en": "Resource {n} belongs to {actor}; each actor decides over its own resources. "
              "{actor} can do this.",
    },
    # -- replies --------------------------------------------------------------------------
    "resource.need_done": {
        "sv": "Behov {n} registrerat för {actor}: {what} (#{id}). Se `resurser`.",
        "en": "Need {n} recorded for {actor}: {what} (#{id}). See `resources`.",
    },
    "resource.offer_done": {
        "sv": "Erbjudande {n} registrerat för {actor}: {what} (#{id}). Se `resurser`.",
        "en": "Offer {n} recorded for {actor}: {what} (#{id}). See `resources`.",
    },
    "resource.matched": {
        "sv": "Matchat: behov {need} ({need_actor}) ← erbjudande {offer} ({offer_actor}). "
              "{offer_actor} levererar och markerar `resurs levererad {offer}`.",
        "en": "Matched: need {need} ({need_actor}) ← offer {offer} ({offer_actor}). "
              "{offer_actor} delivers and marks `resource delivered {offer}`.",
    },
    "resource.match_other_kind": {
        "sv": "Obs: behov {need} gäller {need_what}, erbjudande {offer} {offer_what}.",
        "en": "Note: need {need} is for {need_what}, offer {offer} is {offer_what}.",
    },
    "resource.match_short": {
        "sv": "Obs: erbjudande {offer} har {offer_count} av de {need_count} som behov {need} "
              "gäller; lägg ett nytt behov för resten.",
        "en": "Note: offer {offer} has {offer_count} of the {need_count} that need {need} "
              "asks for; record a new need for the rest.",
    },
    "resource.changed": {
        "sv": "{kind} {n} är nu {state}{also} (#{id}).",
        "en": "{kind} {n} is now {state}{also} (#{id}).",
    },
    "resource.elsewhere": {"sv": "Resurser (i #{id}): {text}",
                           "en": "Resources (in #{id}): {text}"},
    "resource.also": {"sv": "; {what} {m} är {state}", "en": "; {what} {m} is {state}"},
    "resource.prioritised": {
        "sv": "Beslut {n} om inriktning registrerat för {forum} (#{id}): {text}. Berörda "
              "behov: {needs}. Varje aktör beslutar om sina egna resurser.",
        "en": "Decision {n} on direction recorded for {forum} (#{id}): {text}. Needs "
              "concerned: {needs}. Each actor decides over its own resources.",
    },
    # -- the record (Swedish: the language of the record) ---------------------------------
    "resource.priority_text": {"sv": "{what} prioriteras till {to}{rank}"},
    "resource.rank": {"sv": " (ordning {rank})"},
    "log.resource_new": {"sv": "{kind} {n} för {actor}: {what}",
                         "en": "{kind} {n} for {actor}: {what}"},
    "log.resource_matched": {"sv": "matchade behov {need} med erbjudande {offer}: {what}",
                             "en": "matched need {need} with offer {offer}: {what}"},
    "log.resource_changed": {"sv": "{kind} {n} ({actor}: {what}) {state}{also}",
                             "en": "{kind} {n} ({actor}: {what}) {state}{also}"},
    "log.resource_reopened": {"sv": "; {kind} {m} är öppet igen",
                              "en": "; {kind} {m} is open again"},
    # -- listing, picture, protocol, agenda -----------------------------------------------
    "resources.header": {"sv": "**{mark}Resurser — #{id} {title}** ({at})",
                         "en": "**{mark}Resources — #{id} {title}** ({at})"},
    "resources.empty": {"sv": "Inga behov eller erbjudanden ännu. Registrera med `resurs behov "
                              "<vad>` eller `resurs erbjud <vad>`.",
                        "en": "No needs or offers yet. Record one with `resource need <what>` "
                              "or `resource offer <what>`."},
    "resources.open_needs": {"sv": "**Öppna behov ({n})**", "en": "**Open needs ({n})**"},
    "resources.open_offers": {"sv": "**Öppna erbjudanden ({n})**",
                              "en": "**Open offers ({n})**"},
    "resources.pairs": {"sv": "**Matchade par ({n})**", "en": "**Matched pairs ({n})**"},
    "resources.priorities": {"sv": "**Prioriteringar ({n})**", "en": "**Priorities ({n})**"},
    "resources.closed": {"sv": "**Avslutade ({n})**", "en": "**Closed ({n})**"},
    "resources.need": {"sv": "behov", "en": "need"},
    "resources.offer": {"sv": "erbjudande", "en": "offer"},
    "resources.place": {"sv": "i {place}", "en": "in {place}"},
    "resources.purpose": {"sv": "för {purpose}", "en": "for {purpose}"},
    "resources.by": {"sv": "senast {at}", "en": "by {at}"},
    "resources.available": {"sv": "tillgänglig {at}", "en": "available {at}"},
    "resources.pair": {"sv": "- behov {need} ({need_actor}: {need_what}) ← erbjudande {offer} "
                             "({offer_actor}: {offer_what}) — {state}",
                       "en": "- need {need} ({need_actor}: {need_what}) ← offer {offer} "
                             "({offer_actor}: {offer_what}) — {state}"},
    "resources.priority": {"sv": "- Beslut {n}: {what} → {to}{rank} — berör {needs}",
                           "en": "- Decision {n}: {what} → {to}{rank} — concerns {needs}"},
    "resources.no_needs": {"sv": "inga behov", "en": "no needs"},
    "resources.picture": {"sv": "**Resurser:** öppna behov — {needs}. Omatchade erbjudanden — "
                                "{offers}. (`resurser` visar allt.)",
                          "en": "**Resources:** open needs — {needs}. Unmatched offers — "
                                "{offers}. (`resources` shows everything.)"},
    "resources.none": {"sv": "inga", "en": "none"},
    "resources.state.open": {"sv": "öppet", "en": "open"},
    "resources.state.matched": {"sv": "matchat", "en": "matched"},
    "resources.state.delivered": {"sv": "levererat", "en": "delivered"},
    "resources.state.declined": {"sv": "avböjt", "en": "declined"},
    "resources.state.withdrawn": {"sv": "återkallat", "en": "withdrawn"},
    "protocol.resources": {"sv": "## Resurser", "en": "## Resources"},
    "agenda.needs": {"sv": "{item} — öppna resursbehov: {needs}",
                     "en": "{item} — open resource needs: {needs}"},
}
