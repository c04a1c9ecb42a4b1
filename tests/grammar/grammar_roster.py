"""A small Stockholm roster built in Python, so the grammar tests need no roster file."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.roster import Roster

TZ = ZoneInfo("Europe/Stockholm")
# Tuesday 10 March 2026, 12:00 in Stockholm (11:00 UTC).
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=TZ)


def _fn(key: str, name: str, *aliases: str, holder: str = "p1") -> dict[str, Any]:
    return {"key": key, "name": name, "aliases": list(aliases), "holder": holder}


def build_roster() -> Roster:
    actors: list[dict[str, Any]] = [
        {"key": "lansstyrelsen", "name": "Länsstyrelsen i Stockholms län",
         "short": "Länsstyrelsen", "aliases": ["Länsstyrelsen", "Lst"],
         "functions": [_fn("tib", "Tjänsteman i beredskap", "TiB"),
                       _fn("lagesbild", "Lägesbildsansvarig"),
                       _fn("lansoverdirektor", "Länsöverdirektör")],
         "fallback": "tib"},
        {"key": "region", "name": "Region Stockholm",
         "functions": [_fn("tib", "Tjänsteman i beredskap", "TiB"),
                       _fn("rssl", "Regional särskild sjukvårdsledning", "RSSL")]},
        {"key": "polisen", "name": "Polisen Region Stockholm", "short": "Polisen",
         "aliases": ["Polisen"],
         "functions": [_fn("vakthavande-befal", "Vakthavande befäl RLC", "VB")]},
        {"key": "upplands-vasby", "name": "Upplands Väsby kommun", "short": "Upplands Väsby",
         "functions": [_fn("tib", "Tjänsteman i beredskap", "TiB"),
                       _fn("sakerhetschef", "Säkerhetschef")]},
        {"key": "upplands-bro", "name": "Upplands-Bro kommun", "short": "Upplands-Bro",
         "functions": [_fn("tib", "Tjänsteman i beredskap", "TiB")]},
        {"key": "trafikverket", "name": "Trafikverket",
         "functions": [_fn("trafikledare", "Trafikledare Trafik Stockholm")]},
    ]
    forums: list[dict[str, Any]] = [
        {"key": "samordnande", "name": "Regionalt samordnande forum",
         "aliases": ["samordnande", "RSF"], "level": "samordnande",
         "calls": ["tib@lansstyrelsen", "tib@region"], "escalates_to": "inriktande"},
        {"key": "inriktande", "name": "Regionalt inriktande forum",
         "aliases": ["inriktande", "RIF"], "level": "inriktande",
         "calls": ["lansoverdirektor@lansstyrelsen"]},
        {"key": "samordningsgrupp", "name": "Regional samordningsgrupp",
         "level": "samordnande", "mode": "ordinarie", "calls": ["tib@lansstyrelsen"]},
    ]
    scenarios: list[dict[str, Any]] = [
        {"key": "ovader", "name": "Oväder", "aliases": ["oväder", "storm"],
         "forum": "samordnande"},
        {"key": "demonstration", "name": "Demonstration", "forum": "samordnande"},
    ]
    return Roster.model_validate({
        "region": {"name": "Stockholms län"},
        "people": [{"key": "p1", "name": "Person Ett"}],
        "actors": actors, "forums": forums, "scenarios": scenarios,
    })
