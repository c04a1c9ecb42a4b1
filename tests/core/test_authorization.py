"""The authorization matrix: every command × five kinds of speaker → allowed, or refused with
its code and the database byte-for-byte unchanged (a full dump compared).

Each cell runs on its own copy of one prepared SQLite file (tests/core/prepared.py), so an
allowed command (a chair handover, a deactivation) cannot change what the next cell sees.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.roster import Roster
from bot.roster.loader import default_roster_path, load_roster
from bot.settings import Settings
from storage.dump import dump
from tests.core.conftest import say
from tests.core.prepared import (
    ACT,
    BYSTANDER,
    CALLED,
    CHAIR,
    KINDS,
    LST,
    NOW,
    OUTSIDER,
    SPEAKERS,
    prepare,
)
from tests.core.prepared import url_of as _url

Rule = Callable[[str], str | None]  # speaker kind → expected refusal code, or None: allowed


def anyone(kind: str) -> str | None:
    return None


def roster(kind: str) -> str | None:
    return "auth.not_in_roster" if kind == OUTSIDER else None


def called(kind: str) -> str | None:
    return "auth.not_participant" if kind == BYSTANDER else roster(kind)


def convener(code: str) -> Rule:
    """The chair and Länsstyrelsen only; another called participant gets `code`."""
    return lambda kind: code if kind == CALLED else called(kind)


def exercise_leader(kind: str) -> str | None:
    """The exercise's clock: only its leader (who started it: Länsstyrelsen's TiB here)."""
    return None if kind == LST else ("exercise.not_leader" if kind != OUTSIDER else roster(kind))


def own_item(kind: str) -> str | None:
    """A resource item changed by its own actor only (resource 1 is Länsstyrelsen's need)."""
    return "resource.not_yours" if kind in (CALLED, CHAIR) else called(kind)


def forum_member(kind: str) -> str | None:
    """Meetings: members of the forum, those who may activate it, the convener."""
    return "meeting.no_right" if kind == BYSTANDER else roster(kind)


def mandate(kind: str) -> str | None:
    """Activation: by the mandate of the speaker's function, called or not (the Botkyrka
    communicator has none for samordnande; Polisen's duty officer and the TiBs have)."""
    return "auth.no_mandate" if kind == BYSTANDER else roster(kind)


MATRIX: list[tuple[str, Rule]] = [
    ("aktivera samordnande Skyfall Ida", mandate),
    (f"eskalera #{ACT}", convener("auth.escalate")),
    (f"ordförande #{ACT} vakthavande-befal@polisen", convener("auth.chair")),
    (f"avaktivera #{ACT} Läget är under kontroll", convener("auth.deactivate")),
    (f"kalla #{ACT} kommunikator@danderyd", called),
    (f"kvittera #{ACT}", called),
    (f"konferens #{ACT} 16:00", called),
    (f"läge #{ACT} Vägarna är blockerade", called),
    (f"beslut #{ACT} Skolorna håller stängt i morgon", called),
    (f"åtagande #{ACT} Vi bistår med personal", called),
    (f"åtagande #{ACT} SOS Alarm larmar ut extra resurser", convener("commit.own_actor")),
    (f"budskap #{ACT} Stanna inomhus", called),
    (f"godkänn #{ACT} 1", called),
    (f"lägesbild #{ACT}", called),
    (f"logg #{ACT} 5", called),
    (f"konferens #{ACT}", roster),
    (f"närvarande #{ACT}", roster),
    ("möte ny veckokonferens varje fredag 10:00", forum_member),
    ("möte stopp 1", forum_member),
    ("möte lista", roster),
    ("ärende Rutiner för reservkraft", roster),
    ("status", roster),
    ("vem tib@lansstyrelsen", roster),
    (f"klar #{ACT} 1", called),
    (f"klar #{ACT}", called),
    (f"uppföljning #{ACT} 1 Skolorna öppnar igen på måndag", called),
    (f"klocka #{ACT} +30m", exercise_leader),
    (f"klocka #{ACT}", roster),
    ("övning oväder Stormövning", mandate),
    (f"övning #{ACT} slut Övningen är slut", convener("exercise.not_leader")),
    (f"resurs #{ACT} behov 40 sandsäckar till Danderyd", called),
    (f"resurs #{ACT} erbjud 1 reservkraftverk 100 kVA", called),
    (f"resurs #{ACT} prioritera bandvagnar till akutsjukvård och räddningstjänst", called),
    (f"resurs #{ACT} matcha 1 2", called),  # the chair, Länsstyrelsen, or the offering actor
    (f"resurs #{ACT} återkalla 1", own_item),
    (f"resurser #{ACT}", called),
    ("hjälp", anyone),
    ("hjälp åtagande", anyone),
]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Roster]:
    roster_ = load_roster(default_roster_path())
    path = tmp_path_factory.mktemp("authz") / "prepared.db"
    asyncio.run(prepare(path, roster_))
    return path, roster_


