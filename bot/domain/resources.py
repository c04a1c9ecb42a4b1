"""Resources of an event: needs, offers and the forum's priorities (issue 15).

Each actor decides over its own resources (DOMAIN.md: the forum directs, the owning actor
decides and delivers). A need or an offer is a tracked item with a number (one series per
event, needs and offers together) and a state:

    öppen → matchad → levererad
      │        ├──→ avböjd     (the offering actor declines; its matched need is open again)
      └────────┴──→ återkallad (the owning actor withdraws; a matched partner is open again)

levererad, avböjd and återkallad are final: nothing changes them any more. The rules here are
pure; refusals are `Conflict` with a code that keys the text in `bot.texts.resources`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.errors import Conflict


class ResourceKind(StrEnum):
    """A need (behov) or an offer (erbjudande); stored by value."""

    NEED = "behov"
    OFFER = "erbjudande"


class ResourceState(StrEnum):
    """The state of a need or an offer (see the module docstring); stored by value."""

    OPEN = "öppen"
    MATCHED = "matchad"
    DELIVERED = "levererad"
    DECLINED = "avböjd"
    WITHDRAWN = "återkallad"

    @property
    def final(self) -> bool:
        return self in _FINAL


_FINAL = frozenset({ResourceState.DELIVERED, ResourceState.DECLINED, ResourceState.WITHDRAWN})


@dataclass
class Resource:
    """One need or offer of one actor. Times are aware UTC; `due` is the need's `senast`
    (latest) or the offer's `tillgänglig` (available from). `partner` is the number of the
    item it is matched with (kept after delivery, so the pair stays visible)."""

    id: int | None
    event_id: int
    activation_id: str
    number: int
    kind: ResourceKind
    actor: str
    person: str
    function: str
    what: str  # the resource word, completed to the playbook's word where one fits
    count: int | None
    spec: str | None  # "100 kVA"
    place: str | None
    purpose: str | None
    due: datetime | None
    state: ResourceState
    created_at: datetime
    changed_at: datetime
    changed_by: str
    partner: int | None = None

    def quantity(self) -> str:
        """'3 bandvagnar', '2 reservkraftverk 100 kVA', 'reservkraft'."""
        parts = [str(self.count) if self.count is not None else "", self.what, self.spec or ""]
        return " ".join(p for p in parts if p)


@dataclass
class Priority:
    """A forum's direction on a scarce resource, recorded as decision `decision` of the event;
    `needs` are the numbers of the needs it concerns when it was decided."""

    id: int | None
    event_id: int
    activation_id: str
    decision: int
    what: str
    to: str
    rank: int | None
    person: str
    function: str
    created_at: datetime
    needs: list[int] = field(default_factory=list)


def check_changeable(item: Resource) -> None:
    """Refuses a change of an item in a final state: `resource.final` (n, state)."""
    if item.state.final:
        raise Conflict("resource.final", n=item.number, state=item.state.value)


def check_pair(first: Resource, second: Resource) -> tuple[Resource, Resource]:
    """The (need, offer) of two items to be matched, in either order.

    Errors: `resource.not_a_pair` (two needs or two offers), `resource.final`,
    `resource.already_matched` (n, partner)."""
    if first.kind is second.kind:
        raise Conflict("resource.not_a_pair", first=first.number, second=second.number)
    need, offer = (first, second) if first.kind is ResourceKind.NEED else (second, first)
    for item in (need, offer):
        check_changeable(item)
        if item.state is ResourceState.MATCHED:
            raise Conflict("resource.already_matched", n=item.number, partner=item.partner)
    return need, offer


def pair_gaps(need: Resource, offer: Resource) -> list[str]:
    """What a match leaves for people to check, as text codes (empty: none): the offer is
    of another resource than the need (`resource.match_other_kind`; the words compared
    without case), or offers fewer than the need asks for, both counted
    (`resource.match_short`). A match is the forum's judgement, so these are told, not
    refused."""
    gaps: list[str] = []
    if need.what.casefold() != offer.what.casefold():
        gaps.append("resource.match_other_kind")
    if need.count is not None and offer.count is not None and offer.count < need.count:
        gaps.append("resource.match_short")
    return gaps


def check_matched(item: Resource) -> None:
    """Delivery needs a matched pair: `resource.final`, `resource.not_matched` (n)."""
    check_changeable(item)
    if item.state is not ResourceState.MATCHED or item.partner is None:
        raise Conflict("resource.not_matched", n=item.number)


@dataclass(frozen=True)
class Change:
    """What `levererad`/`avböj`/`återkalla` of one item does: `owner` is the item whose actor
    alone may do it; `moves` are (item, new state), the named item's first."""

    owner: Resource
    moves: list[tuple[Resource, ResourceState]]


def plan_change(item: Resource, partner: Resource | None, to: ResourceState) -> Change:
    """The change of `item` (and its matched `partner`) to DELIVERED, DECLINED or WITHDRAWN.

    - DELIVERED: a matched pair; both become levererad; the offering actor decides.
    - DECLINED: an offer (named by its own number or its matched need's); the offer becomes
      avböjd, a matched need öppen again; the offering actor decides.
    - WITHDRAWN: the item becomes återkallad, a matched partner öppen again; its own actor
      decides.
    Errors (Conflict): `resource.final`, `resource.not_matched`, `resource.decline_need`."""
    check_changeable(item)
    if to is ResourceState.DELIVERED:
        check_matched(item)
    matched = partner if item.state is ResourceState.MATCHED else None
    if to is ResourceState.WITHDRAWN:
        first: Resource | None = item
    else:
        first = item if item.kind is ResourceKind.OFFER else matched
    if first is None:
        raise Conflict("resource.decline_need", n=item.number)
    moves = [(first, to)]
    if matched is not None:
        other = matched if first is item else item
        moves.append((other, to if to is ResourceState.DELIVERED else ResourceState.OPEN))
    return Change(first, moves)
