"""An exercise's war room on two platforms: what the bridge relays (a person's message, the
answer to a command) is posted by the bot on the other side, so it carries ÖVNING first like
every other message of an exercise; a real activation's relays do not."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.bridge import BridgeMessage, Incoming, Text
from bot.domain.effects import Effect
from bot.settings import Settings
from tests.core.conftest import START, holder, say

pytestmark = pytest.mark.sqlite_only  # words on messages: the database does not matter
TIB = "tib@lansstyrelsen"


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    """Rooms on platforms (not the terminal's exercise process, where nothing is marked)."""
    built = await build_app(Settings(database_url=database_url), clock=ManualClock(START))
    try:
        yield built
    finally:
        await built.close()


async def _relays(app: App) -> list[BridgeMessage]:
    async with app.uow() as uow:
        effects: list[Effect] = [item.effect for item in await uow.outbox.pending()]
    return [e for e in effects if isinstance(e, BridgeMessage)]


@pytest.mark.parametrize(("command", "activation", "marked"), [
    ("övning oväder Stormövning", "Ö2026-001", True),
    ("aktivera samordnande oväder Snöstorm", "2026-001", False),
])
async def test_relays_of_an_exercise_say_ovning_first(
        app: App, command: str, activation: str, marked: bool) -> None:
    assert (await say(app, TIB, command)).ok
    async with app.uow() as uow:  # the war room on both platforms (and the terminal's)
        for platform, room in (("matrix", "!w"), ("slack", "C1"), ("console", "war")):
            await uow.rooms.bind("activation", activation, platform, room)
        await uow.commit()
    app.relay.active = False  # keep the relays in the outbox to read them
    person = holder(app, TIB)
    assert await app.bridge.receive(Incoming(
        platform="matrix", room="!w", key="$1", message="$1", action="post", person=person,
        sender="@tib:hs", parts=(Text("Vi samlas 14:00"),)))
    assert (await say(app, TIB, "status", room="war")).ok  # its answer is echoed
    relayed, echoed = await _relays(app)
    assert "Vi samlas 14:00" in relayed.text and "status" in echoed.text
    for message in (relayed, echoed):
        assert message.text.startswith("ÖVNING") is marked, message.text
        assert message.text.count("ÖVNING ·") <= 1, message.text
