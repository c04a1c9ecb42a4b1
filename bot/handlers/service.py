"""The one path every platform's commands take: parse → check → record → commit → effects."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.domain.effects import Effect, Post, RoomRef
from bot.domain.errors import Conflict, DomainError, Forbidden, NotFound
from bot.domain.exercises import EXERCISE_PREFIX
from bot.domain.ports import ArchiveLinks, Clock, UnitOfWork, UnitOfWorkFactory
from bot.domain.record import Activation
from bot.domain.roster import Roster
from bot.faults import fault_point
from bot.grammar import words
from bot.grammar.commands import Command, Help, Lang
from bot.grammar.names import Names
from bot.grammar.parser import parse
from bot.handlers import bridge
from bot.handlers.acks import escalate_overdue
from bot.handlers.context import Ctx, exercise_marked
from bot.handlers.exercises import exercise_now
from bot.handlers.routes import Route, default_routes
from bot.handlers.types import Origin, Reply
from bot.texts import has, t

log = logging.getLogger(__name__)

TickHook = Callable[[datetime], Awaitable[None]]
TimeDriver = Callable[[datetime], Awaitable[None]]
MAX_ACK_STEPS = 10_000  # bound on the escalation steps one tick may take
# An exercise's clock moved: (its activation ids, the exercise time) → fire what fell due.
ExerciseHook = Callable[[set[str], datetime], Awaitable[None]]


class Kicker(Protocol):
    def kick(self) -> None: ...


class CommandService:
    def __init__(
        self,
        *,
        roster: Roster,
        uow: UnitOfWorkFactory,
        clock: Clock,
        tz: ZoneInfo,
        relay: Kicker | None = None,
        exercise: bool = False,
    ) -> None:
        self.roster = roster
        self.names = Names(roster)
        self.uow = uow
        self.clock = clock
        self.tz = tz
        self.relay = relay
        self.exercise = exercise
        self.archive: ArchiveLinks | None = None  # set by `samverkan run` (bot.runner)
        self.routes: dict[type[Any], Route] = default_routes()
        self._tick_hooks: list[TickHook] = []
        self.time_driver: TimeDriver | None = None
        self._exercise_hooks: list[ExerciseHook] = []
        self.counts: Counter[tuple[str, str]] = Counter()  # (command word, outcome) → n

    def add_route(self, body_type: type[Any], route: Route) -> None:
        self.routes[body_type] = route

    def add_tick_hook(self, hook: TickHook) -> None:
        self._tick_hooks.append(hook)

    def add_exercise_hook(self, hook: ExerciseHook) -> None:
        """`hook(activation_ids, at)` runs when an exercise's clock moved to `at`."""
        self._exercise_hooks.append(hook)

    async def handle(self, text: str, origin: Origin) -> Reply:
        """Parse, check, record and commit one command; always returns a Reply (a refusal
        carries its code and changed nothing). The text is kept verbatim but for what no
        database can store: a lone surrogate (JSON allows "\\ud83d") and NUL (PostgreSQL
        text refuses U+0000) become U+FFFD; a surrogate pair becomes its character."""
        return await self.handle_command(text, origin)

    async def handle_command(self, command: Command | str, origin: Origin) -> Reply:
        """Run a text (as `handle`) or an already parsed command: a form's choices, passed as
        roster keys and never re-read from text."""
        lang: Lang = "sv"
        text = storable(command) if isinstance(command, str) else None
        try:
            now = self.clock.now()
            if isinstance(command, str):
                command = parse(text or "", self.names, now=now, tz=self.tz)
            lang = command.lang
            reply = await self._run(command, origin, now, text)
            self.counts[(command.word, "ok")] += 1
            return reply
        except DomainError as err:
            self.counts[("-", err.code)] += 1
            if err.params.get("language") in ("sv", "en"):
                lang = err.params["language"]  # the parser knew the word's language
            return Reply(render_error(err, lang), ok=False, lang=lang, private=True, code=err.code)
        except Exception:
            self.counts[("-", "error.internal")] += 1
            log.exception("command failed: %r from %s", (text or str(command))[:200],
                          origin.platform)
            return Reply(t(lang, "error.internal"), ok=False, lang=lang, private=True,
                         code="error.internal")

    async def _run(self, command: Command, origin: Origin, now: datetime,
                   text: str | None) -> Reply:
        route = self.routes.get(type(command.body))
        if route is None:
            raise NotFound("error.not_available", command=command.word)
        person = origin.person
        if person is None:
            if not isinstance(command.body, Help):
                raise Forbidden("auth.not_in_roster", user=origin.user or "?")
            person = ""
        async with self.uow() as uow:
            if origin.delivery_id and not await uow.kv.add_once(
                f"delivery:{origin.platform}:{origin.delivery_id}"
            ):
                return Reply(t(command.lang, "delivery.duplicate"), lang=command.lang,
                             private=True, code="delivery.duplicate")
            ctx = Ctx(roster=self.roster, uow=uow, tz=self.tz, now=now, origin=origin,
                      command=command, person=person, exercise=self.exercise,
                      sandbox=self.exercise, archive=self.archive)
            if route.needs_activation:
                ctx.activation = await self._activation(uow, command, origin, person,
                                                        route.allow_closed)
                if ctx.activation.exercise:
                    await self._enter_exercise(ctx, text)
            reply = await route.handler(ctx, ctx.command.body)
            if ctx.exercise and not ctx.sandbox:  # every message of an exercise says so
                reply = dataclasses.replace(reply, text=exercise_marked(reply.text))
            if (bridged := await bridge.echo(ctx, reply, text)) is not None:
                ctx.effects.append(bridged)  # the answer in the other platform's war room
            if origin.durable_reply:
                reply = await _queue_reply(ctx, reply)
            if ctx.effects:
                await uow.outbox.add_many(ctx.effects)
            fault_point("command.before_commit")
            await uow.commit()
        fault_point("command.committed")
        self._kick()
        if ctx.advance_to is not None:
            await self._advance(*ctx.advance_to)
            await self._emit(ctx.after_advance)
        return reply

    async def _enter_exercise(self, ctx: Ctx, text: str | None) -> None:
        """Inside an exercise: its clock is the time, and times in the text are read on it
        (a command given already parsed, `text` None, holds no times to read again)."""
        ctx.exercise = True
        act = ctx.need_activation()
        simulated = None if self.exercise else await exercise_now(ctx, act.event_id)
        if simulated is not None and simulated != ctx.now:
            ctx.now = simulated
            if text is not None:
                ctx.command = parse(text, self.names, now=simulated, tz=self.tz)

    async def _emit(self, effects: list[Effect]) -> None:
        """Record `effects` in the outbox in a transaction of their own (after a clock jump's
        replay, so they come after what the jump caused) and wake the relay."""
        if effects:
            async with self.uow() as uow:
                await uow.outbox.add_many(effects)
                await uow.commit()
            self._kick()

    async def _advance(self, event_id: int, at: datetime) -> None:
        """An exercise clock moved (`klocka`): fire what fell due, in order."""
        if self.exercise:  # the whole process is the exercise: move its one clock
            setter = getattr(self.clock, "set", None)
            if setter is not None:
                setter(at)
            await self.tick()
            return
        async with self.uow() as uow:
            ids = {a.id for a in await uow.activations.of_event(event_id)}
        for hook in self._exercise_hooks:
            await hook(ids, at)
        self._kick()

    async def _activation(
        self, uow: UnitOfWork, command: Command, origin: Origin, person: str, allow_closed: bool
    ) -> Activation:
        act = await _find_activation(uow, command, origin, person)
        if not act.is_active and not allow_closed:
            raise Conflict("activation.closed_already", id=act.id)
        return act

    async def check_acknowledgements(self, at: datetime | None = None) -> int:
        """The ack-deadline job: escalate every function overdue at `at` (aware; default the
        clock's now) one step, stamped `at`. Returns how many rows changed."""
        when = at or self.clock.now()
        async with self.uow() as uow:
            changed = await escalate_overdue(uow, self.roster, when,
                                             skip_exercises=not self.exercise)
            await uow.commit()
        if changed:
            self._kick()
        return changed

    async def next_overdue(self, now: datetime) -> datetime | None:
        """The earliest acknowledgement deadline at or before `now` (aware UTC) of a row this
        service escalates (exercises only in an exercise process), or None."""
        async with self.uow() as uow:
            rows = [r for r in await uow.participants.overdue(now) if r.deadline is not None]
            exercise: dict[str, bool] = {}
            for row in rows:
                if row.activation_id not in exercise:
                    act = await uow.activations.get(row.activation_id)
                    exercise[row.activation_id] = act is None or act.exercise
            own = [r.deadline for r in rows if r.deadline is not None
                   and (self.exercise or not exercise[r.activation_id])]
        return min(own, default=None)

    async def escalate_until(self, now: datetime) -> int:
        """Every escalation step due at or before `now`, each at its own deadline and in
        deadline order, so a deputy's own deadline inside the span is reached too."""
        steps = 0
        for _ in range(MAX_ACK_STEPS):
            deadline = await self.next_overdue(now)
            if deadline is None:
                break
            changed = await self.check_acknowledgements(at=deadline)
            if not changed:
                break
            steps += changed
        return steps

    async def tick(self) -> None:
        """Run what is due at the clock's time (exercise clock or scheduler). With a
        `time_driver` installed (the exercise clock), it moves time, in order; otherwise
        only the escalations are walked. Then the tick hooks."""
        now = self.clock.now()
        if self.time_driver is not None:
            await self.time_driver(now)
        else:
            await self.escalate_until(now)
        for hook in self._tick_hooks:
            await hook(now)

    def _kick(self) -> None:
        if self.relay is not None:
            self.relay.kick()


