"""Texts of the watchers of public warnings (SMHI, VMA, Krisinformation)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # -- watcher posts in the coordinating forum's standing room -----------------------------
    "watch.new.smhi": {"sv": "⚠️ **Ny varning från SMHI** — {title}",
                       "en": "⚠️ **New SMHI warning** — {title}"},
    "watch.update.smhi": {"sv": "⚠️ **Uppdaterad varning från SMHI** — {title}",
                          "en": "⚠️ **Updated SMHI warning** — {title}"},
    "watch.cancel.smhi": {"sv": "✅ **SMHI:s varning är borttagen** — {title}",
                          "en": "✅ **SMHI's warning is withdrawn** — {title}"},
    "watch.new.vma": {"sv": "📢 **VMA** — {title}", "en": "📢 **VMA** — {title}"},
    "watch.update.vma": {"sv": "📢 **Uppdaterat VMA** — {title}",
                         "en": "📢 **Updated VMA** — {title}"},
    "watch.cancel.vma": {"sv": "✅ **VMA är återkallat** — {title}",
                         "en": "✅ **VMA is cancelled** — {title}"},
    "watch.new.krisinformation": {"sv": "ℹ️ **Krisinformation.se** — {title}",
                                  "en": "ℹ️ **Krisinformation.se** — {title}"},
    "watch.update.krisinformation": {"sv": "ℹ️ **Uppdaterat på Krisinformation.se** — {title}",
                                     "en": "ℹ️ **Updated on Krisinformation.se** — {title}"},
    "watch.cancel.krisinformation": {
        "sv": "✅ **Borttaget från Krisinformation.se** — {title}",
        "en": "✅ **Removed from Krisinformation.se** — {title}"},
    "watch.times": {"sv": "Gäller {start} – {end}.", "en": "Valid {start} – {end}."},
    "watch.open_end": {"sv": "tills vidare", "en": "until further notice"},
    "watch.published": {"sv": "Publicerad {at}.", "en": "Published {at}."},
    "watch.link": {"sv": "Mer: {url}", "en": "More: {url}"},
    "watch.suggest": {"sv": "Förslag: `aktivera {forum} oväder {title}`",
                      "en": "Suggestion: `activate {forum} oväder {title}`"},
    "watch.suggest_title": {"sv": "{level} varning {event} {date}",
                            "en": "{level} warning {event} {date}"},
}
