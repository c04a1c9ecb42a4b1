"""Playbooks: a region's own playbook file in its config folder is listed by `hjälp
scenarier` and applied by `aktivera` without code changes; its checklist is posted, ticked
with `klar`, shown in `status` and the protocol; `budskap mall` fills a template; a broken
playbook gives file:line errors and stops the start."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.handlers.types import Origin, Reply
from bot.platforms.console.platform import ConsolePlatform
from bot.roster.loader import RosterError, default_roster_path
from bot.settings import Settings
from tests.core.conftest import START, holder

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

SNORAS = """\
# Regionens eget scenario: snöras från tak
name = "Snöras"
aliases = ["snöras", "takras"]
forum = "samordnande"
extra_calls = ["trafik-stockholm@trafikverket", "kustbevakningen"]
conference_every_hours = 2
agenda = ["Utsatta gator och byggnader"]
checklist = ["Stäng av utsatta gångstråk", "Inventera tak med risk", "Informera fastighetsägare"]

[[templates]]
key = "gangstrak"
name = "Gångstråk"
text = "{rubrik}: Gå inte under tak med snö och istappar. ({region}, {datum})"
"""

OVADER_OWN = """\
name = "Oväder (regionens egen)"
aliases = ["oväder", "storm"]
forum = "samordnande"
extra_calls = []
conference_every_hours = 1
checklist = ["Egen punkt"]
"""


@pytest.fixture
def region(tmp_path: Path) -> Path:
    """A copy of the bundled region folder, as an administrator would keep it."""
    folder = tmp_path / "region"
    shutil.copytree(default_roster_path(), folder)
    (folder / "scenarios").mkdir()
    return folder


@pytest.fixture
async def live(region: Path, database_url: str) -> AsyncIterator[tuple[App, io.StringIO]]:
    (region / "scenarios" / "snoras.toml").write_text(SNORAS, encoding="utf-8")
    (region / "scenarios" / "ovader.toml").write_text(OVADER_OWN, encoding="utf-8")
    app = await build_app(Settings(database_url=database_url, roster=region),
                          clock=ManualClock(START))
    out = io.StringIO()
    app.add_platform(ConsolePlatform(app.roster, app.uow, out))
    try:
        yield app, out
    finally:
        await app.close()


async def _say(app: App, who: str, text: str, room: str | None = None) -> Reply:
    person = holder(app, who)
    reply = await app.service.handle(text, Origin("console", person, room, user=person))
    await app.relay.wait_idle()
    return reply


async def test_region_playbook_is_listed_and_applied(live: tuple[App, io.StringIO]) -> None:
    app, out = live
    listed = await _say(app, "tib@lansstyrelsen", "hjälp scenarier")
    assert "`snoras` Snöras" in listed.text and "Oväder (regionens egen)" in listed.text
    assert "`dricksvatten`" in listed.text  # the bundled ones stay
    opened = await _say(app, "tib@lansstyrelsen", "aktivera snöras Snöras i innerstaden")
    assert opened.ok and "var 2:a timme" in opened.text, opened.text  # andra: 2:a
    async with app.uow() as uow:
        rows = await uow.participants.of_activation("2026-001")
        room = await uow.rooms.room("activation", "2026-001", "console")
    assert {"trafik-stockholm@trafikverket", "ledningscentral@kustbevakningen"} <= {
        r.function for r in rows}
    assert room is not None and "Stäng av utsatta gångstråk" in out.getvalue()

    ticked = await _say(app, "trafik-stockholm@trafikverket", "klar 2", room)
    assert ticked.ok and "(1/3 klara)" in ticked.text
    again = await _say(app, "tib@lansstyrelsen", "klar 2", room)
    assert not again.ok and again.code == "checklist.already"
    missing = await _say(app, "tib@lansstyrelsen", "klar 9", room)
    assert not missing.ok and missing.code == "checklist.no_item"
    status = await _say(app, "tib@lansstyrelsen", "status")
    assert "checklista 1/3" in status.text

    proposed = await _say(app, "tib@lansstyrelsen", "budskap mall gångstråk", room)
    assert proposed.ok, proposed.text
    async with app.uow() as uow:
        (message,) = await uow.messages.of_event(1)
    assert message.text == ("Snöras i innerstaden: Gå inte under tak med snö och istappar. "
                            "(Stockholms län, 2026-11-21)")
    assert (await _say(app, "tib@lansstyrelsen", "avaktivera Klart", room)).ok
    async with app.uow() as uow:
        act = await uow.activations.get("2026-001")
    assert act is not None and act.protocol is not None
    assert "- [ ] 1. Stäng av utsatta gångstråk" in act.protocol
    assert "- [x] 2. Inventera tak med risk — " in act.protocol


async def test_region_playbook_replaces_a_bundled_one(live: tuple[App, io.StringIO]) -> None:
    app, _ = live
    ovader = app.roster.scenarios_by_key["ovader"]
    assert ovader.conference_every_hours == 1 and ovader.checklist == ["Egen punkt"]
    assert [s.key for s in app.roster.scenarios].count("ovader") == 1


BROKEN = """\
name = "Trasig"
forum = "finns-inte"
extra_calls = ["polisen", "nagon@ingenstans"]
conference_every_hours = "ofta"
"""


async def test_a_broken_region_playbook_stops_the_start(region: Path, database_url: str) -> None:
    broken = region / "scenarios" / "trasig.toml"
    broken.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(RosterError) as err:
        await build_app(Settings(database_url=database_url, roster=region))
    where = {(Path(p.file).name, p.line) for p in err.value.problems}
    assert ("trasig.toml", 4) in where  # conference_every_hours is no number
    text = str(err.value)
    assert f"{broken}:4: scenarios.trasig.conference_every_hours" in text


def test_roster_check_names_file_and_line_of_a_broken_playbook(region: Path) -> None:
    (region / "scenarios" / "trasig.toml").write_text(BROKEN.replace('"ofta"', "3"), "utf-8")
    result = subprocess.run([sys.executable, "-m", "bot.cli", "roster", "check", str(region)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(ln.startswith(f"{region}/scenarios/trasig.toml:2: scenarios.trasig.forum")
               for ln in lines), result.stdout
    assert any(":3: scenarios.trasig.extra_calls[1]" in ln for ln in lines), result.stdout
