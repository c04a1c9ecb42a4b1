"""The console as a chat platform: rooms are names, messages are printed lines."""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

from bot.domain.bridge import BridgeMessage
from bot.domain.effects import (
    CloseWarRoom,
    InvitePeople,
    OpenWarRoom,
    Post,
    RoomRef,
    SetModerators,
    SetTopic,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.roster import Roster
from bot.platforms.common import MENTION_RE, bound_room
from bot.texts.markup import plain


def slug(text: str, limit: int = 60) -> str:
    """ASCII room slug: 'Snöstorm Gorm' → 'snostorm-gorm'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:limit].rstrip("-")


# Bidirectional controls (Unicode TR9): they reorder what follows on a terminal line.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def inert(line: str) -> str:
    """`line` with every control character (category Cc, tab excepted) and bidi control
    written as `\\uXXXX`, so a message cannot drive the terminal."""
    if line.isprintable() and not _BIDI.intersection(line):
        return line
    return "".join(f"\\u{ord(c):04x}" if (c != "\t" and unicodedata.category(c) == "Cc")
                   or c in _BIDI else c for c in line)


class ConsolePlatform:
    name = "console"

    def __init__(self, roster: Roster, uow: UnitOfWorkFactory, out: TextIO) -> None:
        self.roster = roster
        self.uow = uow
        self.out = out
        self._rooms: dict[tuple[str, str], str] = {}  # a binding never changes once made

    def render(self, text: str) -> str:
        def person(match: re.Match[str]) -> str:
            found = self.roster.people_by_key.get(match.group(1))
            return f"@{found.name}" if found else f"@{match.group(1)}"

        return MENTION_RE.sub(person, plain(text))

    def emit(self, room: str, text: str) -> None:
        """Print `text` to the terminal, inert: control characters (escape sequences, NUL,
        carriage returns) and bidirectional overrides are shown as `\\uXXXX`, never obeyed."""
        lines = [inert(line) for line in self.render(text).splitlines()] or [""]
        self.out.write(f"[{room}] {lines[0]}\n")
        for line in lines[1:]:
            self.out.write(f"[{room}]   {line}\n")
        self.out.flush()

    async def room_name(self, ref: RoomRef) -> str:
        cached = self._rooms.get((ref.kind, ref.key))
        if cached is not None:
            return cached
        bound = await bound_room(self.uow, ref.kind, ref.key, self.name)
        if bound is not None:
            self._rooms[(ref.kind, ref.key)] = bound
            return bound
        if ref.kind == "forum":
            forum = self.roster.forums_by_key.get(ref.key)
            return (forum.standing_room.console if forum else None) or ref.key
        if ref.kind == "person":
            return f"dm-{ref.key}"
        return f"akt-{ref.key}"

    async def open_war_room(self, effect: OpenWarRoom) -> None:
        async with self.uow() as uow:
            if await uow.rooms.room("activation", effect.activation_id, self.name):
                return  # already opened before a restart: nothing to do twice
            room = f"akt-{slug(effect.name)}"
            await uow.rooms.bind("activation", effect.activation_id, self.name, room)
            await uow.commit()
        self._rooms[("activation", effect.activation_id)] = room
        self.emit(room, f"Rum skapat: '{effect.name}' — {effect.topic}")
        self.emit(room, f"Inbjudna ({len(effect.invite)}): "
                  + ", ".join(f"<@{p}>" for p in effect.invite))
        if effect.link_to:
            parent = await self.room_name(RoomRef("activation", effect.link_to))
            self.emit(room, f"Länkat till [{parent}]")

    async def invite(self, effect: InvitePeople) -> None:
        room = await self.room_name(RoomRef("activation", effect.activation_id))
        self.emit(room, "Inbjudna: " + ", ".join(f"<@{p}>" for p in effect.people))

    async def post(self, effect: Post) -> None:
        self.emit(await self.room_name(effect.room), effect.text)

    async def set_moderators(self, effect: SetModerators) -> None:
        room = await self.room_name(RoomRef("activation", effect.activation_id))
        self.emit(room, "Moderatorer: " + ", ".join(f"<@{p}>" for p in effect.moderators))

    async def set_topic(self, effect: SetTopic) -> None:
        room = await self.room_name(RoomRef("activation", effect.activation_id))
        self.emit(room, f"Ämne: {effect.topic}")

    async def close_war_room(self, effect: CloseWarRoom) -> None:
        room = await self.room_name(RoomRef("activation", effect.activation_id))
        self.emit(room, effect.protocol)
        self.emit(room, "Aktiveringen är avslutad; protokollet är sparat och rummet går att läsa.")

    async def bridge(self, effect: BridgeMessage) -> None:
        """The terminal is the only platform where it runs: nothing to bridge to."""
