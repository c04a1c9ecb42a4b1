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

INVITE_REFUSED = (
    "**Kunde inte nå {name}** ({mxid}) med inbjudan till krigsrummet för #{id}: {reason}. "
    "{fallback}"
)
INVITE_FALLBACK = (
    "Ring aktören; kvitterar ingen inom kvitteringstiden kallas ersättaren automatiskt."
)
INVITE_FALLBACK_PHONE = (
    "Ring {phone}; kvitterar ingen inom kvitteringstiden kallas ersättaren automatiskt."
)
STATUS_HEAD = "**Inbjudningar:** {n} av {total} inbjudna · {acked} av {called} har kvitterat."
STATUS_WAITING = (
    "Servern begränsar inbjudningar; återstår (~{minutes} min): {who}"
)
STATUS_MISSING = "Har inte kvitterat: {who}"
THROTTLED = (
    "Krigsrummet för #{id} är öppnat. Servern begränsar inbjudningar: {first} av {total} "
    "bjöds in direkt, resten följer i tur och ordning (~{minutes} min). Ingen hoppas över."
)
UPGRADE_FOLLOWED = "Rummet har uppgraderats; Samverkansboten har följt med hit."
UPGRADE_BLOCKED = (
    "Rummet {old} har uppgraderats till ett nytt rum som Samverkansboten inte kan gå med i. "
    "Bjud in boten ({bot}) i det nya rummet; till dess når kommandon där inte fram."
)
ROOM_REFUSED = (
    "**Krigsrummet för #{id} kunde inte skapas på Matrix** ({reason}). Aktiveringen gäller "
    "ändå: kalla de berörda på annat sätt, och be Matrix-administratören kontrollera botens "
    "konto."
)
