"""The bridge on Slack: channel messages of a war room in (Events API `message`, with the
subtypes `message_changed`, `message_deleted` and `file_share`), relayed messages out
(`SlackBridgedRooms.bridge`, performed by the outbox), and invitations only for people the
roster does not prefer elsewhere.

In: the text as Slack sends it (`<@U…>` of roster people become mentions, `<url|label>`
links, `&amp;` `&lt;` `&gt;` as typed); files as links to their Slack permalink (readable by
the workspace's members only). Messages of bots (`bot_id`, `bot_message`), of the bot's own
user, edits without `edited` (link previews) and other subtypes (joins, topics) are not
relayed. Each event is taken once by its key ("<channel>:<ts>", with the edit's time or
"delete"), so Slack's retries of an event change nothing.

Out: a relayed message is chat.postMessage with the outbox key in its metadata (exactly once:
`SlackRooms._send`'s check before a repeat); its `ts` is kept in `bridged_messages`. An edit
is chat.update of that message, a deletion chat.delete of it; an edit whose original was never
relayed is posted as a marked correction.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Collection
from typing import Any, Literal

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.domain.bridge import (
    Attachment,
    BridgeMessage,
    Incoming,
    Link,
    Mention,
    Part,
    Text,
    as_correction,
    invite_here,
)
from bot.domain.effects import InvitePeople, OpenWarRoom, current_delivery
from bot.faults import fault_point
from bot.handlers.bridge import Bridge
from bot.platforms.slack.commands import unescape
from bot.platforms.slack.inflight import InFlight
from bot.platforms.slack.render import chunks
from bot.platforms.slack.rooms import HISTORY_CHECK, OUTBOX_EVENT, PLATFORM, SlackRooms

log = logging.getLogger(__name__)

POSTED = {None, "file_share", "thread_broadcast", "me_message"}
_ANGLE = re.compile(r"<([^<>]+)>")
GONE = {"message_not_found", "cant_delete_message", "cant_update_message", "edit_window_closed"}


class SlackBridgedRooms(SlackRooms):
    """SlackRooms with the bridge: set `bridge_in` (the core's Bridge) and `peers_fn` (the
    names of every configured platform) after building."""

    bridge_in: Bridge | None = None
    peers_fn: Callable[[], Collection[str]] | None = None
    inflight: InFlight

    def peers(self) -> Collection[str]:
        return self.peers_fn() if self.peers_fn is not None else (PLATFORM,)

    def register_bridge(self, bolt: AsyncApp) -> None:
        bolt.event("message")(self.on_message)

    # -- invitations: only those the roster does not prefer on another platform -----------
    async def open_war_room(self, effect: OpenWarRoom) -> None:
        wanted = invite_here(self.roster, effect.invite, PLATFORM, self.peers())
        await super().open_war_room(dataclasses.replace(effect, invite=wanted))

    async def invite(self, effect: InvitePeople) -> None:
        wanted = invite_here(self.roster, effect.people, PLATFORM, self.peers())
        if wanted:
            await super().invite(dataclasses.replace(effect, people=wanted))

    # -- in ----------------------------------------------------------------------------------
    async def on_message(self, event: dict[str, Any]) -> None:
        """Bolt listener of `message` events (acknowledged by Bolt before it runs)."""
        self.inflight.enter()
        if self.bridge_in is None:
            return
        try:
            incoming = await self.read(event)
        except (KeyError, TypeError, ValueError, SlackApiError):
            log.exception("Slack: could not read a message event for the bridge")
            return
        if incoming is not None:
            await self.bridge_in.receive(incoming)

    async def read(self, event: dict[str, Any]) -> Incoming | None:
        """The event as an `Incoming`, or None when it is nothing to relay."""
        channel, subtype = str(event.get("channel") or ""), event.get("subtype")
        me = await self.workspace.bot_user()
        if subtype == "message_changed":
            message = event.get("message") or {}
            if _by_bot(message, me) or not message.get("edited"):
                return None
            ts = str(message["ts"])
            key = f"{channel}:{ts}:edit:{message['edited'].get('ts', event.get('ts'))}"
            return await self._incoming(channel, key, ts, "edit", message)
        if subtype == "message_deleted":
            previous = event.get("previous_message") or {}
            if _by_bot(previous, me) or not event.get("deleted_ts"):
                return None
            ts = str(event["deleted_ts"])
            return await self._incoming(channel, f"{channel}:{ts}:delete", ts, "delete",
                                        previous)
        if subtype not in POSTED or _by_bot(event, me):
            return None
        ts = str(event["ts"])
        return await self._incoming(channel, f"{channel}:{ts}", ts, "post", event)

    async def _incoming(self, channel: str, key: str, ts: str,
                        action: Literal["post", "edit", "delete"],
                        message: dict[str, Any]) -> Incoming:
        user = str(message.get("user") or "")
        person = await self.directory.person_of(user) if user else None
        parts = await self.parts(str(message.get("text") or "")) if action != "delete" else ()
        files = tuple(
            Attachment(str(f.get("name") or f.get("title") or "fil"),
                       str(f.get("permalink") or f.get("url_private")),
                       f.get("size") if isinstance(f.get("size"), int) else None)
            for f in message.get("files") or [] if f.get("permalink") or f.get("url_private"))
        return Incoming(platform=PLATFORM, room=channel, key=key, message=ts,
                        action=action, person=person, sender=user, parts=parts,
                        attachments=files if action != "delete" else ())

    async def parts(self, text: str) -> tuple[Part, ...]:
        """Slack's message text as text, links and mentions."""
        out: list[Part] = []
        at = 0
        for found in _ANGLE.finditer(text):
            if found.start() > at:
                out.append(Text(unescape(text[at:found.start()])))
            out.append(await self._special(found.group(1)))
            at = found.end()
        if at < len(text):
            out.append(Text(unescape(text[at:])))
        return tuple(out)

    async def _special(self, inner: str) -> Part:
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            person = await self.directory.person_of(target[1:])
            return Mention(person) if person else Text(f"@{unescape(label) or target[1:]}")
        if target.startswith("#"):
            return Text(f"#{unescape(label) or target[1:]}")
        if target.startswith("!"):
            return Text(f"@{unescape(label) or target[1:].split('^')[0]}")
        return Link(unescape(target), unescape(label))

    # -- out ---------------------------------------------------------------------------------
    async def bridge(self, effect: BridgeMessage) -> None:
        """Relay into this activation's Slack channel (see the module's docstring)."""
        if effect.source_platform == PLATFORM:
            return
        channel = await self._bound("activation", effect.activation_id)
        if channel is None:
            return  # no war room on Slack: nothing to bridge into
        target = None
        if effect.source_id is not None and effect.action in ("edit", "delete"):
            async with self.uow() as uow:
                target = await uow.bridge.target(effect.source_platform, effect.source_id,
                                                 PLATFORM)
        if effect.action == "delete":
            if target is not None:
                await self._delete(*target)
            return
        text = effect.text if effect.action != "edit" or target else as_correction(effect.text)
        parts = chunks(await self._mrkdwn(text, effect.mentions))
        if effect.action == "edit" and target is not None:
            try:
                await self.client.chat_update(channel=target[0], ts=target[1], text=parts[0])
            except SlackApiError as exc:
                if exc.response.get("error") not in GONE:
                    raise
                log.info("Slack: the message an edit is for is gone (%s)", exc.response["error"])
            return
        first = await self._send_ts(channel, parts[0])
        for part in parts[1:]:
            await self._send(channel, part)
        if effect.action == "post" and effect.source_id is not None:
            async with self.uow() as uow:
                await uow.bridge.link(
                    activation_id=effect.activation_id, source_platform=effect.source_platform,
                    source_id=effect.source_id, target_platform=PLATFORM, target_room=channel,
                    target_id=first)
                await uow.commit()

    async def _delete(self, channel: str, ts: str) -> None:
        try:
            await self.client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as exc:
            if exc.response.get("error") not in GONE:  # a repeat: already deleted
                raise

    async def _send_ts(self, channel: str, text: str) -> str:
        """`_send` that returns the message's ts (of the one sent before, on a repeat)."""
        delivery = current_delivery()
        if delivery is None:
            return str((await self.client.chat_postMessage(channel=channel, text=text))["ts"])
        key = delivery.message_key(f"{channel}\n{text}")
        if delivery.repeat and (found := await self._sent_before(channel, key)) is not None:
            log.info("Slack: %s is already in %s; not posted again", key, channel)
            return found
        resp = await self.client.chat_postMessage(
            channel=channel, text=text,
            metadata={"event_type": OUTBOX_EVENT, "event_payload": {"key": key}})
        fault_point("slack.posted")
        return str(resp["ts"])

    async def _sent_before(self, channel: str, key: str) -> str | None:
        resp = await self.client.conversations_history(
            channel=channel, limit=HISTORY_CHECK, include_all_metadata=True)
        for message in resp.get("messages") or []:
            meta = message.get("metadata") or {}
            if meta.get("event_type") == OUTBOX_EVENT \
                    and (meta.get("event_payload") or {}).get("key") == key:
                return str(message["ts"])
        return None


def _by_bot(message: dict[str, Any], me: str) -> bool:
    """A message of a bot (this one included) or of the bot's user: never relayed."""
    return bool(message.get("bot_id")) or message.get("subtype") == "bot_message" \
        or message.get("user") == me
