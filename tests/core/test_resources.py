"""Resources through the command service: needs, offers, matches, deliveries, declines,
withdrawals and priorities — the stored record and timeline, who may do what (one table),
and refusals that each give their code and change nothing (full dump compared)."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from bot.domain.record import EntryKind
from bot.domain.resources import ResourceKind, ResourceState
from storage.dump import dump_async
from tests.core.conftest import say

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only
TIB = "tib@lansstyrelsen"  # the chair
NORRTALJE = "tib@norrtalje"
REGION = "tib@region-stockholm"
FM = "vakthavande@forsvarsmakten"
POLICE = "vakthavande-befal@polisen"
OUTSIDER = "kommunikator@botkyrka"  # in the roster, not called

OPEN, MATCHED = ResourceState.OPEN, ResourceState.MATCHED
DELIVERED, DECLINED, WITHDRAWN = (ResourceState.DELIVERED, ResourceState.DECLINED,
                                  ResourceState.WITHDRAWN)


async def _ok(app: App, who: str, text: str) -> str:
    reply = await say(app, who, text)
    assert reply.ok, f"{text}: {reply.text}"
    return reply.text


async def _setup(app: App) -> None:
    """Behov 1 (Norrtälje), behov 2 (Region Stockholm), erbjudande 3 (Försvarsmakten)."""
    await _ok(app, TIB, "aktivera samordnande oväder Snöstorm Gorm")
    await _ok(app, NORRTALJE, "resurs behov 2 reservkraftverk 100 kVA i Norrtälje senast 18:00")
    await _ok(app, REGION, "resurs behov 4 band för hemsjukvården senast imorgon 08:00")
    await _ok(app, FM, "resurs erbjud 4 bandvagnar tillgänglig 16:00")
    await app.relay.wait_idle()


async def _states(app: App) -> dict[int, tuple[ResourceState, int | None]]:
    async with app.uow() as uow:
        act = await uow.activations.get("2026-001")
        assert act is not None
        return {i.number: (i.state, i.partner)
                for i in await uow.resources.of_event(act.event_id)}


async def test_needs_offers_and_the_whole_life_of_a_pair(app: App) -> None:
    await _setup(app)
    async with app.uow() as uow:
        items = await uow.resources.of_event(1)
    need, band, offer = items
    assert (need.kind, need.actor, need.count, need.what, need.spec, need.place) == (
        ResourceKind.NEED, "norrtalje", 2, "reservkraftverk", "100 kVA", "Norrtälje")
    assert need.due is not None and need.due.hour == 17  # 18:00 in Stockholm, stored in UTC
    assert (band.what, band.purpose, band.actor) == ("bandvagnar", "hemsjukvården",
                                                    "region-stockholm")  # "band" completed
    assert (offer.kind, offer.actor, offer.function) == (ResourceKind.OFFER, "forsvarsmakten",
                                                        FM)

    assert "Matchat" in await _ok(app, FM, "resurs matcha 2 3")  # the offering actor
    await _ok(app, FM, "resurs erbjud 1 reservkraftverk 100 kVA")  # 4
    await _ok(app, TIB, "resurs matcha 4 1")  # the chair, either order
    assert await _states(app) == {1: (MATCHED, 4), 2: (MATCHED, 3), 3: (MATCHED, 2),
                                  4: (MATCHED, 1)}
    await _ok(app, FM, "resurs avböj 4")  # FM declines its own offer: the need is open again
    assert (await _states(app))[1] == (OPEN, None)
    assert (await _states(app))[4] == (DECLINED, 1)
    await _ok(app, NORRTALJE, "resurs återkalla 1")
    text = await _ok(app, FM, "resurs levererad 3")
    assert "Erbjudande 3 är nu levererat; behov 2 är levererat" in text
    assert await _states(app) == {1: (WITHDRAWN, None), 2: (DELIVERED, 3), 3: (DELIVERED, 2),
                                  4: (DECLINED, 1)}

    async with app.uow() as uow:
        entries = [e for e in await uow.timeline.of_event(1) if e.kind is EntryKind.RESOURCE]
    assert len(entries) == 4 + 2 + 3  # four new items, two matches, three changes
    assert [e.actor for e in entries[-3:]] == ["forsvarsmakten", "norrtalje", "forsvarsmakten"]
    assert "levererat" in entries[-1].text and entries[-1].data["resource"] == 3


async def test_withdrawing_a_matched_offer_reopens_the_need(app: App) -> None:
    await _setup(app)
    await _ok(app, TIB, "resurs matcha 2 3")
    await _ok(app, FM, "resurs återkalla 3")
    assert await _states(app) == {1: (OPEN, None), 2: (OPEN, None), 3: (WITHDRAWN, 2)}


async def test_priority_is_a_decision_linked_to_its_needs(app: App) -> None:
    await _setup(app)
    await _ok(app, POLICE, "resurs behov bandvagnar för räddningsinsats")  # 4
    text = await _ok(app, TIB, "resurs prioritera band till akut sjukvård och räddningstjänst "
                               "ordning 1")
    assert "Beslut 1" in text and "2, 4" in text
    async with app.uow() as uow:
        (decision,) = await uow.decisions.of_event(1)
        (priority,) = await uow.resources.priorities(1)
        timeline = await uow.timeline.of_event(1)
    assert decision.text == ("Bandvagnar prioriteras till akut sjukvård och räddningstjänst "
                             "(ordning 1)")
    assert (priority.decision, priority.what, priority.needs, priority.rank) == (
        1, "bandvagnar", [2, 4], 1)
    assert timeline[-1].kind is EntryKind.DECISION
    assert timeline[-1].data["priority"]["needs"] == [2, 4]
    listing = await _ok(app, REGION, "resurser")
    assert "Beslut 1: bandvagnar → akut sjukvård och räddningstjänst" in listing
    assert "behov 2, behov 4" in listing


# Who may do what, in order: (who, command, refusal code or None for accepted).
AUTHORIZATION: list[tuple[str, str, str | None]] = [
    (OUTSIDER, "resurs #2026-001 behov sandsäckar", "auth.not_participant"),
    (OUTSIDER, "resurser #2026-001", "auth.not_participant"),
    (POLICE, "resurser", None),  # any called participant reads
    (REGION, "resurs matcha 2 3", "resource.auth_match"),  # not the offering actor
    (NORRTALJE, "resurs matcha 1 3", "resource.auth_match"),
    (REGION, "resurs återkalla 3", "resource.not_yours"),  # another actor's offer
    (REGION, "resurs avböj 3", "resource.not_yours"),
    (TIB, "resurs återkalla 2", "resource.not_yours"),  # not even the chair
    (FM, "resurs återkalla 2", "resource.not_yours"),
    (TIB, "resurs matcha 2 3", None),  # the chair matches
    (TIB, "resurs levererad 3", "resource.not_yours"),  # the offering actor delivers
    (REGION, "resurs levererad 2", "resource.not_yours"),
    (REGION, "resurs avböj 2", "resource.not_yours"),
    (FM, "resurs levererad 2", None),  # by the need's number: the pair
    (FM, "resurs erbjud 2 reservkraftverk", None),  # 4
    (FM, "resurs matcha 1 4", None),  # the offering actor matches its own offer
    (NORRTALJE, "resurs avböj 4", "resource.not_yours"),
    (NORRTALJE, "resurs återkalla 1", None),  # its own need
    (POLICE, "resurs prioritera reservkraft till vattenverk", None),  # like `beslut`
]


async def test_who_may_do_what(app: App) -> None:
    await _setup(app)
    wrong = []
    for who, text, code in AUTHORIZATION:
        reply = await say(app, who, text)
        if (reply.code if not reply.ok else None) != code:
            wrong.append(f"{who}: {text!r}: expected {code}, got {reply.code}: {reply.text}")
    assert not wrong, "\n".join(wrong)
    assert await _states(app) == {1: (WITHDRAWN, 4), 2: (DELIVERED, 3), 3: (DELIVERED, 2),
                                  4: (OPEN, None)}  # the withdrawn need keeps its history


REFUSALS: list[tuple[str, str, str]] = [
    (OUTSIDER, "resurs #2026-001 behov sandsäckar", "auth.not_participant"),  # not called
    (OUTSIDER, "resurs behov sandsäckar", "activation.none_for_you"),
    (REGION, "resurs återkalla 4", "resource.not_yours"),  # another actor's offer
    (REGION, "resurs matcha 1 4", "resource.auth_match"),
    (TIB, "resurs matcha 1 99", "resource.unknown"),  # unknown number
    (FM, "resurs levererad 99", "resource.unknown"),
    (FM, "resurs återkalla 3", "resource.final"),  # a delivered item changed
    (FM, "resurs avböj 3", "resource.final"),
    (FM, "resurs levererad 3", "resource.final"),
    (REGION, "resurs återkalla 2", "resource.final"),
    (TIB, "resurs matcha 2 4", "resource.final"),
    (TIB, "resurs matcha 1 2", "resource.not_a_pair"),
    (TIB, "resurs matcha 6 4", "resource.already_matched"),
    (FM, "resurs levererad 4", "resource.not_matched"),
    (NORRTALJE, "resurs avböj 1", "resource.decline_need"),
    (TIB, "resurs", "parse.resource_subcommand"),
    (TIB, "resurs matcha 2", "parse.resource_pair"),
    (TIB, "resurs prioritera bandvagnar", "parse.missing_priority_target"),
    (TIB, "resurs behov", "parse.missing_resource"),
]


async def test_refusals_change_nothing(app: App, database_url: str) -> None:
    await _setup(app)
    await _ok(app, TIB, "resurs matcha 2 3")
    await _ok(app, FM, "resurs levererad 3")
    await _ok(app, FM, "resurs erbjud 2 reservkraftverk")  # 4, open
    await _ok(app, FM, "resurs erbjud 1 reservkraftverk")  # 5
    await _ok(app, POLICE, "resurs behov 1 reservkraftverk")  # 6
    await _ok(app, TIB, "resurs matcha 5 6")
    await app.relay.wait_idle()
    before = await dump_async(database_url)
    wrong = []
    for who, text, code in REFUSALS:
        reply = await say(app, who, text)
        if reply.ok or reply.code != code:
            wrong.append(f"{text!r}: expected {code}, got {reply.code}: {reply.text}")
        elif len(reply.text) < 20 or "{" in reply.text:
            wrong.append(f"{text!r}: the answer says too little: {reply.text!r}")
    await app.relay.wait_idle()
    assert not wrong, "\n".join(wrong)
    assert await dump_async(database_url) == before


async def test_listing_picture_and_english_words(app: App) -> None:
    await _setup(app)
    await _ok(app, FM, "resurs erbjud 2 snöskotrar")  # 4, unmatched
    await _ok(app, TIB, "resurs matcha 2 3")
    listing = await _ok(app, POLICE, "resurser")
    lines = listing.splitlines()
    assert lines[0].startswith("**ÖVNING Resurser — #2026-001 Snöstorm Gorm**")
    assert lines[1:3] == ["**Öppna behov (1)**", "- behov 1 — **Norrtälje**: 2 reservkraftverk "
                          "100 kVA i Norrtälje, senast 18:00"]
    assert "- erbjudande 4 — **Försvarsmakten**: 2 snöskotrar" in lines
    assert any(ln.startswith("- behov 2 (Region Stockholm: 4 bandvagnar för hemsjukvården")
               and "← erbjudande 3 (Försvarsmakten" in ln and ln.endswith("— matchat")
               for ln in lines)
    picture = await _ok(app, POLICE, "lägesbild")
    section = picture.splitlines()[-1]
    assert section.startswith("**Resurser:** öppna behov — Norrtälje: 2 reservkraftverk")
    assert "Omatchade erbjudanden — Försvarsmakten: 2 snöskotrar (4)" in section
    assert "bandvagnar" not in section  # matched: no longer open
    # English command words: the room's answer stays Swedish (bot.handlers.context.Ctx.lang)
    english = await _ok(app, POLICE, "resources")
    assert "**Öppna behov (1)**" in english and "**Matchade par (1)**" in english
    assert "Behov 5 registrerat för Polisen" in await _ok(app, POLICE, "resource need sandbags")
    assert await _ok(app, FM, "resource delivered 3") == (
        "Erbjudande 3 är nu levererat; behov 2 är levererat (#2026-001).")


async def test_help_names_every_resource_command(app: App) -> None:
    sv = (await say(app, POLICE, "hjälp resurs")).text
    for word in ("behov", "erbjud", "matcha", "levererad", "avböj", "återkalla", "prioritera"):
        assert f"resurs {word}" in sv or f"|{word}" in sv, word
    assert "Exempel: `resurs behov 2 reservkraftverk 100 kVA i Norrtälje senast 18:00`" in sv
    en = (await say(app, POLICE, "help resource")).text
    assert "resource need <what>" in en and "resource prioritise" in en
    listing = (await say(app, POLICE, "hjälp")).text
    assert "`resurser` — öppna behov och erbjudanden" in listing


# (need, offer, the notes the match's answer must carry: codes' Swedish openings)
PAIRS: list[tuple[str, str, list[str]]] = [
    ("2 reservkraftverk", "2 reservkraftverk", []),
    ("2 reservkraftverk", "3 Reservkraftverk", []),  # more than asked, other case
    ("reservkraftverk", "1 reservkraftverk", []),  # the need not counted
    ("4 reservkraftverk", "1 reservkraftverk", ["har 1 av de 4"]),
    ("2 reservkraftverk", "2 bandvagnar", ["gäller reservkraftverk, erbjudande 2 bandvagnar"]),
    ("5 reservkraftverk", "2 bandvagnar", ["gäller reservkraftverk", "har 2 av de 5"]),
]


@pytest.mark.parametrize(("need", "offer", "notes"), PAIRS)
async def test_a_match_tells_what_the_offer_does_not_cover(
        app: App, need: str, offer: str, notes: list[str]) -> None:
    """Matching is the forum's judgement: another resource or fewer than asked for is told
    with the answer, not refused (and not silently accepted)."""
    await _ok(app, TIB, "aktivera samordnande oväder Snöstorm Gorm")
    await _ok(app, NORRTALJE, f"resurs behov {need}")
    await _ok(app, FM, f"resurs erbjud {offer}")
    text = await _ok(app, TIB, "resurs matcha 1 2")
    assert text.startswith("Matchat: behov 1")
    assert text.count("Obs:") == len(notes), text
    for note in notes:
        assert note in text, text
    assert await _states(app) == {1: (MATCHED, 2), 2: (MATCHED, 1)}
