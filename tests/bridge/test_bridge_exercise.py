"""An exercise's war room on two platforms: what the bridge relays (a person's message, the
answer to a command) is posted by the bot on the other side, so it carries ÖVNING first like
every other message of an exercise; a real activation's relays do not."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from bot.domain.bridge import BridgeMessage, Incoming, Text
from bot.domain.effects import Effect
from tests.core.conftest import holder, say

pytestmark = pytest.mark.sqlite_only  # words on messages: the database does not matter
TIB = "tib@lansstyrelsen"




async def _relays(core_app: App) -> list[BridgeMessage]:
    async with core_app.uow() as uow:
        effects: list[Effect] = [item.effect for item in await uow.outbox.pending()]
    return [e for e in effects if isinstance(e, BridgeMessage)]


@pytest.mark.parametrize(("command", "activation", "marked"), [
    ("övning oväder Stormövning", "Ö2026-001", True),
    ("aktivera samordnande oväder Snöstorm", "2026-001", False),
])
async def test_relays_of_an_exercise_say_ovning_first(
        core_app: App, command: str, activation: str, marked: bool) -> None:
    assert (await say(core_app, TIB, command)).ok
    async with core_app.uow() as uow:  # the war room on both platforms (and the terminal's)
        for platform, room in (("matrix", "!w"), ("slack", "C1"), ("console", "war")):
            await uow.rooms.bind("activation", activation, platform, room)
        await uow.commit()
    core_app.relay.active = False  # keep the relays in the outbox to read them
    person = holder(core_app, TIB)
    assert await core_app.bridge.receive(Incoming(
        platform="matrix", room="!w", key="$1", message="$1", action="post", person=person,
        sender="@tib:hs", parts=(Text("Vi samlas 14:00"),)))
    assert (await say(core_app, TIB, "status", room="war")).ok  # its answer is echoed
    relayed, echoed = await _relays(core_app)
    assert "Vi samlas 14:00" in relayed.text and "status" in echoed.text
    for message in (relayed, echoed):
        assert message.text.startswith("ÖVNING") is marked, message.text
        assert message.text.count("ÖVNING ·") <= 1, message.text
