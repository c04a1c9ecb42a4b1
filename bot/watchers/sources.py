"""Reading the three public feeds into neutral `Alert`s (shapes: research/domain-sweden.md §e).

- SMHI IBWW `…/ibww/api/version/1/warning.json`: an array of warnings, each with `event`,
  `descriptions` and `warningAreas[]`; an area has `id`, `approximateStart`, `approximateEnd`
  (may be null), `published`, `warningLevel{sv,en,code}`, `affectedAreas[{id,sv,en}]`,
  `eventDescription`, `descriptions[{title{sv,en,code},text{sv,en}}]`. One alert per
  warning area; level codes are compared case-insensitively (both "RED" and "Red" occur).
- Sveriges Radio VMA `…/api/v3/alerts`: `{"alerts": [CAP alert]}`; a CAP alert has
  `identifier`, `sent`, `status`, `msgType` (Alert, Update, Cancel), `references`,
  `incidents` and `info[{language, event, headline, description, instruction,
  area[{areaDesc, geocode[{valueName, value}]}]}]`; geocodes are SCB codes ("01").
- Krisinformation `…/v3/news?counties=Stockholms län`: an array of items with `Identifier`,
  `Headline`, `Preamble`, `PushMessage`, `Published`, `Updated`, `Web`,
  `Area[{Type, Description}]`.

A malformed item is skipped with a warning in the log, never fatal for the others; a feed that
is not the expected JSON type raises `FeedError`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from bot.domain.watchers import (
    NOTABLE_SMHI_LEVELS,
    STOCKHOLM_COUNTY,
    STOCKHOLM_NAME,
    STOCKHOLM_SMHI_AREA,
    Alert,
    Source,
)

log = logging.getLogger(__name__)
Json = Any


class FeedError(ValueError):
    """The feed answered, but not with the JSON shape expected (code: watch.bad_feed)."""


def _time(value: Json) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _sv(value: Json) -> str:
    """The Swedish text of a `{sv, en}` object (English when Swedish is missing)."""
    if isinstance(value, dict):
        return str(value.get("sv") or value.get("en") or "")
    return "" if value is None else str(value)


def _items(data: Json, wrapped: bool, what: str) -> list[Json]:
    """The feed's items: the array itself, or (`wrapped`) the object's `alerts` array."""
    items: Json = data.get("alerts", []) if wrapped and isinstance(data, dict) else data
    if not isinstance(items, list) or (wrapped and not isinstance(data, dict)):
        raise FeedError(f"{what}: not the expected JSON shape ({type(data).__name__})")
    return items


def _each(items: Iterable[Json], parse: Callable[[Json], Alert | None],
          what: str) -> list[Alert]:
    alerts: list[Alert] = []
    for item in items:
        try:
            alert = parse(item)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("%s: skipped a malformed item: %r", what, exc)
            continue
        if alert is not None:
            alerts.append(alert)
    return alerts


def smhi_alerts(data: Json) -> list[Alert]:
    """Every warning area affecting Stockholms län, yellow ones marked not notable."""
    pairs = [(warning, area) for warning in _items(data, False, "SMHI")
             if isinstance(warning, dict) for area in warning.get("warningAreas") or []]
    return _each(pairs, _smhi_area, "SMHI")


def _smhi_area(pair: tuple[Json, Json]) -> Alert | None:
    """One warning area (of `warning`) as an alert, None when Stockholm is not affected."""
    warning, area = pair
    event = warning.get("event") or {}
    affected = {int(a["id"]) for a in area.get("affectedAreas") or []}
    if STOCKHOLM_SMHI_AREA not in affected:
        return None
    level = str((area.get("warningLevel") or {}).get("code") or "").upper()
    texts = [f"{_sv(d.get('title'))}: {_sv(d.get('text'))}"
             for d in area.get("descriptions") or [] if _sv(d.get("text"))]
    names = ", ".join(_sv(a) for a in area.get("affectedAreas") or [])
    return Alert(
        source=Source.SMHI, key=str(area["id"]),
        title=f"{_sv(area.get('warningLevel'))} varning: "
              f"{_sv(area.get('eventDescription')) or _sv(event)} — "
              f"{_sv(area.get('areaName')) or names}",
        text="\n".join(texts), level=level, event=str(event.get("code") or "") or None,
        event_name=_sv(area.get("eventDescription")) or _sv(event) or None,
        starts_at=_time(area.get("approximateStart")),
        ends_at=_time(area.get("approximateEnd")),
        published_at=_time(area.get("published")),
        notable=level in NOTABLE_SMHI_LEVELS)


def vma_alerts(data: Json) -> list[Alert]:
    """Every VMA (status Actual) whose area has the Stockholm county geocode."""
    return _each(_items(data, True, "VMA"), _vma_alert, "VMA")


def _vma_alert(alert: Json) -> Alert | None:
    if str(alert.get("status", "Actual")).lower() != "actual":
        return None  # Exercise, Test, System, Draft: not for the forum
    infos = alert.get("info") or []
    info = next((i for i in infos if str(i.get("language", "")).startswith("sv")),
                infos[0] if infos else {})
    codes = {str(g.get("value")) for a in info.get("area") or []
             for g in a.get("geocode") or []}
    if not any(_in_county(code) for code in codes):
        return None
    key = _vma_key(alert)
    areas = ", ".join(str(a.get("areaDesc", "")) for a in info.get("area") or [])
    text = "\n".join(str(part) for part in (info.get("description"), info.get("instruction"))
                     if part)
    return Alert(source=Source.VMA, key=key,
                title=f"VMA: {info.get('headline') or info.get('event') or ''} — {areas}",
                text=text, starts_at=_time(info.get("onset")) or _time(alert.get("sent")),
                ends_at=_time(info.get("expires")), published_at=_time(alert.get("sent")),
                url=str(info["web"]) if info.get("web") else None,
                cancelled=str(alert.get("msgType", "")).lower() == "cancel")


def _in_county(code: str) -> bool:
    """The county itself ("01") or one of its municipalities ("0180": 01 + two digits)."""
    return code == STOCKHOLM_COUNTY or (len(code) == 4 and code.startswith(STOCKHOLM_COUNTY))


def _vma_key(alert: Json) -> str:
    """One key for every message of an incident: CAP `incidents`, else the identifier of
    the first message referenced (`references`: "sender,identifier,sent …"), else its own."""
    if alert.get("incidents"):
        return str(alert["incidents"]).split()[0]
    references = str(alert.get("references") or "").split()
    if references and references[0].count(",") >= 1:
        return references[0].split(",")[1]
    return str(alert["identifier"])


def krisinformation_alerts(data: Json) -> list[Alert]:
    """Every news item tagged Stockholms län (the query asks for it; checked again here)."""
    return _each(_items(data, False, "Krisinformation"), _news_item, "Krisinformation")


def _news_item(item: Json) -> Alert | None:
    areas = [str(a.get("Description", "")) for a in item.get("Area") or []]
    if STOCKHOLM_NAME not in areas:
        return None
    text = "\n".join(str(part) for part in (item.get("Preamble"), item.get("PushMessage"))
                     if part)
    return Alert(source=Source.KRISINFORMATION, key=str(item["Identifier"]),
                title=f"Krisinformation: {item.get('Headline') or ''}", text=text,
                published_at=_time(item.get("Updated")) or _time(item.get("Published")),
                url=str(item["Web"]) if item.get("Web") else None)


PARSERS: dict[Source, Callable[[Json], list[Alert]]] = {
    Source.SMHI: smhi_alerts,
    Source.VMA: vma_alerts,
    Source.KRISINFORMATION: krisinformation_alerts,
}
