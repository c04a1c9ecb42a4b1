"""`resurs …` parsed: quantities with units, places, purposes, times, pairs, state changes,
priorities; and completion of resource words to a playbook's words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from grammar_roster import NOW, TZ

from bot.domain.resources import ResourceKind, ResourceState
from bot.domain.roster import Roster
from bot.grammar import commands as c
from bot.grammar.parser import parse
from bot.grammar.resources import complete_resource, same_resource

NEED, OFFER = ResourceKind.NEED, ResourceKind.OFFER
AT_18 = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)  # 18:00 in Stockholm
TOMORROW_08 = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)

CASES: list[tuple[str, c.Body]] = [
    ("resurs behov reservkraft", c.ResourceEntry(NEED, "reservkraft")),
    ("resurs behov 3 bandvagnar", c.ResourceEntry(NEED, "bandvagnar", 3)),
    ("resurs behov bandvagnar 3 st", c.ResourceEntry(NEED, "bandvagnar", 3)),
    ("resurs behov 3 st bandvagnar", c.ResourceEntry(NEED, "bandvagnar", 3)),
    ("resurs behov 2 reservkraftverk 100 kVA",
     c.ResourceEntry(NEED, "reservkraftverk", 2, "100 kVA")),
    ("resurs behov reservkraftverk 100 kVA",
     c.ResourceEntry(NEED, "reservkraftverk", None, "100 kVA")),
    ("resurs behov reservkraftverk 100 kVA 3",  # the count after the specification
     c.ResourceEntry(NEED, "reservkraftverk", 3, "100 kVA")),
    ("resurs behov reservkraftverk 100 kVA 3 st",
     c.ResourceEntry(NEED, "reservkraftverk", 3, "100 kVA")),
    ("resurs erbjud elverk 20 kW 2 i Kista",
     c.ResourceEntry(OFFER, "elverk", 2, "20 kW", "Kista")),
    ("resurs behov 2 fyrhjulsdrivna fordon", c.ResourceEntry(NEED, "fyrhjulsdrivna fordon", 2)),
    ("resurs behov 2 reservkraftverk 100 kVA i Norrtälje senast 18:00",
     c.ResourceEntry(NEED, "reservkraftverk", 2, "100 kVA", "Norrtälje", None, AT_18)),
    ("resurs behov 4 bandvagnar för hemtjänsten i Norrtälje senast imorgon 08:00",
     c.ResourceEntry(NEED, "bandvagnar", 4, None, "Norrtälje", "hemtjänsten", TOMORROW_08)),
    ("resurs behöver bandvagnar för transport till sjukhus",
     c.ResourceEntry(NEED, "bandvagnar", None, None, None, "transport till sjukhus")),
    ("resource need 2 generators 100 kVA in Norrtälje by 18:00",
     c.ResourceEntry(NEED, "generators", 2, "100 kVA", "Norrtälje", None, AT_18)),
    ("resurs erbjud 4 bandvagnar med förare tillgänglig 18:00",
     c.ResourceEntry(OFFER, "bandvagnar med förare", 4, None, None, None, AT_18)),
    ("resurs erbjuder 10 snöskotrar vid Arlanda",
     c.ResourceEntry(OFFER, "snöskotrar", 10, None, "Arlanda")),
    ("resource offer 4 tracked vehicles available tomorrow 08:00",
     c.ResourceEntry(OFFER, "tracked vehicles", 4, None, None, None, TOMORROW_08)),
    ("resurs behov sandsäckar tillgänglig snart",  # an offer's word in a need is text
     c.ResourceEntry(NEED, "sandsäckar tillgänglig snart")),
    ("resurs matcha 2 3", c.ResourceMatch(2, 3)),
    ("resurs matcha behov 2 med erbjudande #3", c.ResourceMatch(2, 3)),
    ("resource match 3 and 2", c.ResourceMatch(3, 2)),
    ("resurs levererad 3", c.ResourceChange(ResourceState.DELIVERED, 3)),
    ("resurs levererat #3", c.ResourceChange(ResourceState.DELIVERED, 3)),
    ("resource delivered 3", c.ResourceChange(ResourceState.DELIVERED, 3)),
    ("resurs avböj 3", c.ResourceChange(ResourceState.DECLINED, 3)),
    ("resource decline 3", c.ResourceChange(ResourceState.DECLINED, 3)),
    ("resurs återkalla 1", c.ResourceChange(ResourceState.WITHDRAWN, 1)),
    ("resurs aterkalla 1", c.ResourceChange(ResourceState.WITHDRAWN, 1)),
    ("resource withdraw 1", c.ResourceChange(ResourceState.WITHDRAWN, 1)),
    ("resurs prioritera bandvagnar till akut sjukvård och räddningstjänst",
     c.ResourcePrioritise("bandvagnar", "akut sjukvård och räddningstjänst")),
    ("resurs prioritera reservkraft för vattenverk ordning 1",
     c.ResourcePrioritise("reservkraft", "vattenverk", 1)),
    ("resource prioritise tracked vehicles to acute care order 2",
     c.ResourcePrioritise("tracked vehicles", "acute care", 2)),
]


@pytest.mark.parametrize(("text", "body"), CASES)
def test_resource_command(text: str, body: c.Body, roster: Roster) -> None:
    got = parse(text, roster, now=NOW, tz=TZ)
    assert got.word == "resurs"
    assert got.body == body
    assert got.lang == ("en" if text.startswith("resource") else "sv")


PLAYBOOK = ["bandvagnar", "reservkraft", "reservkraftverk", "snöröjning",
            "fyrhjulsdrivna fordon"]


@pytest.mark.parametrize(("typed", "completed"), [
    ("band", "bandvagnar"),
    ("Bandvagnar", "bandvagnar"),
    ("snorojn", "snöröjning"),
    ("fyrhjuls", "fyrhjulsdrivna fordon"),
    ("reservkraft", "reservkraft"),  # exact wins over the longer word it prefixes
    ("reserv", "reserv"),  # two words fit: kept as typed
    ("ba", "ba"),  # too short to complete
    ("sandsäckar", "sandsäckar"),  # unknown words are accepted as text
])
def test_completion_to_the_playbook(typed: str, completed: str) -> None:
    assert complete_resource(typed, PLAYBOOK) == completed


@pytest.mark.parametrize(("typed", "count", "kept"), [
    ("bandvagn", 1, "bandvagn"),  # found by a new user: "1 bandvagnar"
    ("bandvagn", 2, "bandvagnar"),
    ("bandvagn", None, "bandvagnar"),
    ("Bandvagnar", 1, "bandvagnar"),  # an exact word is still the playbook's
])
def test_one_is_never_completed_to_a_plural(typed: str, count: int | None, kept: str) -> None:
    assert complete_resource(typed, PLAYBOOK, count) == kept


@pytest.mark.parametrize(("a", "b", "same"), [
    ("bandvagnar", "Bandvagnar", True),
    ("bandvagn", "bandvagnar", True),
    ("reservkraft", "reservkraftverk", True),
    ("band", "bandvagnar", True),
    ("bil", "bilar", False),  # too short to count as the same word
    ("bandvagnar", "snöröjning", False),
])
def test_same_resource(a: str, b: str, same: bool) -> None:
    assert same_resource(a, b) is same