@pytest.fixture(scope="module")
def started(prepared: tuple[Path, Roster],
            tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Roster, str]:
    """The prepared record with the dump every refused cell must leave: that of a copy after
    a start of the bot (what starting writes, a cell's start writes too), taken once."""
    source, roster_ = prepared
    path = tmp_path_factory.mktemp("authz-start") / "started.db"
    shutil.copyfile(source, path)

    async def start() -> None:
        app = await build_app(Settings(database_url=_url(path)), clock=ManualClock(NOW),
                              exercise=True, roster=roster_)
        await app.close()

    asyncio.run(start())
    return source, roster_, dump(_url(path))


def _cells() -> list[tuple[str, str, str | None]]:
    return [(text, kind, rule(kind)) for text, rule in MATRIX for kind in KINDS]


@pytest.mark.parametrize(("text", "kind", "refusal"), _cells(),
                         ids=[f"{t.split()[0]}-{k}-{i}" for i, (t, k, _) in enumerate(_cells())])
async def test_matrix_cell(started: tuple[Path, Roster, str], tmp_path: Path, text: str,
                           kind: str, refusal: str | None) -> None:
    source, roster_, before = started
    path = tmp_path / "cell.db"
    shutil.copyfile(source, path)
    app: App = await build_app(Settings(database_url=_url(path)), clock=ManualClock(NOW),
                               exercise=True, roster=roster_)
    try:
        reply = await say(app, SPEAKERS[kind], text)
        await app.relay.wait_idle()
        if refusal is None:
            assert reply.ok, f"{kind}: {text!r} was refused ({reply.code}): {reply.text}"
        else:
            assert not reply.ok and reply.code == refusal, (
                f"{kind}: {text!r} expected {refusal}, got {reply.code}: {reply.text}")
            assert dump(_url(path)) == before
    finally:
        await app.close()


def test_the_matrix_covers_every_command() -> None:
    """Every command of the grammar has at least one row."""
    from bot.grammar.words import COMMANDS  # the grammar's own list of command words

    words = {text.split()[0] for text, _ in MATRIX}
    assert {w.sv for w in COMMANDS} <= words, {w.sv for w in COMMANDS} - words


def test_a_participant_commits_for_their_own_actor_only(prepared: tuple[Path, Roster],
                                                         tmp_path: Path) -> None:
    """The example of the issue: a Region Stockholm participant writing `åtagande Stockholm
    Vatten säkrar nödvatten` is not booked on the municipality of Stockholm."""
    source, roster_ = prepared
    path = tmp_path / "cell.db"
    shutil.copyfile(source, path)

    async def run() -> tuple[str | None, str | None, str]:
        app = await build_app(Settings(database_url=_url(path)), clock=ManualClock(NOW),
                              exercise=True, roster=roster_)
        try:
            speaker = "rssl@region-stockholm"
            refused = await say(app, speaker, f"åtagande #{ACT} Stockholm Vatten säkrar "
                                              "nödvatten")
            own = await say(app, speaker, f"åtagande #{ACT} Region Stockholm Stockholm "
                                          "Vatten säkrar nödvatten")
            return refused.code, own.code if not own.ok else None, refused.text
        finally:
            await app.close()

    before = dump(_url(path))
    refused_code, own_code, text = asyncio.run(run())
    assert refused_code == "commit.own_actor" and "Region Stockholm" in text
    assert "`åtagande <vad Region Stockholm gör>`" in text  # no guessed own text (new user)
    assert own_code is None
    after = dump(_url(path))
    assert "Stockholm Vatten säkrar nödvatten" in after and after != before
    assert "'stockholm', 'Vatten säkrar" not in after


