"""What the watchers see and what they decide: public warnings as neutral `Alert`s, and for
each one whether the coordinating forum hears of it as new, updated or cancelled.

Pure: no HTTP, no database. The sources are SMHI's impact-based weather warnings, Sveriges
Radio's VMA and Krisinformation.se's news (research/domain-sweden.md §e). Which alerts matter:
SMHI warnings of level ORANGE or RED whose affected areas include Stockholms län (SMHI area
id 1, SCB county code 01); every VMA for county 01; every Krisinformation news item tagged
Stockholms län.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

STOCKHOLM_SMHI_AREA = 1  # affectedAreas[].id in SMHI's IBWW data
STOCKHOLM_COUNTY = "01"  # SCB county code, used by Sveriges Radio's VMA geocodes
STOCKHOLM_NAME = "Stockholms län"  # Krisinformation's county tag
NOTABLE_SMHI_LEVELS = frozenset({"ORANGE", "RED"})


class Source(StrEnum):
    SMHI = "smhi"
    VMA = "vma"
    KRISINFORMATION = "krisinformation"


class Change(StrEnum):
    """How an alert reaches the forum: as new, as an update of one posted, or as cancelled."""

    NEW = "new"
    UPDATE = "update"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Alert:
    """One warning or news item as the source states it now.

    `key` is stable across versions (SMHI warning-area id, VMA incident, Krisinformation
    identifier). `level` is SMHI's colour code in upper case (YELLOW, ORANGE, RED, MESSAGE)
    and None for the other sources. Times are timezone-aware UTC, None when not given.
    `notable` says whether it deserves a post at all (e.g. False for a yellow SMHI warning).
    `cancelled` is True when the source itself says the alert is withdrawn.
    """

    source: Source
    key: str
    title: str
    text: str
    level: str | None = None
    event: str | None = None  # e.g. SMHI's event code WIND, SNOW
    event_name: str | None = None  # the event in Swedish, e.g. "Storm", "Snöfall"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    published_at: datetime | None = None
    url: str | None = None
    notable: bool = True
    cancelled: bool = False

    def fingerprint(self) -> str:
        """A digest of what a reader would notice changing: title, text, level, times."""
        fields = [self.title, self.text, self.level, self.event, _iso(self.starts_at),
                  _iso(self.ends_at), self.cancelled, self.notable]
        return hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:32]


@dataclass
class WatchState:
    """What the bot remembers of one alert (table `watched_alerts`): the fingerprint of the
    version it last saw, whether it has told the forum, and whether that story is closed
    (cancelled or ended), so a restart repeats nothing."""

    source: Source
    key: str
    title: str
    fingerprint: str
    posted: bool
    closed: bool
    ends_at: datetime | None
    changed_at: datetime  # when this state was stored


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def decide(prev: WatchState | None, alert: Alert | None, now: datetime) -> Change | None:
    """What to post about one alert, given what was remembered (`prev`) and what the source
    says now (`alert`; None when it is no longer in a feed that was read successfully).

    - absent now: CANCEL if it was posted, is still open and had not yet ended by `now`
      (SMHI removes a withdrawn warning from its feed [I]: domain-sweden.md §e names no
      cancellation field); an ended one closes silently;
    - withdrawn by the source (VMA `msgType: Cancel`): CANCEL if posted and open;
    - not notable (a yellow warning): an UPDATE only of one already posted (downgraded);
    - already over (`ends_at` passed) and not posted: nothing (a feed may still list it);
    - otherwise NEW unless posted and open, UPDATE when its fingerprint changed.
    """
    open_post = prev is not None and prev.posted and not prev.closed
    if alert is None:
        ended = prev is not None and prev.ends_at is not None and prev.ends_at <= now
        return Change.CANCEL if open_post and not ended else None
    if alert.cancelled:
        return Change.CANCEL if open_post else None
    changed = prev is None or prev.fingerprint != alert.fingerprint()
    if not alert.notable:
        return Change.UPDATE if open_post and changed else None
    if not open_post:
        over = alert.ends_at is not None and alert.ends_at <= now
        return None if over else Change.NEW
    return Change.UPDATE if changed else None


def next_state(prev: WatchState | None, alert: Alert | None, change: Change | None,
               now: datetime) -> WatchState | None:
    """The state to store after `decide` (None: nothing to store, e.g. a yellow warning never
    posted is not remembered, so it is judged afresh if it turns orange)."""
    if alert is None:
        if prev is None or prev.closed:
            return None
        return WatchState(prev.source, prev.key, prev.title, prev.fingerprint, prev.posted,
                          True, prev.ends_at, now)
    posted = change in (Change.NEW, Change.UPDATE) or (prev is not None and prev.posted)
    if prev is None and not posted:
        return None
    closed = change is Change.CANCEL or alert.cancelled or (
        prev is not None and prev.closed and change is None)
    return WatchState(alert.source, alert.key, alert.title, alert.fingerprint(), posted,
                      closed, alert.ends_at, now)
