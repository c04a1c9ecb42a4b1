"""Relaying is durable work in the outbox: what waits to be relayed is in `/metrics`, in the
relay backlog and on its own."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.bootstrap import App
from bot.domain.bridge import BridgeMessage
from bot.domain.effects import InvitePeople
from bot.http import make_web_app


async def test_bridge_items_are_in_the_relay_backlog(core_app: App) -> None:
    async with core_app.uow() as uow:  # nothing performs them: no platform is configured
        await uow.outbox.add_many([
            BridgeMessage("2026-001", "matrix", "post", "$a", "**A:** hej"),
            BridgeMessage("2026-001", "slack", "delete", "1.2"),
            InvitePeople("2026-001", ["lst-tib-1"]),
        ])
        await uow.commit()
    async with TestClient(TestServer(make_web_app(core_app))) as client:
        text = await (await client.get("/metrics")).text()
    samples = {s.name: s.value for family in text_string_to_metric_families(text)
               for s in family.samples if not s.labels}
    assert samples["samverkan_relay_backlog"] == 3
    assert samples["samverkan_bridge_backlog"] == 2
    assert samples["samverkan_invitations_pending"] == 1
