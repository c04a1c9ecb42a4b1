"""slack/manifest.yaml matches the code: the same slash commands, and a bot scope for every
Web API method the adapter was seen calling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from slack_harness import Harness, open_form

from bot.domain.effects import Post, RoomRef
from bot.platforms.slack import SLASH_COMMANDS

MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yaml"

# Bot scopes per method, from Slack's current method docs (the 2020 spec still lists the old
# pre-granular scopes). Any one of a method's scopes is enough.
SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "views.open": set(),
    "apps.connections.open": set(),  # app-level token, connections:write
    "chat.postMessage": {"chat:write"},
    "chat.update": {"chat:write"},  # the bridge: a relayed edit
    "chat.delete": {"chat:write"},  # the bridge: a relayed deletion
    "conversations.history": {"groups:history", "channels:history"},
    "conversations.create": {"groups:write"},  # private channels
    "conversations.invite": {"groups:write"},
    "conversations.setTopic": {"groups:write"},
    "conversations.setPurpose": {"groups:write"},
    "conversations.members": {"groups:read", "channels:read"},
    "conversations.list": {"channels:read"},
    "conversations.join": {"channels:join"},
    "conversations.open": {"im:write"},
    "users.info": {"users:read"},
    "users.list": {"users:read"},
    "users.lookupByEmail": {"users:read.email"},
}


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_manifest_declares_the_commands_the_code_handles() -> None:
    data = manifest()
    commands = {c["command"] for c in data["features"]["slash_commands"]}
    assert commands == set(SLASH_COMMANDS)
    assert all(c["usage_hint"] and c["description"] for c in data["features"]["slash_commands"])
    assert all(len(c["description"]) <= 100 for c in data["features"]["slash_commands"])
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["settings"]["interactivity"]["is_enabled"] is True
    # The bridge reads the war rooms' messages (Events API `message` in private channels).
    assert {"message.groups", "message.channels"} <= set(
        data["settings"]["event_subscriptions"]["bot_events"])
    assert {"groups:history", "channels:history"} <= set(data["oauth_config"]["scopes"]["bot"])


async def test_every_method_used_has_its_scope(bot: Harness) -> None:
    channel = bot.channels["samordnande"]
    await bot.command("tib@lansstyrelsen", "/aktivera", "samordnande oväder Snöstorm Gorm",
                      channel=channel)
    await bot.settle()
    await bot.platform.post(Post(RoomRef("person", "nacka-tib-1"), "Påminnelse"))
    await open_form(bot)
    used = {c.method for c in bot.fake.calls}
    assert used >= {"conversations.create", "conversations.invite", "users.list",
                    "conversations.open", "views.open", "conversations.join"}
    granted = set(manifest()["oauth_config"]["scopes"]["bot"])
    for method in used:
        needed = SCOPES[method]
        assert not needed or needed & granted, f"{method} needs one of {needed}"
