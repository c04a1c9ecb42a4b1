"""The ChatPlatform effects on Matrix: war rooms, invitations, power levels, posts (the
making of a room is in `roomcreate`, the invitations in `invitations`).

Every method is idempotent, because the outbox may deliver an effect again after a crash:
a war room is looked up by its binding first, and by its alias (`#samverkan-<id>`) when a
crash came between creating the room and binding it.
"""

from __future__ import annotations

import logging

from nio import (
    RoomGetStateEventResponse,
    RoomPutStateResponse,
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
    current_delivery,
)
from bot.faults import fault_point
from bot.platforms.common import chunk_text
from bot.platforms.matrix import texts
from bot.platforms.matrix.client import (
    MatrixError,
    RateLimited,
    checked,
)
from bot.platforms.matrix.directory import PLATFORM
from bot.platforms.matrix.invitations import InviteJob
from bot.platforms.matrix.render import CHUNK_CHARS, notice
from bot.platforms.matrix.roomcreate import LINK_STATE, MODERATOR, NEVER, RoomCreation
from bot.platforms.matrix.status import DEFAULT_INVITE_RATE, invited_key

log = logging.getLogger(__name__)


class WarRooms(RoomCreation):
    """Performs the core's effects on Matrix (see the module docstring)."""

    async def open_war_room(self, effect: OpenWarRoom) -> None:
        """createRoom with as many invitations as the server takes at once (all, or its
        invite burst once it has refused more), then bind the room and record the rest as a
        durable InvitePeople item for Matrix, in one commit. A repeat (or a call outside the
        outbox) first looks for the room bound before, and returns if there is one."""
        delivery = current_delivery()  # a first attempt cannot find its room made already
        if (delivery is None or delivery.repeat) and await self.bound("activation",
                                                                      effect.activation_id):
            return
        parent = await self.bound("activation", effect.link_to) if effect.link_to else None
        people = self.mxids(effect.invite)
        self.opening += 1
        try:
            room_id, invited = await self._create(effect, [m for _, m in people], parent)
            rest = await self._record_room(effect, room_id, people, invited, parent)
        except RateLimited:
            raise
        except MatrixError as exc:
            if exc.code in NEVER:  # the server will not let us make rooms: say so, stop
                await self._refused(effect, exc)
                raise Undeliverable(exc.code or "", exc.message) from exc
            raise
        finally:
            self.opening -= 1
        if rest:
            self.convening(room_id, len(rest))
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

    async def _record_room(self, effect: OpenWarRoom, room_id: str,
                           people: list[tuple[str, str]], invited: list[str],
                           parent: str | None) -> list[str]:
        """Bind the new room, record those invited with it, and queue the rest of the
        invitations (an InvitePeople item for Matrix) with the notices, in one commit.
        Returns the person keys still to invite."""
        rest = [key for key, mxid in people if mxid not in invited]
        invited_keys = {key for key, mxid in people if mxid in invited}
        async with self.uow() as uow:
            await uow.rooms.bind("activation", effect.activation_id, PLATFORM, room_id)
            await uow.kv.put_many({invited_key(room_id, mxid): "ok" for mxid in invited})
            if rest:
                await uow.outbox.add(InvitePeople(
                    activation_id=effect.activation_id, people=rest, by=effect.by,
                    notify=effect.notify, platform=PLATFORM))
                minutes = max(1, round(len(rest) / DEFAULT_INVITE_RATE / 60))
                # The activator invited with the room reads the war room's status message;
                # anyone else is told where the command was given.
                in_room = effect.by in invited_keys
                for room in () if in_room else effect.notify:
                    await uow.outbox.add(Post(room=room, platform=PLATFORM, text=texts.THROTTLED
                                              .format(id=effect.activation_id, first=len(invited),
                                                      total=len(people), minutes=minutes)))
            if parent is not None and effect.link_to is not None:
                for post in self._link_posts(parent, room_id, effect):
                    await uow.outbox.add(post)
            await uow.commit()
        return rest

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
        """Post `effect` (several notices when long). A notice nobody asked for (no
        `reply_to`, from the core) waits while invitations are throttled (RateLimited:
        the relay holds it, in order with its room's later posts); an answer goes at once."""
        if effect.reply_to is None and effect.platform is None and (
                wait := self.hold_notices_s()):
            raise RateLimited("post", "held while invitations are throttled", wait)
        room_id = await self.room_for(effect.room)
        if room_id is None:
            return  # that room does not exist on Matrix (forum without one, person off Matrix)
        if effect.answered_in == f"{PLATFORM}:{room_id}":
            return  # the command's answer, which everyone in the room sees, says it already
        # An event may be at most 65,536 bytes (spec, "Size limits"): a long text (a 100 kB
        # lägesbild) goes as several notices, the mentions and the reply with the first.
        for n, chunk in enumerate(list(chunk_text(effect.text, CHUNK_CHARS)) or [""]):
            content = notice(chunk, self.roster, mentions=effect.mentions if n == 0 else (),
                             reply_to=effect.reply_to if n == 0 else None)
            try:
                await self.send(room_id, content)
            except RateLimited as exc:
                if effect.reply_to is not None:
                    self.answer_waiting(effect.reply_to, exc.after_s)
                raise
            except MatrixError as exc:
                if exc.code in NEVER:
                    raise Undeliverable(exc.code or "", exc.message) from exc
                raise
        if effect.reply_to is not None:
            self.answer_waiting(effect.reply_to, None)

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
