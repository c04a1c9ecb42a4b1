"""What the Matrix adapter itself says (the core's replies come from bot.texts)."""

from __future__ import annotations

DECLINE_REASON = (
    "Samverkansboten går bara med i rum på inbjudan av personer i rullan (rosterfilen). "
    "Be din organisations rullansvarige lägga till ditt Matrix-id."
)

ENCRYPTED_ROOM = (
    "Det här rummet är krypterat, och Samverkansboten kan inte läsa krypterade rum: "
    "kommandon som **!aktivera** når inte fram här.\n"
    "Skapa ett okrypterat rum: i Element, välj *Nytt rum*, öppna *Visa avancerat* och slå av "
    "*Aktivera end-to-end-kryptering* (det går inte att stänga av i efterhand), och bjud "
    "sedan in boten. Krigsrum som boten själv öppnar är alltid okrypterade."
)

INVITE_FAILED = "Kunde inte bjuda in {name} ({mxid}): {reason}"
INVITE_FAILED_HEAD = "**Inbjudan misslyckades** — bjud in manuellt eller kontrollera rullan:"

LINKED_FROM = "Länkat rum: {link} (aktivering #{activation_id})."
CLOSED_SUFFIX = " (avslutad)"
PROTOCOL_PART = "*Protokoll, del {n} av {total}*\n\n"
INTERNAL_ERROR = (
    "Kommandot kunde inte behandlas just nu på grund av ett internt fel. "
    "Försök igen om en stund; felet är loggat."
)
