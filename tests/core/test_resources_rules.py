"""The state rules of needs and offers (bot.domain.resources), one table per rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.errors import Conflict
from bot.domain.resources import (
    Resource,
    ResourceKind,
    ResourceState,
    check_pair,
    plan_change,
)

T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
S = ResourceState
NEED, OFFER = ResourceKind.NEED, ResourceKind.OFFER


def _item(number: int, kind: ResourceKind, state: ResourceState,
          partner: int | None = None) -> Resource:
    return Resource(id=number, event_id=1, activation_id="2026-001", number=number, kind=kind,
                    actor="forsvarsmakten" if kind is OFFER else "region-stockholm",
                    person="p", function="f@a", what="bandvagnar", count=4, spec=None,
                    place=None, purpose=None, due=None, state=state, created_at=T0,
                    changed_at=T0, changed_by="p", partner=partner)


def _pair(need: ResourceState, offer: ResourceState, linked: bool = True
          ) -> tuple[Resource, Resource]:
    return (_item(1, NEED, need, 2 if linked else None),
            _item(2, OFFER, offer, 1 if linked else None))


# (need state, offer state, linked, named item (1 need, 2 offer), to) ->
#   owner number and [(number, new state)], or the refusal code
CHANGES: list[tuple[S, S, bool, int, S, tuple[int, list[tuple[int, S]]] | str]] = [
    (S.MATCHED, S.MATCHED, True, 1, S.DELIVERED, (2, [(2, S.DELIVERED), (1, S.DELIVERED)])),
    (S.MATCHED, S.MATCHED, True, 2, S.DELIVERED, (2, [(2, S.DELIVERED), (1, S.DELIVERED)])),
    (S.OPEN, S.OPEN, False, 2, S.DELIVERED, "resource.not_matched"),
    (S.OPEN, S.OPEN, False, 1, S.DELIVERED, "resource.not_matched"),
    (S.DELIVERED, S.DELIVERED, True, 1, S.WITHDRAWN, "resource.final"),
    (S.DELIVERED, S.DELIVERED, True, 2, S.DECLINED, "resource.final"),
    (S.DELIVERED, S.DELIVERED, True, 2, S.DELIVERED, "resource.final"),
    (S.OPEN, S.OPEN, False, 2, S.DECLINED, (2, [(2, S.DECLINED)])),
    (S.MATCHED, S.MATCHED, True, 2, S.DECLINED, (2, [(2, S.DECLINED), (1, S.OPEN)])),
    (S.MATCHED, S.MATCHED, True, 1, S.DECLINED, (2, [(2, S.DECLINED), (1, S.OPEN)])),
    (S.OPEN, S.OPEN, False, 1, S.DECLINED, "resource.decline_need"),
    (S.OPEN, S.OPEN, False, 1, S.WITHDRAWN, (1, [(1, S.WITHDRAWN)])),
    (S.MATCHED, S.MATCHED, True, 1, S.WITHDRAWN, (1, [(1, S.WITHDRAWN), (2, S.OPEN)])),
    (S.MATCHED, S.MATCHED, True, 2, S.WITHDRAWN, (2, [(2, S.WITHDRAWN), (1, S.OPEN)])),
    (S.OPEN, S.DECLINED, True, 2, S.WITHDRAWN, "resource.final"),
    (S.WITHDRAWN, S.OPEN, False, 1, S.WITHDRAWN, "resource.final"),
]


@pytest.mark.parametrize("case", CHANGES)
def test_plan_change(case: tuple[S, S, bool, int, S, tuple[int, list[tuple[int, S]]] | str]
                     ) -> None:
    need_state, offer_state, linked, named, to, expected = case
    need, offer = _pair(need_state, offer_state, linked)
    item, partner = (need, offer) if named == 1 else (offer, need)
    if isinstance(expected, str):
        with pytest.raises(Conflict) as err:
            plan_change(item, partner if linked else None, to)
        assert err.value.code == expected
        return
    change = plan_change(item, partner if linked else None, to)
    assert (change.owner.number, [(i.number, s) for i, s in change.moves]) == expected


# (first, second) as (kind, state) -> refusal code or None
PAIRS: list[tuple[tuple[ResourceKind, S], tuple[ResourceKind, S], str | None]] = [
    ((NEED, S.OPEN), (OFFER, S.OPEN), None),
    ((OFFER, S.OPEN), (NEED, S.OPEN), None),
    ((NEED, S.OPEN), (NEED, S.OPEN), "resource.not_a_pair"),
    ((OFFER, S.OPEN), (OFFER, S.OPEN), "resource.not_a_pair"),
    ((NEED, S.MATCHED), (OFFER, S.OPEN), "resource.already_matched"),
    ((NEED, S.OPEN), (OFFER, S.MATCHED), "resource.already_matched"),
    ((NEED, S.WITHDRAWN), (OFFER, S.OPEN), "resource.final"),
    ((NEED, S.OPEN), (OFFER, S.DECLINED), "resource.final"),
    ((NEED, S.DELIVERED), (OFFER, S.OPEN), "resource.final"),
]


@pytest.mark.parametrize(("first", "second", "code"), PAIRS)
def test_check_pair(first: tuple[ResourceKind, S], second: tuple[ResourceKind, S],
                    code: str | None) -> None:
    a, b = _item(1, *first), _item(2, *second)
    if code is not None:
        with pytest.raises(Conflict) as err:
            check_pair(a, b)
        assert err.value.code == code
        return
    need, offer = check_pair(a, b)
    assert (need.kind, offer.kind) == (NEED, OFFER)


@pytest.mark.parametrize(("count", "spec", "shown"), [
    (3, None, "3 bandvagnar"), (None, None, "bandvagnar"), (2, "100 kVA", "2 bandvagnar 100 kVA"),
])
def test_quantity(count: int | None, spec: str | None, shown: str) -> None:
    item = _item(1, NEED, S.OPEN)
    item.count, item.spec = count, spec
    assert item.quantity() == shown
