"""The bridge in the core: an ordinary message of a war room becomes a `BridgeMessage` in the
outbox, in the same transaction that records the event as taken, so it is relayed once,
paced with the room's other posts, and resumed after a restart (`bot.outbox`); a command
given in a war room has its answer relayed to the other platform's room too (`echo`).

The adapters read their platform's events into `bot.domain.bridge.Incoming` and call
`Bridge.receive`; they never relay their own (the bot's) messages, so a relayed message is
never relayed back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.domain.bridge import BridgeMessage, Incoming, compose, literal, mentioned, sender_label
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.domain.roster import FunctionRef, Roster
from bot.handlers.context import Ctx, exercise_marked
from bot.handlers.types import Reply

log = logging.getLogger(__name__)


async def _label(uow: UnitOfWork, roster: Roster, activation_id: str, person: str | None,
                 fallback: str) -> str:
    refs: list[FunctionRef] = []
    if person:
        for row in await uow.participants.of_activation(activation_id):
            if row.person == person and "@" in row.function:
                refs.append(FunctionRef.parse(row.function))
    return sender_label(roster, person, refs, fallback)


class Bridge:
    """Takes incoming war-room messages of every platform (one per process, built by the
    composition root and handed to the adapters)."""

    def __init__(self, roster: Roster, uow: UnitOfWorkFactory,
                 kick: Callable[[], None] | None = None) -> None:
        self.roster = roster
        self.uow = uow
        self.kick = kick

    async def receive(self, incoming: Incoming) -> bool:
        """Record `incoming` for relaying when its room is the war room of an active
        activation and its key is new; True when something was recorded. Rooms that are not
        war rooms, closed activations and re-delivered events record nothing."""
        async with self.uow() as uow:
            bound = await uow.rooms.lookup(incoming.platform, incoming.room)
            if bound is None or bound[0] != "activation":
                return False
            act = await uow.activations.get(bound[1])
            if act is None or not act.is_active:
                return False
            if not await uow.bridge.receive_once(incoming.platform, incoming.key, act.id):
                log.info("bridge: %s %s was taken before; not relayed again", incoming.platform,
                         incoming.key)
                return False
            text = ""
            if incoming.action != "delete":
                header = await _label(uow, self.roster, act.id, incoming.person, incoming.sender)
                text = compose(header, incoming)
                if act.exercise:  # posted by the bot on the other side: ÖVNING first, as all
                    text = exercise_marked(text)  # of an exercise's messages (DOMAIN.md)
            await uow.outbox.add(BridgeMessage(
                activation_id=act.id, source_platform=incoming.platform, action=incoming.action,
                source_id=incoming.message, text=text, mentions=mentioned(incoming.parts)))
            await uow.commit()
        if self.kick is not None:
            self.kick()
        return True


async def echo(ctx: Ctx, reply: Reply, command: str | None) -> BridgeMessage | None:
    """The answer to a command given in a war room, for the war room on the other platforms
    (headed by who asked and what; ÖVNING first in an exercise's room): None for answers
    only the speaker sees, and outside war rooms. Goes into the command's own transaction."""
    origin = ctx.origin
    if not reply.ok or reply.private or origin.room is None:
        return None
    bound = await ctx.uow.rooms.lookup(origin.platform, origin.room)
    if bound is None or bound[0] != "activation":
        return None
    header = await _label(ctx.uow, ctx.roster, bound[1], ctx.person or None, origin.user)
    asked = literal(" ".join((command or ctx.command.word).split()))
    text = f"**{literal(header)}:** {asked}\n\n{reply.text}"
    act = ctx.activation
    if act is None or act.id != bound[1]:  # a command that needs no activation (`status`)
        act = await ctx.uow.activations.get(bound[1])
    if act is not None and act.exercise and not ctx.sandbox:  # the bot posts it: ÖVNING
        text = exercise_marked(text)
    return BridgeMessage(activation_id=bound[1], source_platform=origin.platform,
                         action="notice", text=text, mentions=list(reply.mentions))
