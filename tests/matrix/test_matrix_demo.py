"""`samverkan demo matrix` against the real Synapse: accounts, standing rooms under the
roster's aliases with the bot invited, the bot exempted from rate limits; a second run changes
nothing (the compose demo's one-shot service may run again after a restart)."""

from __future__ import annotations

import tomllib
import urllib.parse
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.domain.roster import Roster
from bot.platforms.matrix.demo import DemoConfig, DemoSetupError, set_up_demo, wait_for_homeserver
from bot.roster.checks import validated_roster
from tests.matrix.synapse_server import SERVER_NAME, SHARED_SECRET, SynapseServer

MINI = Path(__file__).resolve().parents[1] / "roster" / "data" / "mini.toml"
pytestmark = pytest.mark.synapse


def _unique_roster(tag: str) -> Roster:
    """The mini roster with every Matrix id and alias made unique to this test, so the
    session's shared homeserver holds nothing of it yet."""
    data: dict[str, Any] = tomllib.loads(MINI.read_text(encoding="utf-8"))
    for person in data["people"]:
        person["matrix_id"] = f"@{person['key']}-{tag}:{SERVER_NAME}"
    for forum in data["forums"]:
        if "standing_room" in forum:
            forum["standing_room"]["matrix"] = f"#{forum['key']}-{tag}:{SERVER_NAME}"
    return validated_roster(data)


def _config(synapse: SynapseServer, tag: str) -> DemoConfig:
    return DemoConfig(homeserver=synapse.base_url, server_name=SERVER_NAME,
                      shared_secret=SHARED_SECRET, bot_user_id=f"@bot-{tag}:{SERVER_NAME}",
                      bot_password="bot-pw", person_password="demo-pw",
                      admin_password="admin-pw")


async def _get(session: aiohttp.ClientSession, url: str, token: str) -> tuple[int, Any]:
    async with session.get(url, headers={"Authorization": f"Bearer {token}"}) as response:
        return response.status, await response.json(content_type=None)


async def _login(session: aiohttp.ClientSession, base: str, user_id: str, password: str) -> str:
    body = {"type": "m.login.password", "password": password,
            "identifier": {"type": "m.id.user", "user": user_id}}
    async with session.post(base + "/_matrix/client/v3/login", json=body) as response:
        assert response.status == 200, await response.text()
        return str((await response.json())["access_token"])


async def test_demo_setup_makes_a_homeserver_a_person_can_log_into(
        synapse: SynapseServer) -> None:
    tag = uuid.uuid4().hex[:8]
    roster, config = _unique_roster(tag), _config(synapse, tag)
    await wait_for_homeserver(config.homeserver, within=10)

    first = await set_up_demo(config, roster)

    people = sorted(p.matrix_id for p in roster.people if p.matrix_id)
    admin = f"@demo-admin:{SERVER_NAME}"  # shared by every run against this homeserver
    assert sorted(set(first.registered) - {admin}) == sorted([*people, config.bot_user_id])
    assert admin in first.registered + first.existing
    alias = f"#samordnande-{tag}:{SERVER_NAME}"
    assert first.rooms_created == [alias]
    base = synapse.base_url
    async with aiohttp.ClientSession() as session:
        convener = roster.holder(roster.region.convener_ref, datetime.now(UTC))
        assert convener is not None
        owner = roster.people_by_key[convener].matrix_id
        assert owner is not None
        person_token = await _login(session, base, owner, "demo-pw")
        status, found = await _get(session, base + "/_matrix/client/v3/directory/room/"
                                   + urllib.parse.quote(alias, safe=""), person_token)
        assert status == 200
        room = urllib.parse.quote(found["room_id"], safe="")
        member = urllib.parse.quote(config.bot_user_id, safe="")
        status, state = await _get(
            session, f"{base}/_matrix/client/v3/rooms/{room}/state/m.room.member/{member}",
            person_token)
        assert (status, state["membership"]) == (200, "invite")
        admin_token = await _login(session, base, admin, "admin-pw")
        status, limits = await _get(
            session, f"{base}/_synapse/admin/v1/users/{member}/override_ratelimit", admin_token)
        assert (status, limits) == (200, {"messages_per_second": 0, "burst_count": 0})

    again = await set_up_demo(config, roster)
    assert again.registered == [] and again.rooms_created == []
    assert again.rooms_existing == [alias]


async def test_a_wrong_shared_secret_is_a_clear_error(synapse: SynapseServer) -> None:
    tag = uuid.uuid4().hex[:8]
    config = _config(synapse, tag)
    wrong = DemoConfig(**{**config.__dict__, "shared_secret": "not-the-secret"})
    with pytest.raises(DemoSetupError, match="registrering av"):
        await set_up_demo(wrong, _unique_roster(tag))
