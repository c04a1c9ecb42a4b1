"""What every handler gets: the speaker, the activation in question, the record, the clock.

A handler reads and writes through `ctx.uow`, asks for side effects with `ctx.emit`, logs
with `ctx.log`, and returns a Reply. The service commits, then the outbox performs effects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.effects import Effect, Post, RoomRef
from bot.domain.errors import Forbidden
from bot.domain.ports import ArchiveLinks, UnitOfWork
from bot.domain.record import Activation, EntryKind, Participant, TimelineEntry
from bot.domain.roster import FunctionRef, Roster
from bot.grammar.commands import Command, Help, Lang
from bot.handlers.types import Origin, Reply
from bot.texts import t
from bot.texts.schedule import clock_text


def exercise_marked(text: str) -> str:
    """Every message of an exercise carries ÖVNING first (once)."""
    mark = t("sv", "exercise.mark")
    return text if text.lstrip("*_ ").startswith(mark.strip()) else f"{mark}· {text}"


@dataclass
class Ctx:
    roster: Roster
    uow: UnitOfWork
    tz: ZoneInfo
    now: datetime
    origin: Origin
    command: Command
    person: str
    activation: Activation | None = None
    exercise: bool = False  # the activation in question (or the whole process) is an exercise
    sandbox: bool = False  # the whole process is an exercise (`samverkan console --exercise`)
    effects: list[Effect] = field(default_factory=list)
    advance_to: tuple[int, datetime] | None = None  # (event, time): `klocka` moved the clock
    after_advance: list[Effect] = field(default_factory=list)  # posted after the jump's replay
    archive: ArchiveLinks | None = None  # links to protocol files, when the bot serves them

    @property
    def lang(self) -> Lang:
        """The language of what the handler writes: Swedish, the rooms' language, whatever
        language the command word was in — its reply, posts, notices, the timeline and the
        protocol are read by everyone in the room, and one person's English alias must not
        switch them. Only `hjälp`/`help`, answered to the speaker alone, follows the word (and
        refusals, which the service renders privately in the word's language)."""
        return self.command.lang if isinstance(self.command.body, Help) else "sv"

    @property
    def speaker_lang(self) -> Lang:
        """The language of the command word: for the params of a refusal (a DomainError),
        which the service renders to the speaker alone in that language."""
        return self.command.lang

    # -- texts ---------------------------------------------------------------------------
    def t(self, code: str, **params: Any) -> str:
        return t(self.lang, code, **params)

    def reply(self, code: str, **params: Any) -> Reply:
        return self.reply_text(self.t(code, **params))

    def reply_text(self, text: str) -> Reply:
        act = self.activation.id if self.activation else None
        return Reply(text, ok=True, lang=self.lang, activation_id=act)

    def label(self, ref: str | FunctionRef) -> str:
        fref = FunctionRef.parse(ref) if isinstance(ref, str) else ref
        return self.roster.function_label(fref)

    def name(self, person: str) -> str:
        found = self.roster.people_by_key.get(person)
        return found.name if found else person

    def actor_name(self, actor: str) -> str:
        return self.roster.actor(actor).display

    def local(self, when: datetime, *, date: bool = False) -> str:
        """`14:30` (or `2026-11-30 14:30`) on the region's clock, with the UTC offset in the
        repeated autumn hour (`bot.texts.schedule.clock_text`)."""
        local = when.astimezone(self.tz)
        clock = clock_text(local)
        return f"{local:%Y-%m-%d} {clock}" if date else clock

    # -- the record ----------------------------------------------------------------------
    def need_activation(self) -> Activation:
        if self.activation is None:  # the service resolves it; this guards misuse
            raise RuntimeError("handler needs an activation")
        return self.activation

    def emit(self, effect: Effect) -> None:
        self.effects.append(effect)

    def post(self, room: RoomRef, text: str, mentions: list[str] | None = None, *,
             after_advance: bool = False, said_in_answer: bool = False) -> None:
        """Post `text` in `room` (marked ÖVNING in an exercise's rooms) after the commit; with
        `after_advance`, after the exercise clock's jump has been replayed (`klocka`), so
        that it comes after what the jump caused; with `said_in_answer`, not where the
        command was given if the answer there is seen by everyone (`Post.answered_in`)."""
        if self.exercise and not self.sandbox and room.kind == "activation":
            text = exercise_marked(text)
        answered_in = (f"{self.origin.platform}:{self.origin.room}"
                       if said_in_answer and self.origin.room is not None else None)
        post = Post(room=room, text=text, mentions=mentions or [], by=self.person or None,
                    answered_in=answered_in)
        if after_advance:
            self.after_advance.append(post)
        else:
            self.emit(post)

    async def origin_room(self) -> RoomRef:
        """The neutral room the command came from: a war room or standing room when bound,
        else the speaker's own (DM) room."""
        if self.origin.room is not None:
            bound = await self.uow.rooms.lookup(self.origin.platform, self.origin.room)
            if bound is not None and bound[0] in ("activation", "forum"):
                return RoomRef(bound[0], bound[1])  # type: ignore[arg-type]
        return RoomRef("person", self.person)

    def post_war_room(self, text: str, activation_id: str | None = None) -> None:
        key = activation_id or self.need_activation().id
        self.post(RoomRef("activation", key), text)

    async def log(
        self,
        kind: EntryKind,
        text: str,
        *,
        function: str | None = None,
        actor: str | None = None,
        activation: Activation | None = None,
        person: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> TimelineEntry:
        act = activation or self.need_activation()
        entry = TimelineEntry(
            id=None,
            event_id=act.event_id,
            activation_id=act.id,
            at=self.now,
            kind=kind,
            person=person if person is not None else self.person,
            function=function,
            actor=actor,
            text=text,
            data=data or {},
        )
        return await self.uow.timeline.append(entry)

    # -- who is speaking, as what ------------------------------------------------------
    async def participants(self) -> list[Participant]:
        return await self.uow.participants.of_activation(self.need_activation().id)

    async def my_rows(self) -> list[Participant]:
        """The rows the speaker answers for now, or first held."""
        rows = await self.participants()
        return [p for p in rows if self.person in (p.person, p.holder)]

    async def as_participant(self) -> Participant:
        """The speaker's row; refuses a speaker who is not called into this activation."""
        rows = await self.my_rows()
        if not rows:
            act = self.need_activation()
            raise Forbidden("auth.not_participant", id=act.id)
        current = [p for p in rows if p.person == self.person]
        return (current or rows)[0]

    async def is_convener_side(self, row: Participant) -> bool:
        """True when the speaker answers here for Länsstyrelsen (the convening actor) or for
        the chair's function — `row` or any other row of theirs in this activation."""
        act = self.need_activation()
        convener_actor = self.roster.region.convener_ref.actor
        rows = [row, *await self.my_rows()]
        return any(r.actor == convener_actor or r.function == act.chair for r in rows)
