"""The ChatPlatform effects on Matrix: war rooms, invitations, power levels, posts.

Every method is idempotent, because the outbox may deliver an effect again after a crash:
a war room is looked up by its binding first, and by its alias (`#samverkan-<id>`) when a
crash came between creating the room and binding it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from html import escape
from typing import Any

from nio import (
    ErrorResponse,
    JoinResponse,
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomInviteResponse,
    RoomPreset,
    RoomPutStateResponse,
    RoomResolveAliasResponse,
)

from bot.domain.effects import (
    CloseWarRoom,
    InvitePeople,
    OpenWarRoom,
    Post,
    SetModerators,
    SetTopic,
)
from bot.faults import fault_point
from bot.platforms.common import chunk_text
from bot.platforms.matrix import texts
from bot.platforms.matrix.client import (
    RATE_LIMITED,
    MatrixError,
    call,
    checked,
    creator_has_implicit_power,
    default_room_version,
)
from bot.platforms.matrix.directory import RoomDirectory
from bot.platforms.matrix.render import CHUNK_CHARS, html_notice, notice, person_name, room_link

log = logging.getLogger(__name__)

ACTIVATION_STATE = "se.samverkan.activation"
LINK_STATE = "se.samverkan.link"
MODERATOR = 50
ADMIN = 100
INSTALLATION_KEY = "matrix:installation"
_INVITE_CONCURRENCY = 4


class WarRooms(RoomDirectory):
    room_version = "12"  # the server's default, read at start and asked for explicitly
    installation = ""  # random, kept in the database: see alias_localpart

    @property
    def creator_has_power(self) -> bool:
        return creator_has_implicit_power(self.room_version)

    async def prepare(self) -> None:
        """Learn the server's room version and this installation's id (before any effect)."""
        self.room_version = await default_room_version(self.client)
        async with self.uow() as uow:
            await uow.kv.add_once(INSTALLATION_KEY, secrets.token_hex(3))
            self.installation = await uow.kv.get(INSTALLATION_KEY) or ""
            await uow.commit()

    async def open_war_room(self, effect: OpenWarRoom) -> None:
        if await self.bound("activation", effect.activation_id):
            return
        parent = await self.bound("activation", effect.link_to) if effect.link_to else None
        people = self.mxids(effect.invite)
        room_id, all_invited = await self._create(effect, [m for _, m in people], parent)
        await self.bind("activation", effect.activation_id, room_id)
        fault_point("matrix.room_bound")
        # From here on the room exists and is bound, so a re-delivery ends above: what
        # follows must not raise (a failure is reported in the room or logged instead).
        failures = [] if all_invited else await self._invite_each(room_id, people)
        if parent is not None and effect.link_to is not None:
            try:
                await self._link(parent, room_id, effect.activation_id, effect.link_to,
                                 effect.name)
            except MatrixError:
                log.exception("Matrix: could not link #%s to #%s", effect.activation_id,
                              effect.link_to)
        try:
            await self._report_failures(room_id, failures)
        except MatrixError:
            log.exception("Matrix: could not report failed invitations in %s", room_id)

    async def invite(self, effect: InvitePeople) -> None:
        room_id = await self._war_room(effect.activation_id)
        failures = await self._invite_each(room_id, self.mxids(effect.people))
        await self._report_failures(room_id, failures)

    async def post(self, effect: Post) -> None:
        room_id = await self.room_for(effect.room)
        if room_id is None:
            return  # that room does not exist on Matrix (forum without one, person off Matrix)
        # An event may be at most 65,536 bytes (spec, "Size limits"): a long text (a 100 kB
        # lägesbild) goes as several notices, the mentions with the first.
        for n, chunk in enumerate(list(chunk_text(effect.text, CHUNK_CHARS)) or [""]):
            await self.send(room_id, notice(chunk, self.roster,
                                            mentions=effect.mentions if n == 0 else ()))

    async def set_moderators(self, effect: SetModerators) -> None:
        room_id = await self._war_room(effect.activation_id)
        state = await checked(
            lambda: self.client.room_get_state_event(room_id, "m.room.power_levels"),
            "get power levels", RoomGetStateEventResponse)
        content = dict(state.content)
        wanted = {mxid for _, mxid in self.mxids(effect.moderators)}
        users = {u: lvl for u, lvl in content.get("users", {}).items()
                 if lvl != MODERATOR or u in wanted}
        users.update(dict.fromkeys(wanted - {u for u, lvl in users.items() if lvl > MODERATOR},
                                   MODERATOR))
        if users == content.get("users", {}):
            return
        content["users"] = users
        await checked(lambda: self.client.room_put_state(room_id, "m.room.power_levels", content),
                      "set power levels", RoomPutStateResponse)

    async def set_topic(self, effect: SetTopic) -> None:
        room_id = await self._war_room(effect.activation_id)
        topic = {"topic": effect.topic}
        await checked(lambda: self.client.room_put_state(room_id, "m.room.topic", topic),
                      "set topic", RoomPutStateResponse)

    async def close_war_room(self, effect: CloseWarRoom) -> None:
        """Post the protocol and mark the room closed; nobody is kicked, the room stays
        readable as the record."""
        room_id = await self._war_room(effect.activation_id)
        marker = f"matrix:closed:{effect.activation_id}"
        async with self.uow() as uow:
            if await uow.kv.get(marker) is not None:
                return
        chunks = list(chunk_text(effect.protocol, CHUNK_CHARS)) or [""]
        for n, chunk in enumerate(chunks, start=1):
            head = texts.PROTOCOL_PART.format(n=n, total=len(chunks)) if len(chunks) > 1 else ""
            await self.send(room_id, notice(head + chunk, self.roster))
        await self._mark_name_closed(room_id)
        async with self.uow() as uow:
            await uow.kv.put(marker, room_id)
            await uow.commit()

    # -- helpers ---------------------------------------------------------------------------
    async def _war_room(self, activation_id: str) -> str:
        room_id = await self.bound("activation", activation_id)
        if room_id is None:
            raise MatrixError("war room", "M_NOT_FOUND", f"no war room bound for #{activation_id}")
        return room_id

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
                      parent: str | None) -> tuple[str, bool]:
        """(room id, whether everyone is invited already). One createRoom with all invites;
        if that fails (e.g. one invitee's server is unreachable), adopt the half-made room
        by its alias or make one without invites, and invite one by one."""
        args = self._create_args(effect, parent)
        alias: str | None = self.alias_localpart(effect.activation_id)
        resp = await call(lambda: self.client.room_create(alias=alias, invite=invite, **args),
                          "create room")
        if isinstance(resp, RoomCreateResponse):
            fault_point("matrix.room_created")
            return str(resp.room_id), True
        code = resp.status_code if isinstance(resp, ErrorResponse) else None
        if code == RATE_LIMITED:
            raise MatrixError("create room", code, getattr(resp, "message", ""))
        log.warning("Matrix: createRoom for #%s failed (%s); retrying without invites",
                    effect.activation_id, resp)
        adopted = await self._adopt(f"#{alias}:{self.server}", effect)
        if adopted is not None:
            return adopted, False
        if code == "M_ROOM_IN_USE":
            alias = None  # the alias belongs to some other room
        created = await checked(lambda: self.client.room_create(alias=alias, **args),
                                "create room", RoomCreateResponse)
        return str(created.room_id), False

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

    async def _invite_each(self, room_id: str,
                           people: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
        """Invite one by one; returns (key, mxid, reason) of those that failed."""
        gate = asyncio.Semaphore(_INVITE_CONCURRENCY)

        async def one(key: str, mxid: str) -> tuple[str, str, str] | None:
            async with gate:
                try:
                    await checked(lambda: self.client.room_invite(room_id, mxid), f"invite {mxid}",
                                  RoomInviteResponse)
                    fault_point("matrix.invited")
                except MatrixError as exc:
                    if "already" in exc.message:  # joined or invited before: fine
                        return None
                    log.warning("Matrix: %s", exc)
                    return key, mxid, f"{exc.code or ''} {exc.message}".strip()
            return None

        results = await asyncio.gather(*(one(k, m) for k, m in people))
        return [r for r in results if r is not None]

    async def _report_failures(self, room_id: str, failures: list[tuple[str, str, str]]) -> None:
        if not failures:
            return
        lines = [texts.INVITE_FAILED_HEAD] + [
            "- " + texts.INVITE_FAILED.format(name=person_name(self.roster, key), mxid=mxid,
                                              reason=reason)
            for key, mxid, reason in failures]
        await self.send(room_id, notice("\n".join(lines), self.roster))

    async def _link(self, parent: str, child: str, child_id: str, parent_id: str,
                    child_name: str) -> None:
        """State in both rooms (the child's came with createRoom) and a notice in each."""
        await checked(lambda: self.client.room_put_state(
            parent, LINK_STATE, {"activation_id": child_id, "relation": "child",
                                 "via": [self.server]}, state_key=child),
            "link rooms", RoomPutStateResponse)
        for room, other, label, act in ((parent, child, child_name, child_id),
                                        (child, parent, f"#{parent_id}", parent_id)):
            link = room_link(other, label, self.server)
            body = texts.LINKED_FROM.format(link=label, activation_id=act)
            html = texts.LINKED_FROM.format(link=link, activation_id=escape(act))
            await self.send(room, html_notice(body, html))

    async def _mark_name_closed(self, room_id: str) -> None:
        state = await self.client.room_get_state_event(room_id, "m.room.name")
        name = state.content.get("name", "") if isinstance(state, RoomGetStateEventResponse) else ""
        if name and not name.endswith(texts.CLOSED_SUFFIX):
            await checked(lambda: self.client.room_put_state(
                room_id, "m.room.name", {"name": name + texts.CLOSED_SUFFIX}),
                "rename room", RoomPutStateResponse)
