"""Making a war room on Matrix: the createRoom request, as many invitations with it as the
server takes at once, and adopting a half-made room after a crash (by its alias).

Synapse checks the invitations of one createRoom against the inviter's invite burst
(`rc_invites.per_room`, 10 by default) and refuses "Cannot invite so many users at once";
the bot then learns that limit and invites the rest one by one (`invitations`).
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from nio import (
    ErrorResponse,
    JoinResponse,
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomPreset,
    RoomResolveAliasResponse,
)

from bot.domain.effects import OpenWarRoom
from bot.faults import fault_point
from bot.platforms.matrix.client import (
    call,
    checked,
    creator_has_implicit_power,
    default_room_version,
)
from bot.platforms.matrix.invitations import Invitations

log = logging.getLogger(__name__)

ACTIVATION_STATE = "se.samverkan.activation"
LINK_STATE = "se.samverkan.link"
MODERATOR = 50
ADMIN = 100
INSTALLATION_KEY = "matrix:installation"
# The createRoom invitation limit learnt from the server, kept so that it is learnt once per
# installation: a refused createRoom costs the bot one request of its message allowance
# (Synapse counts it in rc_message before it refuses "so many users"), 5 s of invitations.
CREATE_LIMIT_KEY = "matrix:create_invite_limit"
SYNAPSE_INVITE_BURST = 10  # rc_invites.per_room burst_count, Synapse's default
NEVER = {  # codes after which the server will not do it however often asked
    "M_FORBIDDEN", "M_UNKNOWN_TOKEN", "M_NOT_FOUND", "M_BAD_JSON", "M_TOO_LARGE"}


class RoomCreation(Invitations):
    """The room-making half of the war rooms (`warrooms.WarRooms` performs the effects)."""

    room_version = "12"  # the server's default, read at start and asked for explicitly
    installation = ""  # random, kept in the database: see alias_localpart

    @property
    def creator_has_power(self) -> bool:
        return creator_has_implicit_power(self.room_version)

    async def prepare(self) -> None:
        """Learn the server's room version, this installation's id and the createRoom
        invitation limit learnt earlier (before any effect)."""
        self.room_version = await default_room_version(self.client)
        async with self.uow() as uow:
            await uow.kv.add_once(INSTALLATION_KEY, secrets.token_hex(3))
            self.installation = await uow.kv.get(INSTALLATION_KEY) or ""
            learnt = await uow.kv.get(CREATE_LIMIT_KEY)
            await uow.commit()
        if learnt and learnt.isdigit():
            self.create_invite_limit = int(learnt)

    def _create_args(self, effect: OpenWarRoom, parent: str | None) -> dict[str, Any]:
        users = {mxid: MODERATOR for _, mxid in self.mxids(effect.moderators)}
        if not self.creator_has_power:
            users[self.me] = ADMIN
        state: list[dict[str, Any]] = [{
            "type": ACTIVATION_STATE, "state_key": "",
            "content": {"activation_id": effect.activation_id, "name": effect.name},
        }]
        if parent is not None:
            state.append({"type": LINK_STATE, "state_key": parent,
                          "content": {"activation_id": effect.link_to, "relation": "parent",
                                      "via": [self.server]}})
        return {"name": effect.name, "topic": effect.topic, "preset": RoomPreset.private_chat,
                "room_version": self.room_version, "initial_state": state,
                "power_level_override": {"users": users}}

    async def _create(self, effect: OpenWarRoom, invite: list[str],
                      parent: str | None) -> tuple[str, list[str]]:
        """(room id, the mxids invited with it). One createRoom with as many invitations as
        the server takes at once: all of them until it refuses "so many users at once"
        (Synapse checks them against rc_invites.per_room, a burst of 10 by default, unless
        the bot is exempt), then that many. If createRoom fails otherwise (e.g. an invitee's
        server is unreachable), adopt the half-made room by its alias or make one without
        invites; the rest is invited one by one. A rate limit raises RateLimited."""
        args = self._create_args(effect, parent)
        alias: str | None = self.alias_localpart(effect.activation_id)
        while True:
            first = invite[:self.create_invite_limit] if self.create_invite_limit else invite
            resp = await call(lambda f=first: self.client.room_create(  # type: ignore[misc]
                alias=alias, invite=f, **args), "create room", pace=False)
            if isinstance(resp, RoomCreateResponse):
                fault_point("matrix.room_created")
                return str(resp.room_id), list(first)
            message = getattr(resp, "message", "") or ""
            if "so many users" not in message or len(first) <= SYNAPSE_INVITE_BURST:
                break
            log.warning("Matrix: the homeserver takes at most %d invitations at once; the rest "
                        "are invited one by one at its pace", SYNAPSE_INVITE_BURST)
            self.create_invite_limit = SYNAPSE_INVITE_BURST
            async with self.uow() as uow:
                await uow.kv.put(CREATE_LIMIT_KEY, str(SYNAPSE_INVITE_BURST))
                await uow.commit()
        code = resp.status_code if isinstance(resp, ErrorResponse) else None
        log.warning("Matrix: createRoom for #%s failed (%s); retrying without invites",
                    effect.activation_id, resp)
        adopted = await self._adopt(f"#{alias}:{self.server}", effect)
        if adopted is not None:
            return adopted, []
        if code == "M_ROOM_IN_USE":
            alias = None  # the alias belongs to some other room
        created = await checked(lambda: self.client.room_create(alias=alias, **args),
                                "create room", RoomCreateResponse, pace=False)
        return str(created.room_id), []

    def alias_localpart(self, activation_id: str) -> str:
        """`samverkan-<installation>-<id>`: the installation part keeps a reset database (ids
        start again at -001) from adopting an old room on the same homeserver."""
        tail = re.sub(r"[^a-z0-9._=-]", "-", f"{self.installation}-{activation_id}".lower())
        return f"samverkan-{tail}"

    async def _adopt(self, alias: str, effect: OpenWarRoom) -> str | None:
        """The room behind `alias` if it is this activation's war room."""
        resolved = await call(lambda: self.client.room_resolve_alias(alias), "resolve alias")
        if not isinstance(resolved, RoomResolveAliasResponse):
            return None
        room_id = str(resolved.room_id)
        if not isinstance(await call(lambda: self.client.join(room_id), "join"), JoinResponse):
            return None
        state = await call(lambda: self.client.room_get_state_event(room_id, ACTIVATION_STATE),
                           "get state")
        if not isinstance(state, RoomGetStateEventResponse):
            return None
        same = (state.content.get("activation_id") == effect.activation_id
                and state.content.get("name") == effect.name)
        return room_id if same else None
