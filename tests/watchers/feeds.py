"""Fixture payloads shaped like the three public APIs (research/domain-sweden.md §e), and a
local aiohttp server on 127.0.0.1 that serves them — and can fail, cut a response short, go
away and come back on the same port."""

from __future__ import annotations

import asyncio
import copy
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

SMHI_PATH = "/ibww/api/version/1/warning.json"
VMA_PATH = "/api/v3/alerts"
KRIS_PATH = "/v3/news"

STOCKHOLM = {"id": 1, "sv": "Stockholms län", "en": "Stockholm County"}
UPPSALA = {"id": 3, "sv": "Uppsala län", "en": "Uppsala County"}
VASTRA_GOTALAND = {"id": 14, "sv": "Västra Götalands län", "en": "Västra Götaland County"}
LEVELS = {"MESSAGE": ("Meddelande", "Message"), "YELLOW": ("Gul", "Yellow"),
          "ORANGE": ("Orange", "Orange"), "RED": ("Röd", "Red")}


def warning_area(area_id: int, level: str, counties: list[dict[str, Any]], *,
                 text: str = "Mycket kraftiga vindbyar, 35 m/s i kustnära områden.",
                 start: str = "2026-11-30T15:00:00.000Z",
                 end: str | None = "2026-12-01T06:00:00.000Z") -> dict[str, Any]:
    sv, en = LEVELS[level]
    return {
        "id": area_id, "approximateStart": start, "approximateEnd": end,
        "published": "2026-11-30T08:12:00.000Z", "created": "2026-11-30T08:10:00.000Z",
        "normalProbability": True, "pushNotice": True,
        "areaName": {"sv": "Kustområden i östra Svealand", "en": "Coast of eastern Svealand"},
        "warningLevel": {"sv": sv, "en": en, "code": level},
        "eventDescription": {"sv": "Storm", "en": "Storm", "code": "WIND"},
        "affectedAreas": counties,
        "descriptions": [
            {"title": {"sv": "Vad händer", "en": "What happens", "code": "HAPPENS"},
             "text": {"sv": text, "en": "Very strong gusts."}},
            {"title": {"sv": "Konsekvenser", "en": "Impact", "code": "AFFECT"},
             "text": {"sv": "Risk för elavbrott och stopp i trafiken.", "en": "Power cuts."}},
        ],
        "area": {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}},
    }


def smhi_feed(*areas: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": 9001, "normalProbability": True,
             "event": {"sv": "Vind", "en": "Wind", "code": "WIND",
                       "mhoClassification": {"code": "MET", "sv": "Meteorologi",
                                             "en": "Meteorology"}},
             "descriptions": [], "warningAreas": list(areas)}]


def vma(identifier: str, county: str, *, msg_type: str = "Alert", references: str = "",
        headline: str = "Brand i industribyggnad i Sundbyberg",
        status: str = "Actual") -> dict[str, Any]:
    return {
        "identifier": identifier, "sender": "https://vmaapi.sr.se", "sent":
        "2026-11-30T09:41:00+01:00", "status": status, "msgType": msg_type, "scope": "Public",
        "references": references, "incidents": f"INC-{identifier.split('-')[1]}",
        "info": [{"language": "sv-SE", "category": "Safety",
                  "event": "Viktigt meddelande till allmänheten (VMA)",
                  "urgency": "Immediate", "severity": "Severe", "certainty": "Observed",
                  "headline": headline,
                  "description": "Kraftig rökutveckling. Gå inomhus och stäng fönster.",
                  "instruction": "Lyssna på Sveriges Radio P4 för mer information.",
                  "area": [{"areaDesc": "Sundbybergs kommun",
                            "geocode": [{"valueName": "Kommun", "value": county}]}]}],
    }


def news(identifier: str, county: str, headline: str = "Storm i Stockholms län",
         updated: str = "2026-11-30T09:00:00+01:00") -> dict[str, Any]:
    return {"Identifier": identifier, "PushMessage": "", "Headline": headline,
            "Preamble": "SMHI har utfärdat röd varning för storm.",
            "Published": "2026-11-30T08:30:00+01:00", "Updated": updated,
            "Web": f"https://www.krisinformation.se/nyheter/{identifier}",
            "Area": [{"Type": "County", "Description": county, "Coordinate": ""}]}


@dataclass
class FeedServer:
    """Serves `payloads[path]` as JSON. `fail_next` answers that many requests with 500;
    `cut_next` that many with a response cut off mid-body. `stop()` closes the port,
    `start()` opens it again (the same port)."""

    payloads: dict[str, Any] = field(default_factory=dict)
    fail_next: int = 0
    cut_next: int = 0
    hits: int = 0
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, path: str, payload: Any) -> None:
        self.payloads[path] = copy.deepcopy(payload)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.hits += 1
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.Response(status=500, text="internt fel")
        body = json.dumps(self.payloads.get(request.path, [])).encode()
        if self.cut_next > 0:
            self.cut_next -= 1
            response = web.StreamResponse(headers={"Content-Length": str(len(body))})
            response.content_type = "application/json"
            await response.prepare(request)
            await response.write(body[: len(body) // 2])
            assert request.transport is not None
            request.transport.close()  # the server goes away mid-response
            return response
        return web.Response(body=body, content_type="application/json")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        if self.port == 0:
            server = site._server
            assert isinstance(server, asyncio.base_events.Server)
            self.port = server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