EXERCISE_ONLY = frozenset({"klocka", "övning"})  # commands that only an exercise answers


async def _find_activation(
    uow: UnitOfWork, command: Command, origin: Origin, person: str
) -> Activation:
    if command.activation_id is not None:
        act = await uow.activations.get(command.activation_id)
        if act is None:
            raise NotFound("activation.unknown", id=command.activation_id)
        return act
    if origin.room is not None:
        bound = await uow.rooms.lookup(origin.platform, origin.room)
        if bound is not None and bound[0] == "activation":
            act = await uow.activations.get(bound[1])
            if act is not None:
                return act
    rows = await uow.participants.active_of_person(person)
    ids = sorted({r.activation_id for r in rows})
    if not ids and command.word in EXERCISE_ONLY:  # the leader who started it, not called
        ids = sorted(a.id for a in await uow.activations.active()
                     if a.exercise and a.initiated_by == person)
    if not ids:
        raise NotFound("activation.none_for_you")
    if len(ids) > 1:
        if command.word in EXERCISE_ONLY:  # only an exercise has a clock: name those
            ids = [i for i in ids if i.startswith(EXERCISE_PREFIX)] or ids
        if len(ids) > 1:
            spoken = words.command(command.word)
            raise Conflict("activation.which", ids=", ".join(f"#{i}" for i in ids),
                           first=ids[0], word=spoken.en if command.lang == "en" else spoken.sv)
    found = await uow.activations.get(ids[0])
    assert found is not None
    return found


