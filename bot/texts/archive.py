"""Texts of the protocol for the archive: attendance per conference, the links to its files."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "protocol.attendance": {"sv": "## Närvaro per samverkanskonferens",
                            "en": "## Attendance per conference"},
    "protocol.conference": {"sv": "### Samverkanskonferens {at} (#{id})",
                            "en": "### Conference {at} (#{id})"},
    "protocol.attendance_head": {"sv": "| Aktör | Funktion | Person | Svarade |",
                                 "en": "| Actor | Function | Person | Answered |"},
    "protocol.nobody": {"sv": "Ingen svarade på uppropet.",
                        "en": "Nobody answered the roll call."},
    "protocol.files": {"sv": "Protokollet för arkivet: {links}",
                       "en": "The protocol for the archive: {links}"},
}
