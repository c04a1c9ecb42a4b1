"""War rooms and posts on Slack: the `ChatPlatform` port, each method idempotent.

Re-delivery of an effect (after a crash) must not create a second channel or re-invite:
the war room is bound in `uow.rooms` right after creation, the intended channel name is
recorded before creation (so a channel created just before a crash is adopted, not
duplicated), invitations go only to users not yet in the channel, one-off posts are
guarded by keys in `uow.kv`, and every message the outbox sends carries its outbox key in
the message metadata: before a repeat the channel's recent history is searched for it
(Slack has no idempotency key of its own).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.effects import (
    CloseWarRoom,
    Delivery,
    InvitePeople,
    OpenWarRoom,
    Post,
    RoomRef,
    SetModerators,
    SetTopic,
    current_delivery,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.roster import Roster
from bot.faults import fault_point
from bot.platforms.common import bind_room, bound_room, mentioned_keys
from bot.platforms.slack import texts
from bot.platforms.slack.client import api_error_text
from bot.platforms.slack.directory import Directory
from bot.platforms.slack.invites import Inviting
from bot.platforms.slack.notices import Readers
from bot.platforms.slack.render import (
    MESSAGE_LIMIT,
    channel_name,
    chunks,
    escape,
    plain,
    to_mrkdwn,
    with_suffix,
)
from bot.platforms.slack.workspace import Workspace

log = logging.getLogger(__name__)

PLATFORM = "slack"
NAME_ATTEMPTS = 20
TOPIC_MAX = 250
OUTBOX_EVENT = "samverkan_outbox"  # metadata event_type of messages the outbox sends
HISTORY_CHECK = 200  # messages looked back through before a repeat (one history page)
PART_MARKER_ROOM = 40  # "\n_(del n av N)_" after each part of a protocol


class SlackRooms(Inviting):
    """Performs the core's effects in a Slack workspace."""

    name = PLATFORM

    def __init__(self, client: AsyncWebClient, directory: Directory, uow: UnitOfWorkFactory,
                 roster: Roster) -> None:
        self.client = client
        self.directory = directory
        self.uow = uow
        self.roster = roster
        self.workspace = Workspace(client)
        self.readers = Readers(uow, directory, self.workspace, self._standing_room)

    # -- the port ------------------------------------------------------------------------
    async def open_war_room(self, effect: OpenWarRoom) -> None:
        channel = await self._bound("activation", effect.activation_id)
        if channel is None:
            async with self._reporting(effect.activation_id, dm=effect.moderators):
                channel = await self._create(effect)
            await self._bind("activation", effect.activation_id, channel)
        async with self._reporting(effect.activation_id, dm=effect.moderators):
            await self._invite(channel, effect.activation_id, effect.invite)
        title = effect.name.removeprefix(effect.activation_id).strip()
        await self._set_topic(channel, effect.topic)
        purpose = texts.ROOM_PURPOSE.format(id=effect.activation_id, title=title)
        await self.client.conversations_setPurpose(channel=channel, purpose=purpose[:TOPIC_MAX])
        summary = texts.ROOM_SUMMARY.format(id=effect.activation_id, title=title,
                                            topic=effect.topic, count=len(set(effect.invite)))
        text = await self._mrkdwn(summary)
        if effect.link_to:  # a channel link is Slack syntax, added after escaping
            text += "\n" + await self._link_text(effect.link_to)
        await self._post_once(f"slack:summary:{effect.activation_id}", channel, text)

    async def invite(self, effect: InvitePeople) -> None:
        channel = await self._war_room(effect.activation_id)
        async with self._reporting(effect.activation_id, channel=channel):
            await self._invite(channel, effect.activation_id, effect.people)

    async def post(self, effect: Post) -> None:
        channel = await self._resolve(effect.room)
        if channel is not None:
            await self._say(channel, effect.text, effect.mentions)

    async def set_moderators(self, effect: SetModerators) -> None:
        channel = await self._war_room(effect.activation_id)
        people = ", ".join(f"<@{k}>" for k in effect.moderators) or "–"
        await self._say(channel, texts.CHAIR_NOTICE.format(people=people))

    async def set_topic(self, effect: SetTopic) -> None:
        channel = await self._war_room(effect.activation_id)
        async with self._reporting(effect.activation_id, channel=channel):
            await self._set_topic(channel, effect.topic)

    async def close_war_room(self, effect: CloseWarRoom) -> None:
        channel = await self._war_room(effect.activation_id)
        key = f"slack:protocol:{effect.activation_id}"
        async with self.uow() as uow:
            if await uow.kv.get(key) is not None:
                return
        parts = chunks(await self._mrkdwn(effect.protocol), MESSAGE_LIMIT - PART_MARKER_ROOM)
        async with self._reporting(effect.activation_id, channel=channel):
            await self._say(channel, texts.PROTOCOL_HEADER.format(id=effect.activation_id))
            for n, part in enumerate(parts, 1):
                marker = texts.PROTOCOL_PART.format(n=n, total=len(parts)) if len(parts) > 1 else ""
                text = f"{part}\n{marker}".rstrip()
                await self._send(channel, text)
        async with self.uow() as uow:
            await uow.kv.put(key, channel)
            await uow.commit()

    # -- failures ------------------------------------------------------------------------
    @asynccontextmanager
    async def _reporting(self, activation_id: str, *, dm: Iterable[str] = (),
                         channel: str | None = None) -> AsyncIterator[None]:
        """A Web API error is logged, told to people in Swedish and re-raised so the outbox
        retries. Told in `channel` (a war room people are in), else where people read while a
        room is being opened (`Readers.of_opening`: the activator and `dm` by direct
        message, and the forum's standing channel), never only in a room nobody is in yet."""
        try:
            yield
        except SlackApiError as exc:
            code = str(exc.response.get("error"))
            log.error("Slack refused an action for #%s: %s", activation_id, code)
            async with self.uow() as uow:
                fresh = await uow.kv.add_once(f"slack:failed:{activation_id}:{code}")
                await uow.commit()
            if fresh:
                text = texts.EFFECT_FAILED.format(id=activation_id, reason=api_error_text(exc))
                await self._tell(activation_id, text, dm, channel)
            raise

    async def _tell(self, activation_id: str, text: str, people: Iterable[str],
                    channel: str | None) -> None:
        try:
            targets = [channel] if channel else await self.readers.of_opening(activation_id,
                                                                                people)
            for target in targets:
                await self._say(target, text)
        except SlackApiError:
            log.exception("could not tell anyone on Slack about the failure either")

    # -- channels ------------------------------------------------------------------------
    async def _create(self, effect: OpenWarRoom) -> str:
        base = channel_name(effect.name)
        intent = f"slack:creating:{effect.activation_id}"
        async with self.uow() as uow:
            earlier = await uow.kv.get(intent)
        if earlier is not None:  # a crash between create and bind: adopt that channel
            adopted = await self.workspace.find_channel(earlier, private_only=True)
            if adopted is not None:
                log.info("adopting channel %s for #%s", earlier, effect.activation_id)
                return adopted
        for n in range(1, NAME_ATTEMPTS + 1):
            name = base if n == 1 else with_suffix(base, n)
            async with self.uow() as uow:
                await uow.kv.put(intent, name)
                await uow.commit()
            try:
                created = await self.client.conversations_create(name=name, is_private=True)
            except SlackApiError as exc:
                if exc.response.get("error") == "name_taken":
                    continue
                raise
            fault_point("slack.channel_created")
            return str(created["channel"]["id"])
        raise RuntimeError(f"no free Slack channel name for {base!r} after {NAME_ATTEMPTS} tries")

    async def _link_text(self, parent: str) -> str:
        parent_channel = await self._bound("activation", parent)
        link = f"<#{parent_channel}>" if parent_channel else f"#{parent}"
        return escape(texts.LINKED_ROOM.format(parent=parent, link="{link}")).format(link=link)

    # -- rooms ---------------------------------------------------------------------------
    async def _bound(self, kind: str, key: str) -> str | None:
        return await bound_room(self.uow, kind, key, PLATFORM)

    async def _bind(self, kind: str, key: str, channel: str) -> None:
        await bind_room(self.uow, kind, key, PLATFORM, channel)

    async def _war_room(self, activation_id: str) -> str:
        channel = await self._bound("activation", activation_id)
        if channel is None:
            # Raising makes the outbox retry: the room may be opened by an earlier effect.
            raise LookupError(f"activation #{activation_id} has no Slack channel yet")
        return channel

    async def _resolve(self, room: RoomRef) -> str | None:
        if room.kind == "activation":
            return await self._war_room(room.key)
        if room.kind == "person":
            user = await self.directory.user_of(room.key)
            if user is None:
                log.info("no Slack account for %s; direct message skipped", room.key)
                return None
            return await self.workspace.dm(user)
        return await self._standing_room(room.key)

    async def _standing_room(self, forum_key: str) -> str | None:
        bound = await self._bound("forum", forum_key)
        if bound is not None:
            return bound
        forum = self.roster.forums_by_key.get(forum_key)
        wanted = forum.standing_room.slack if forum else None
        if not wanted:
            log.debug("forum %s has no Slack standing channel; post skipped", forum_key)
            return None
        channel = await self.workspace.find_channel(wanted.lstrip("#"), join=True)
        if channel is None:
            raise LookupError(f"Slack channel {wanted!r} of forum {forum_key} not found")
        await self._bind("forum", forum_key, channel)
        return channel

    # -- messages ------------------------------------------------------------------------
    async def _mrkdwn(self, text: str, extra: Iterable[str] = ()) -> str:
        return to_mrkdwn(text, await self.directory.mentions([*mentioned_keys(text), *extra]))

    async def _set_topic(self, channel: str, topic: str) -> None:
        names = {k: self.directory.display(k) for k in mentioned_keys(topic)}
        shown = plain(topic, names)[:TOPIC_MAX]
        await self.client.conversations_setTopic(channel=channel, topic=shown)

    async def _say(self, channel: str, text: str, mentions: Iterable[str] = ()) -> None:
        for part in chunks(await self._mrkdwn(text, mentions)):
            await self._send(channel, part)

    async def _post_once(self, key: str, channel: str, mrkdwn: str) -> None:
        async with self.uow() as uow:
            if await uow.kv.get(key) is not None:
                return
        for part in chunks(mrkdwn):
            await self._send(channel, part)
        async with self.uow() as uow:
            await uow.kv.put(key, channel)
            await uow.commit()

    async def _send(self, channel: str, text: str) -> None:
        """chat.postMessage; inside the outbox relay with the item's message key in the
        metadata (`metadata.event_payload.key`), skipped when a repeat finds that key among
        the channel's last HISTORY_CHECK messages."""
        delivery = current_delivery()
        if delivery is None:
            await self.client.chat_postMessage(channel=channel, text=text)
            fault_point("slack.posted")
            return
        key = delivery.message_key(f"{channel}\n{text}")
        if delivery.repeat and key in await self._keys_in(channel, delivery):
            log.info("Slack: %s is already in %s; not posted again", key, channel)
            return
        await self.client.chat_postMessage(
            channel=channel, text=text,
            metadata={"event_type": OUTBOX_EVENT, "event_payload": {"key": key}})
        fault_point("slack.posted")

    async def _keys_in(self, channel: str, delivery: Delivery) -> set[str]:
        """Outbox keys of the item's messages among the channel's recent history."""
        resp = await self.client.conversations_history(
            channel=channel, limit=HISTORY_CHECK, include_all_metadata=True)
        keys: set[str] = set()
        for message in resp.get("messages") or []:
            meta = message.get("metadata") or {}
            key = (meta.get("event_payload") or {}).get("key")
            if meta.get("event_type") == OUTBOX_EVENT and isinstance(key, str) \
                    and key.startswith(delivery.key + "."):
                keys.add(key)
        return keys