async def _queue_reply(ctx: Ctx, reply: Reply) -> Reply:
    """Put the answer first in the command's effects: it commits with the command, so a
    crash or a rate limit after the commit delays it but never loses it (and the person is
    never told to try again, which would run the command twice)."""
    origin = ctx.origin
    room = await ctx.origin_room() if origin.room is not None else None
    if room is None or room.kind == "person":
        room = RoomRef("platform", origin.room or "")
    ctx.effects.insert(0, Post(room=room, text=reply.text, mentions=list(reply.mentions),
                               by=ctx.person or None, reply_to=origin.delivery_id,
                               platform=origin.platform))
    return dataclasses.replace(reply, queued=True)


def storable(text: str) -> str:
    """`text` with lone surrogates and NUL replaced by U+FFFD (see `handle`)."""
    if text.isascii() and "\x00" not in text:
        return text
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.replace("\x00", "\ufffd")


def render_error(err: DomainError, lang: Lang) -> str:
    """One translator for every platform: the code's text, with its parameters."""
    if not has(err.code):
        log.error("no text for error code %s", err.code)
        return t(lang, "error.internal")
    try:
        return t(lang, err.code, **err.params)
    except (KeyError, IndexError):
        log.exception("text for %s does not fit its parameters %s", err.code, err.params)
        return t(lang, "error.internal")
