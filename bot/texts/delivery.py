"""What the bot says about its own deliveries (posts and invitations that cannot be done)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "delivery.undeliverable": {
        "sv": "Ett meddelande som ditt kommando gav kunde inte levereras till {room} "
              "({reason}) och skickas inte igen. Början av det:\n\n> {excerpt}",
        "en": "A message caused by your command could not be delivered to {room} "
              "({reason}) and will not be sent again. It began:\n\n> {excerpt}",
    },
    "delivery.room.activation": {"sv": "krigsrummet för #{key}", "en": "the war room of #{key}"},
    "delivery.room.forum": {"sv": "forumets rum ({key})", "en": "the forum's room ({key})"},
    "delivery.room.other": {"sv": "rummet", "en": "the room"},
}
