"""The terminal chat loop: commands, and `:as`, `:room`, `:clock`, `:quit` meta lines."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Protocol

from bot.clock import ManualClock
from bot.domain.errors import DomainError
from bot.domain.ports import AppCore
from bot.grammar.times import parse_delta
from bot.handlers.calling import target_ref
from bot.handlers.service import CommandService, render_error
from bot.handlers.types import Origin
from bot.outbox import OutboxRelay
from bot.platforms.console.platform import ConsolePlatform

LOBBY = "lobby"


class ConsoleApp(AppCore, Protocol):
    """What the terminal needs of the composition root's `bot.bootstrap.App`."""

    @property
    def service(self) -> CommandService: ...
    @property
    def relay(self) -> OutboxRelay: ...


class ConsoleSession:
    """One terminal conversation: reads lines, speaks as a roster person in a room, and
    drives the exercise clock (`:clock +15m`)."""

    def __init__(self, app: ConsoleApp, platform: ConsolePlatform) -> None:
        self.app = app
        self.platform = platform
        self.person: str | None = app.roster.holder(app.roster.region.convener_ref,
                                                    app.clock.now())
        self.room = LOBBY

    def say(self, text: str) -> None:
        self.platform.emit(self.room, text)

    def banner(self) -> None:
        mark = " — ÖVNING" if self.app.service.exercise else ""
        self.say(f"Samverkansboten, terminalen{mark}. Du talar som {self._who()}. "
                 "Skriv `hjälp`; `:as <person|funktion@aktör>`, `:room <rum>`, "
                 "`:clock +15m` (övning), `:quit`.")

    def _who(self) -> str:
        if self.person is None:
            return "(okänd)"
        person = self.app.roster.people_by_key.get(self.person)
        return f"{person.name} [{self.person}]" if person else self.person

    async def run(self, lines: AsyncIterator[str]) -> None:
        self.banner()
        async for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.casefold() == ":quit":
                break
            if line.startswith(":"):
                await self.meta(line)
            else:
                await self.command(line)
            await self.app.relay.wait_idle()

    async def command(self, line: str) -> None:
        origin = Origin(platform="console", person=self.person, room=self.room,
                        user=self.person or "?")
        reply = await self.app.service.handle(line, origin)
        self.say(("" if reply.ok else "⚠ ") + reply.text)

    async def meta(self, line: str) -> None:
        word, _, arg = line.partition(" ")
        word, arg = word.casefold(), arg.strip()  # `:AS`, `:Room` as typed with caps lock
        if word == ":as":
            self._as(arg)
        elif word == ":room":
            await self._room(arg)
        elif word == ":clock":
            await self._clock(arg)
        else:
            self.say(f"⚠ Okänt: {word}. Använd :as, :room, :clock eller :quit.")

    def _as(self, arg: str) -> None:
        roster = self.app.roster
        if arg in roster.people_by_key:
            self.person = arg
        else:
            try:
                target = self.app.service.names.target(arg)
            except DomainError as err:
                self.say("⚠ " + _meta_error(err, _AS_USAGE))
                return
            self.person = roster.holder(target_ref(roster, target), self.app.clock.now())
        self.say(f"Du talar nu som {self._who()}.")

    async def _room(self, arg: str) -> None:
        if not arg:
            self.say("⚠ Ange ett rum, t.ex. `:room 2026-001` eller `:room lobby`.")
            return
        activation_id = arg.lstrip("#")
        async with self.app.uow() as uow:
            bound = await uow.rooms.room("activation", activation_id, "console")
        if bound is None and _LOOKS_LIKE_ID.match(activation_id):
            self.say(f"⚠ Det finns inget krisrum för #{activation_id}. Se `status`.")
            return
        self.room = bound or arg
        self.say(f"Du är i rummet {self.room}.")

    async def _clock(self, arg: str) -> None:
        clock = self.app.clock
        if not isinstance(clock, ManualClock):
            self.say("⚠ Klockan kan bara flyttas i övningsläge (`samverkan console --exercise`).")
            return
        try:
            delta = parse_delta(arg)  # the same reading as the `klocka +30m` command
        except DomainError as err:
            if err.code == "parse.clock_jump_too_large":
                self.say("⚠ " + _meta_error(err, _CLOCK_USAGE))
            else:
                self.say("⚠ Skriv tiden som `:clock +15m`, `:clock +2h` eller `:clock +1d`.")
            return
        now = clock.advance(delta)
        await self.app.service.tick()
        await self.app.relay.wait_idle()  # what the jump caused first: the output is in time order
        self.say(f"Övningsklockan: {now.astimezone(self.app.tz):%Y-%m-%d %H:%M}.")


_LOOKS_LIKE_ID = re.compile(r"^[ÖöOo]?\d{4}-\d{1,4}$")  # an activation id, not a room name
_AS_USAGE = (":as <person, aktör eller funktion>", ":as tib@lansstyrelsen")
_CLOCK_USAGE = (":clock +<tid>", ":clock +2h")


def _meta_error(err: DomainError, usage: tuple[str, str]) -> str:
    """A refusal of a `:` meta command in Swedish: the grammar's text of `err`, with the
    meta command's own `usage` and `example` (the texts of parse errors need both)."""
    err.params.setdefault("usage", usage[0])
    err.params.setdefault("example", usage[1])
    return render_error(err, "sv")
