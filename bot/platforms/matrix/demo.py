"""`samverkan demo matrix`: make a fresh Synapse into a demo a person can log into.

What it does, each step safe to repeat (the compose demo runs it as a one-shot service):

1. registers an admin account, the bot's account and every roster person whose Matrix id is on
   this homeserver, with Synapse's shared-secret registration API
   (https://element-hq.github.io/synapse/latest/admin_api/register_api.html); an account that
   exists already is left as it is;
2. lifts the bot's rate limits with the admin API `override_ratelimit`
   (https://element-hq.github.io/synapse/latest/admin_api/user_admin_api.html#override-ratelimiting-for-users),
   as the README's "Rate limits" advice says for production;
3. creates each forum's standing room under the roster's alias (`standing_room.matrix`), as the
   region's convener (a roster person, so the bot accepts the invitation), unencrypted, and
   invites the bot.

Only HTTP (aiohttp); no platform state of the bot is touched.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp

from bot.domain.roster import Roster

log = logging.getLogger(__name__)

ADMIN_LOCALPART = "demo-admin"


class DemoSetupError(RuntimeError):
    """The homeserver refused a step for good (the message says which and why)."""


@dataclass
class DemoReport:
    """What a run did: accounts created / already there, rooms created / already there."""

    registered: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    rooms_created: list[str] = field(default_factory=list)
    rooms_existing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoConfig:
    """`homeserver`: client-server base URL; `server_name`: the part after `:` in user ids;
    `shared_secret`: Synapse's `registration_shared_secret`; `bot_user_id` and `bot_password`:
    the bot's account (the same as SAMVERKAN_MATRIX__USER_ID / __PASSWORD); `person_password`:
    the password every roster person gets; `admin_password`: the admin account's."""

    homeserver: str
    server_name: str
    shared_secret: str
    bot_user_id: str
    bot_password: str
    person_password: str
    admin_password: str


class _Api:
    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base.rstrip("/")

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None,
                   token: str | None = None) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for _ in range(30):  # bounded: a throttled demo set-up waits, it does not give up early
            async with self.session.request(method, self.base + path, json=body,
                                            headers=headers) as response:
                data: dict[str, Any] = await response.json(content_type=None) or {}
                if response.status != 429:
                    return response.status, data
            await asyncio.sleep(min(int(data.get("retry_after_ms", 1000)), 10_000) / 1000)
        raise DemoSetupError(f"{method} {path}: still rate limited after 30 tries")


async def wait_for_homeserver(homeserver: str, within: float = 120.0) -> None:
    """Until `GET /health` answers 200, at most `within` seconds (DemoSetupError after)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        while loop.time() < deadline:
            try:
                async with session.get(homeserver.rstrip("/") + "/health") as response:
                    if response.status == 200:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(1.0)
    raise DemoSetupError(f"{homeserver} svarade inte inom {within:.0f} s")


async def set_up_demo(config: DemoConfig, roster: Roster) -> DemoReport:
    """Run the three steps above against `config.homeserver`; returns what was done."""
    report = DemoReport()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        api = _Api(session, config.homeserver)
        admin = await _account(api, config, ADMIN_LOCALPART, config.admin_password, admin=True,
                               report=report)
        await _account(api, config, _localpart(config.bot_user_id), config.bot_password,
                       admin=False, report=report)
        for person in roster.people:
            if person.matrix_id and person.matrix_id.endswith(":" + config.server_name):
                await _account(api, config, _localpart(person.matrix_id),
                               config.person_password, admin=False, report=report)
        await _exempt(api, admin, config.bot_user_id)
        convener = roster.holder(roster.region.convener_ref, datetime.now(UTC))
        matrix_id = roster.people_by_key[convener].matrix_id if convener else None
        if not matrix_id:
            raise DemoSetupError("regionens sammankallande har inget Matrix-id i rollförteckningen")
        owner = await _login(api, _localpart(matrix_id), config.person_password)
        for forum in roster.forums:
            alias = forum.standing_room.matrix
            if alias and alias.endswith(":" + config.server_name):
                await _standing_room(api, owner, alias, forum.name, bot_user_id=config.bot_user_id,
                                     report=report)
    return report


def _localpart(user_id: str) -> str:
    return user_id.removeprefix("@").split(":", 1)[0]


async def _account(api: _Api, config: DemoConfig, localpart: str, password: str, *,
                   admin: bool, report: DemoReport) -> str:
    """Registers `localpart` unless it exists; returns an access token only for admins."""
    status, data = await api.call("GET", "/_synapse/admin/v1/register")
    nonce = str(data["nonce"])
    parts = (nonce, localpart, password, "admin" if admin else "notadmin")
    mac = hmac.new(config.shared_secret.encode(), b"\x00".join(p.encode() for p in parts),
                   hashlib.sha1).hexdigest()
    body = {"nonce": nonce, "username": localpart, "password": password, "admin": admin,
            "mac": mac}
    status, data = await api.call("POST", "/_synapse/admin/v1/register", body)
    user_id = f"@{localpart}:{config.server_name}"
    if status == 200:
        report.registered.append(user_id)
        return str(data.get("access_token", ""))
    if data.get("errcode") == "M_USER_IN_USE":
        report.existing.append(user_id)
        return await _login(api, localpart, password) if admin else ""
    raise DemoSetupError(f"registrering av {user_id} nekades: {status} {data}")


async def _login(api: _Api, localpart: str, password: str) -> str:
    body = {"type": "m.login.password", "password": password,
            "identifier": {"type": "m.id.user", "user": localpart}}
    status, data = await api.call("POST", "/_matrix/client/v3/login", body)
    if status != 200:
        raise DemoSetupError(f"inloggning som {localpart} nekades: {status} {data}")
    return str(data["access_token"])


async def _exempt(api: _Api, admin_token: str, bot_user_id: str) -> None:
    path = ("/_synapse/admin/v1/users/" + urllib.parse.quote(bot_user_id, safe="")
            + "/override_ratelimit")
    body = {"messages_per_second": 0, "burst_count": 0}  # 0 and 0: no limit at all
    status, data = await api.call("POST", path, body, token=admin_token)
    if status != 200:
        raise DemoSetupError(f"override_ratelimit för {bot_user_id} nekades: {status} {data}")


async def _standing_room(api: _Api, token: str, alias: str, name: str, *, bot_user_id: str,
                         report: DemoReport) -> None:
    path = "/_matrix/client/v3/directory/room/" + urllib.parse.quote(alias, safe="")
    status, data = await api.call("GET", path)
    if status == 200:
        room_id = str(data["room_id"])
        report.rooms_existing.append(alias)
    else:
        body = {"room_alias_name": _localpart(alias.replace("#", "@", 1)), "name": name,
                "preset": "public_chat", "visibility": "private"}
        status, data = await api.call("POST", "/_matrix/client/v3/createRoom", body, token)
        if status != 200:
            raise DemoSetupError(f"rummet {alias} kunde inte skapas: {status} {data}")
        room_id = str(data["room_id"])
        report.rooms_created.append(alias)
    invite = f"/_matrix/client/v3/rooms/{urllib.parse.quote(room_id, safe='')}/invite"
    status, data = await api.call("POST", invite, {"user_id": bot_user_id}, token)
    if status != 200 and "already in the room" not in str(data.get("error", "")):
        raise DemoSetupError(f"boten kunde inte bjudas in till {alias}: {status} {data}")
