"""The ChatPlatform effects on Matrix: war rooms, invitations, power levels, posts.

Every method is idempotent, because the outbox may deliver an effect again after a crash:
a war room is looked up by its binding first, and by its alias (`#samverkan-<id>`) when a
crash came between creating the room and binding it.
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
    RoomPutStateResponse,
    RoomResolveAliasResponse,
)

from bot.domain.delivery import Undeliverable
from bot.domain.effects import (
    CloseWarRoom,
    InvitePeople,
    OpenWarRoom,
    Post,
    RoomRef,
    SetModerators,
    SetTopic,
)
from bot.faults import fault_point
from bot.platforms.common import chunk_text
from bot.platforms.matrix import texts
from bot.platforms.matrix.client import (
    MatrixError,
    RateLimited,
    call,
    checked,
    creator_has_implicit_power,
    default_room_version,
)
from bot.platforms.matrix.directory import PLATFORM
from bot.platforms.matrix.invitations import (
    DEFAULT_INVITE_RATE,
    Invitations,
    InviteJob,
    invited_key,
)
from bot.platforms.matrix.render import CHUNK_CHARS, notice

log = logging.getLogger(__name__)

ACTIVATION_STATE = "se.samverkan.activation"
LINK_STATE = "se.samverkan.link"
MODERATOR = 50
ADMIN = 100
INSTALLATION_KEY = "matrix:installation"
SYNAPSE_INVITE_BURST = 10  # rc_invites.per_room burst_count, Synapse's default
_NEVER = {"M_FORBIDDEN", "M_UNKNOWN_TOKEN", "M_NOT_FOUND", "M_BAD_JSON", "M_TOO_LARGE"}


class WarRooms(Invitations):
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
        """createRoom with as many invitations as the server takes at once (all, or its
        invite burst once it has refused more), then bind the room and record the rest as a
        durable InvitePeople item for Matrix, in one commit."""
        if await self.bound("activation", effect.activation_id):
            return
        parent = await self.bound("activation", effect.link_to) if effect.link_to else None
        people = self.mxids(effect.invite)
        try:
            room_id, invited = await self._create(effect, [m for _, m in people], parent)
        except RateLimited:
            raise
        except MatrixError as exc:
            if exc.code in _NEVER:  # the server will not let us make rooms: say so, stop
                await self._refused(effect, exc)
                raise Undeliverable(exc.code or "", exc.message) from exc
            raise
        rest = [key for key, mxid in people if mxid not in invited]
        async with self.uow() as uow:
            await uow.rooms.bind("activation", effect.activation_id, PLATFORM, room_id)
            for mxid in invited:
                await uow.kv.put(invited_key(room_id, mxid), "ok")
            if rest:
                await uow.outbox.add(InvitePeople(
                    activation_id=effect.activation_id, people=rest, by=effect.by,
                    notify=effect.notify, platform=PLATFORM))
                minutes = max(1, round(len(rest) / DEFAULT_INVITE_RATE / 60))
                for room in effect.notify:
                    await uow.outbox.add(Post(room=room, platform=PLATFORM, text=texts.THROTTLED
                                              .format(id=effect.activation_id, first=len(invited),
                                                      total=len(people), minutes=minutes)))
            if parent is not None and effect.link_to is not None:
                for post in self._link_posts(parent, room_id, effect):
                    await uow.outbox.add(post)
            await uow.commit()
        fault_point("matrix.room_bound")
        self.kick_relay()
        if rest:
            await self.show_status(effect.activation_id, room_id, force=True)
        if parent is not None:
            try:
                await checked(lambda: self.client.room_put_state(
                    parent, LINK_STATE, {"activation_id": effect.activation_id,
                                         "relation": "child", "via": [self.server]},
                    state_key=room_id), "link rooms", RoomPutStateResponse)
            except MatrixError:
                log.exception("Matrix: could not link #%s to #%s", effect.activation_id,
                              effect.link_to)

    async def _refused(self, effect: OpenWarRoom, exc: MatrixError) -> None:
        """Tell the activator (where the command was given) that no war room could be made;
        never only into a room that does not exist."""
        text = texts.ROOM_REFUSED.format(id=effect.activation_id, reason=f"{exc.code} "
                                         f"{exc.message}".strip())
        mention = f" <@{effect.by}>" if effect.by else ""
        async with self.uow() as uow:
            for room in effect.notify:
                await uow.outbox.add(Post(room=room, text=text + mention, platform=PLATFORM,
                                          mentions=[effect.by] if effect.by else []))
            await uow.commit()
        self.kick_relay()

    async def invite(self, effect: InvitePeople) -> None:
        room_id = await self._war_room(effect.activation_id)
        await self.invite_each(InviteJob(effect.activation_id, room_id, effect.by,
                                         effect.notify), effect.people)

    async def post(self, effect: Post) -> None:
        room_id = await self.room_for(effect.room)
        if room_id is None:
            return  # that room does not exist on Matrix (forum without one, person off Matrix)
        # An event may be at most 65,536 bytes (spec, "Size limits"): a long text (a 100 kB
        # lägesbild) goes as several notices, the mentions and the reply with the first.
        for n, chunk in enumerate(list(chunk_text(effect.text, CHUNK_CHARS)) or [""]):
            content = notice(chunk, self.roster, mentions=effect.mentions if n == 0 else (),
                             reply_to=effect.reply_to if n == 0 else None)
            try:
                await self.send(room_id, content)
            except RateLimited:
                raise
            except MatrixError as exc:
                if exc.code in _NEVER:
                    raise Undeliverable(exc.code or "", exc.message) from exc
                raise

    async def set_moderators(self, effect: SetModerators) -> None:
        room_id = await self._war_room(effect.activation_id)
        state = await checked(
            lambda: self.client.room_get_state_event(room_id, "m.room.power_levels"),
            "get power levels", RoomGetStateEventResponse, pace=False)
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
                      "set power levels", RoomPutStateResponse, pace=False)

    async def set_topic(self, effect: SetTopic) -> None:
        room_id = await self._war_room(effect.activation_id)
        topic = {"topic": effect.topic}
        await checked(lambda: self.client.room_put_state(room_id, "m.room.topic", topic),
                      "set topic", RoomPutStateResponse, pace=False)

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
            part = f"{marker}:part:{n}"  # a rate limit between parts resumes, never repeats
            async with self.uow() as uow:
                if await uow.kv.get(part) is not None:
                    continue
            head = texts.PROTOCOL_PART.format(n=n, total=len(chunks)) if len(chunks) > 1 else ""
            sent = await self.send(room_id, notice(head + chunk, self.roster))
            async with self.uow() as uow:
                await uow.kv.put(part, sent)
                await uow.commit()
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

    def _link_posts(self, parent: str, child: str, effect: OpenWarRoom) -> list[Post]:
        """A notice in each of the two linked rooms, pointing at the other."""
        out = []
        for act, other, label, target in (
                (effect.activation_id, child, effect.name, effect.link_to or ""),
                (effect.link_to or "", parent, f"#{effect.link_to}", effect.activation_id)):
            href = f"https://matrix.to/#/{other}?via={self.server}"
            text = texts.LINKED_FROM.format(link=f"[{label}]({href})", activation_id=act)
            out.append(Post(room=RoomRef("activation", target), text=text, platform=PLATFORM))
        return out

    async def _mark_name_closed(self, room_id: str) -> None:
        state = await self.client.room_get_state_event(room_id, "m.room.name")
        name = state.content.get("name", "") if isinstance(state, RoomGetStateEventResponse) else ""
        if name and not name.endswith(texts.CLOSED_SUFFIX):
            await checked(lambda: self.client.room_put_state(
                room_id, "m.room.name", {"name": name + texts.CLOSED_SUFFIX}),
                "rename room", RoomPutStateResponse, pace=False)
