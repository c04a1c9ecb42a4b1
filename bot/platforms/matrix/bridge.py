"""The bridge on Matrix: ordinary messages of a war room in (`BridgedRooms.on_event`, called
by the sync loop), relayed messages out (`BridgedRooms.bridge`, performed by the outbox), and
invitations only for people the roster does not prefer elsewhere.

In: m.text and m.emote (the body as typed, rich-reply fallback removed; pills and mxids of
roster people become mentions, URLs links), files (m.image, m.file, m.video, m.audio: a link
to the homeserver's media download URL), edits (m.replace) and redactions. Commands are
left to the command path; notices (bots) and the bot's own events are never relayed.

Out: a relayed message is an m.text sent with the outbox item's transaction id (exactly once,
`RoomDirectory.send`); its event id is kept in `bridged_messages`. An edit is an m.replace of
that event, a deletion a redaction of it; an edit whose original was never relayed is posted
as a marked correction.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re
from collections.abc import Callable, Collection
from typing import Any, Literal
from urllib.parse import quote

from nio import RoomRedactResponse

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
from bot.domain.roster import Roster
from bot.handlers.bridge import Bridge
from bot.platforms.common import replace_mentions
from bot.platforms.matrix.client import checked
from bot.platforms.matrix.commands import command_text, strip_reply_fallback
from bot.platforms.matrix.directory import PLATFORM
from bot.platforms.matrix.render import edit_content, notice, person_name
from bot.platforms.matrix.warrooms import WarRooms
from bot.texts.markup import plain

log = logging.getLogger(__name__)

TEXT_TYPES = {"m.text", "m.emote"}
FILE_TYPES = {"m.image", "m.file", "m.video", "m.audio"}
_PILL = re.compile(r'<a href="https://matrix\.to/#/(@[^"?/]+)[^"]*">(.*?)</a>', re.DOTALL)
_MXID = re.compile(r"@[a-z0-9._=/+-]+:[A-Za-z0-9.-]+(?::\d+)?")
_URL = re.compile(r"https?://[^\s<>\"]+")
_TRAILING = ".,;:!?)]}'\""
_MD_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"(?<!\\)\*\*")


@dataclasses.dataclass(frozen=True)
class _Base:
    room: str
    key: str
    person: str | None
    sender: str

    def make(self, message: str, action: Literal["post", "edit", "delete"],
             parts: tuple[Part, ...] = (), files: tuple[Attachment, ...] = ()) -> Incoming:
        return Incoming(platform=PLATFORM, room=self.room, key=self.key, message=message,
                        action=action, person=self.person, sender=self.sender, parts=parts,
                        attachments=files)


def plain_body(markdown: str, roster: Roster) -> str:
    """The `body` of a relayed message: the text as typed, a link as "label (url)", people
    by name (clients without HTML show this)."""
    def link(m: re.Match[str]) -> str:
        label = plain(m.group(1))
        return m.group(2) if label == m.group(2) else f"{m.group(1)} ({m.group(2)})"

    text = plain(_BOLD.sub("", _MD_LINK.sub(link, markdown)))
    return replace_mentions(text, lambda k: person_name(roster, k))


class BridgedRooms(WarRooms):
    """WarRooms with the bridge: set `bridge_in` (the core's Bridge) and `peers_fn` (the
    names of every configured platform) after building."""

    bridge_in: Bridge | None = None
    peers_fn: Callable[[], Collection[str]] | None = None

    def peers(self) -> Collection[str]:
        return self.peers_fn() if self.peers_fn is not None else (PLATFORM,)

    # -- invitations: only those the roster does not prefer on another platform -----------
    async def open_war_room(self, effect: OpenWarRoom) -> None:
        wanted = invite_here(self.roster, effect.invite, PLATFORM, self.peers())
        await super().open_war_room(dataclasses.replace(effect, invite=wanted))

    async def invite(self, effect: InvitePeople) -> None:
        wanted = invite_here(self.roster, effect.people, PLATFORM, self.peers())
        if wanted:
            await super().invite(dataclasses.replace(effect, people=wanted))

    # -- in ----------------------------------------------------------------------------------
    async def on_event(self, room_id: str, event: Any) -> None:
        """Record a war room's ordinary message, edit or redaction for relaying (nothing for
        other rooms, commands, notices and the bot's own events)."""
        if self.bridge_in is None:
            return
        source = getattr(event, "source", None)
        if not isinstance(source, dict) or source.get("sender") in (None, self.me):
            return
        try:
            incoming = self.read(room_id, source)
        except (KeyError, TypeError, ValueError):
            log.warning("Matrix: could not read %s for the bridge", source.get("event_id"))
            return
        if incoming is not None:
            await self.bridge_in.receive(incoming)

    def read(self, room_id: str, source: dict[str, Any]) -> Incoming | None:
        """The event as an `Incoming`, or None when it is nothing to relay."""
        sender = str(source["sender"])
        known = self.roster.person_by_matrix_id.get(sender)
        base = _Base(room_id, str(source["event_id"]), known.key if known else None, sender)
        if source.get("type") == "m.room.redaction":
            redacts = source.get("redacts") or source.get("content", {}).get("redacts")
            if not redacts:
                return None
            return base.make(str(redacts), "delete")
        if source.get("type") != "m.room.message":
            return None
        content = source.get("content") or {}
        relates = content.get("m.relates_to") or {}
        if relates.get("rel_type") == "m.replace":
            new = content.get("m.new_content") or {}
            parts, files = self._content(new, new.get("body", ""))
            if parts is None or not relates.get("event_id"):
                return None
            return base.make(str(relates["event_id"]), "edit", parts, files)
        parts, files = self._content(content, strip_reply_fallback(source))
        if parts is None:
            return None
        return base.make(str(source["event_id"]), "post", parts, files)

    def _content(self, content: dict[str, Any], body: str
                 ) -> tuple[tuple[Part, ...] | None, tuple[Attachment, ...]]:
        kind = content.get("msgtype")
        if kind in TEXT_TYPES:
            if command_text(body) is not None:
                return None, ()  # a command: run by the command path, its answer echoed
            parts = self.parts(body, str(content.get("formatted_body") or ""))
            return (((Text("* "), *parts) if kind == "m.emote" else parts), ())
        if kind in FILE_TYPES and str(content.get("url", "")).startswith("mxc://"):
            name = str(content.get("filename") or content.get("body") or "fil")
            caption = str(content.get("body") or "") if content.get("filename") else ""
            size = (content.get("info") or {}).get("size")
            link = Attachment(name, self.media_url(str(content["url"]), name),
                              size if isinstance(size, int) else None)
            return ((Text(caption),) if caption and caption != name else ()), (link,)
        return None, ()

    def media_url(self, mxc: str, name: str) -> str:
        """The homeserver's download URL of an `mxc://server/id` (the unauthenticated media
        endpoint: a homeserver that requires authenticated media only lets its own users
        open it)."""
        server, _, media = mxc.removeprefix("mxc://").partition("/")
        base = str(self.client.homeserver).rstrip("/")
        return f"{base}/_matrix/media/v3/download/{quote(server)}/{quote(media)}/{quote(name)}"

    def parts(self, body: str, formatted: str) -> tuple[Part, ...]:
        """`body` as text, links and mentions: a pill (from `formatted`) or an mxid of a
        roster person becomes a mention; a URL a link."""
        spans: list[tuple[int, int, Part]] = []
        for mxid, label in _PILL.findall(formatted):
            person = self.roster.person_by_matrix_id.get(mxid)
            shown = html.unescape(re.sub(r"<[^>]+>", "", label))
            at = body.find(shown) if shown else -1
            if person is not None and at >= 0:
                spans.append((at, at + len(shown), Mention(person.key)))
        for found in _MXID.finditer(body):
            if (person := self.roster.person_by_matrix_id.get(found.group())) is not None:
                spans.append((found.start(), found.end(), Mention(person.key)))
        for found in _URL.finditer(body):
            url = found.group().rstrip(_TRAILING)
            spans.append((found.start(), found.start() + len(url), Link(url)))
        out: list[Part] = []
        at = 0
        for start, end, part in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start < at:
                continue  # overlaps an earlier span
            if start > at:
                out.append(Text(body[at:start]))
            out.append(part)
            at = end
        if at < len(body):
            out.append(Text(body[at:]))
        return tuple(out)

    # -- out ---------------------------------------------------------------------------------
    async def bridge(self, effect: BridgeMessage) -> None:
        """Relay into this activation's Matrix war room (see the module's docstring)."""
        if effect.source_platform == PLATFORM:
            return
        room_id = await self.bound("activation", effect.activation_id)
        if room_id is None:
            return  # no war room on Matrix: nothing to bridge into
        target = None
        if effect.source_id is not None and effect.action in ("edit", "delete"):
            async with self.uow() as uow:
                target = await uow.bridge.target(effect.source_platform, effect.source_id,
                                                 PLATFORM)
        if effect.action == "delete":
            if target is not None:
                await self._redact(*target)
            return
        text = effect.text if effect.action != "edit" or target else as_correction(effect.text)
        content = notice(text, self.roster, mentions=effect.mentions)
        if effect.action != "notice":
            content["msgtype"] = "m.text"  # a person's words, not the bot's
            content["body"] = plain_body(text, self.roster)
        if effect.action == "edit" and target is not None:
            await self.send(target[0], edit_content(content, target[1]))
            return
        event_id = await self.send(room_id, content)
        if effect.action == "post" and effect.source_id is not None:
            async with self.uow() as uow:
                await uow.bridge.link(
                    activation_id=effect.activation_id, source_platform=effect.source_platform,
                    source_id=effect.source_id, target_platform=PLATFORM, target_room=room_id,
                    target_id=event_id)
                await uow.commit()

    async def _redact(self, room_id: str, event_id: str) -> None:
        delivery = current_delivery()
        tx_id = delivery.message_key(f"redact {event_id}") if delivery else None
        await checked(lambda: self.client.room_redact(room_id, event_id, tx_id=tx_id),
                      f"redact in {room_id}", RoomRedactResponse)
