"""Invitations into war rooms as durable work, paced by the homeserver.

Each invitation is recorded in the database (`matrix:invited:<room>:<mxid>`, "ok" or
"failed: <reason>") right after the homeserver answered, so a re-delivered item, a restart or
a new leader resumes where the last one stopped and never invites anyone twice. A rate limit
(M_LIMIT_EXCEEDED) raises RateLimited: the outbox relay defers the item by the server's
`retry_after_ms` and goes on with other rooms. A permanent refusal (unknown user, forbidden)
ends that person's invitation and is reported, durably through the outbox, in the war room
and where the activator reads. The war room's status message is in `status.py`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from nio import AsyncClient, RoomInviteResponse

from bot.domain.effects import Post, RoomRef
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.roster import Roster
from bot.faults import fault_point
from bot.platforms.matrix import texts
from bot.platforms.matrix.client import MatrixError, RateLimited, checked
from bot.platforms.matrix.directory import PLATFORM
from bot.platforms.matrix.render import person_name
from bot.platforms.matrix.status import DEFAULT_INVITE_RATE, ConveningStatus, invited_key

log = logging.getLogger(__name__)

TRANSIENT = {"TIMEOUT", "NETWORK", None}  # retried by the relay; every other code is final
# Synapse counts every invitation in the inviter's message allowance too (rc_message: 0.2 a
# second after a burst of 10, checked after rc_invites' 0.3 a second), and every message,
# edit and createRoom of the bot in the same allowance: under default limits each of them
# costs one invitation 5 s. Hence the status message is edited at most every two minutes
# (at most ~4 % of the time), not in the last minute (the final edit follows), and notices
# wait (`hold_notices_s`).
INVITEE_HOLD_S = 30.0  # a longer wait is the invitee's limit (rc_invites.per_user), not ours
HOLD_RECHECK_S = 5.0  # a held notice is looked at again after at most this long
PACE_PROBE = 0.97  # an invitation that went at the learnt interval: try 3 % sooner next time
PACE_GROW = 1.1  # a refusal lengthens the learnt interval by at most 10 % at a time
ANSWER_TURN_S = 1.0  # an answer waiting, interval not learnt: invitations after it by this


@dataclass(frozen=True)
class InviteJob:
    """One war room's invitations: where, and who to tell about refusals."""

    activation_id: str
    room_id: str
    by: str | None = None  # the person whose command called them (mentioned in reports)
    notify: list[RoomRef] = field(default_factory=list)  # besides the war room


class _Recording:
    """At most one invitation's record in flight, committed while the next invitation goes
    out (one SQLite commit, ~10 ms, beside each ~55 ms invitation; bench/matrix_convene.py).
    A crash leaves at most two invitations sent but unrecorded (one before): they are sent
    again after the restart, and Synapse answers a repeated invitation from the same sender
    with the invitation it has (no new state event), so everyone is still invited once."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def next(self, record: Coroutine[Any, Any, None]) -> None:
        """Wait for the record before, then start `record` in the background."""
        await self.done()
        self._task = asyncio.create_task(record)

    async def done(self) -> None:
        """Wait for the record in flight; its error (a failed commit) is raised here."""
        task, self._task = self._task, None
        if task is not None:
            await task


class Invitations(ConveningStatus):
    """Durable, paced invitations (and, inherited, the war room's status message)."""

    def __init__(self, client: AsyncClient, roster: Roster, uow: UnitOfWorkFactory) -> None:
        super().__init__(client, roster, uow)
        self._recorded: set[str] = set()  # invited_key()s known to be recorded
        self._held: dict[str, float] = {}  # invited_key → time.monotonic() not to try before
        self._convening: dict[str, float] = {}  # room id → when its throttled invitations end
        self._pace: dict[str, float] = {}  # room id → seconds between admitted invitations
        self._last_ok: dict[str, tuple[float, bool]] = {}  # room id → (one went, refused since)
        self._answers: dict[str, float] = {}  # command event id → when its answer is due
        self.opening = 0  # war rooms being made right now (WarRooms.open_war_room)

    def convening(self, room_id: str, remaining: int, wait_s: float = 0.0) -> None:
        """Note that `room_id` has `remaining` invitations throttled by the server (0: done)."""
        if remaining:
            self._convening[room_id] = time.monotonic() + wait_s + remaining / DEFAULT_INVITE_RATE
        else:
            self._convening.pop(room_id, None)

    def hold_notices_s(self) -> float:
        """Seconds to hold a notice nobody asked for (0: send it now). While invitations are
        throttled, the bot's one message allowance goes to them; the answers to commands and
        the war room's status message still go at once (Synapse's rc_message, README "Rate
        limits")."""
        now = time.monotonic()
        ends = [end for end in self._convening.values() if end > now]
        if ends:
            return min(max(ends) - now, HOLD_RECHECK_S)
        if self.opening and self.create_invite_limit:
            return 1.0  # a war room is being made on a throttling server: its invitations next
        return 0.0

    async def invite_each(self, job: InviteJob, people: list[str]) -> None:
        """Invite `people` (person keys) in order, skipping those done before. Raises
        RateLimited (defer) or MatrixError (transient); returns when everyone is done.

        Synapse checks an invitation against the room's, the invitee's and the inviter's
        invitation limits, then the inviter's message allowance, and counts it in the first
        ones even when a later one refuses, so a refused retry uses up the invitee's own
        allowance (5, then one per 333 s). An invitee whose allowance is gone is passed over
        for now, so the others go on. While throttled, a due edit of the status message
        takes the turn of the next invitation (both cost one message of the allowance)."""
        activation_id, room_id = job.activation_id, job.room_id
        held: list[float] = []
        todo = await self._not_recorded(room_id, people)
        if room_id in self._convening and await self.show_status(
                activation_id, room_id, remaining=len(todo)):  # the edit took this turn
            self._last_ok[room_id] = (time.monotonic(), False)
        recording = _Recording()
        try:
            for n, (key, mxid) in enumerate(todo):
                marker = invited_key(room_id, mxid)
                if self._held.get(marker, 0.0) > time.monotonic():
                    held.append(self._held[marker])
                    continue
                if (wait := self._paced_wait(room_id)) > 0:
                    self.convening(room_id, len(todo) - n, wait)
                    raise RateLimited("invite", "the allowance refills", wait)
                try:
                    outcome = await self._invite_one(room_id, mxid)
                except RateLimited as exc:
                    if exc.after_s > INVITEE_HOLD_S:  # this invitee's own allowance: next one
                        self._held[marker] = time.monotonic() + exc.after_s
                        held.append(self._held[marker])
                        continue
                    self._learn_pace(room_id, exc.after_s)
                    self.convening(room_id, len(todo) - n, exc.after_s)
                    raise
                await recording.next(self._record(job, key, mxid, outcome))
                if outcome == "ok":
                    self._went(room_id)
        finally:
            await recording.done()
        if held:
            wait = min(held) - time.monotonic()
            raise RateLimited("invite", "invitees' own limit", max(0.0, wait))
        self.convening(room_id, 0)
        self._pace.pop(room_id, None)
        self._last_ok.pop(room_id, None)
        await self.show_status(activation_id, room_id, final=True)

    def _paced_wait(self, room_id: str) -> float:
        """Seconds until the server's allowance takes another invitation to `room_id`, as
        learnt from its refusals (0: try now). An invitation sent sooner would be refused,
        and Synapse would still count it against the room, the invitee and the inviter
        (see `invite_each`): waiting for the allowance keeps those for real invitations."""
        if room_id not in self._convening:
            return 0.0
        now = time.monotonic()
        pace = min(self._pace.get(room_id, 0.0), INVITEE_HOLD_S)  # 0: not learnt yet
        went = self._last_ok.get(room_id)
        wait = pace - (now - went[0]) if went is not None else 0.0
        answers = [due for due in self._answers.values() if due > now - 60]
        if answers:  # an answer waits for the allowance: it takes the next turn
            wait = max(wait, min(answers) - now + (pace or ANSWER_TURN_S))
        return wait

    def answer_waiting(self, reply_to: str, after_s: float | None) -> None:
        """An answer to the command `reply_to` was refused for now (`after_s`: due then) or
        went (None). While answers wait, throttled invitations leave them the next turn."""
        if after_s is None:
            self._answers.pop(reply_to, None)
        else:
            self._answers[reply_to] = time.monotonic() + after_s

    def _learn_pace(self, room_id: str, after_s: float) -> None:
        """The first refusal after an invitation went: the allowance's interval is the time
        since then plus the server's `retry_after_ms`."""
        went = self._last_ok.get(room_id)
        if went is not None and not went[1]:
            seen = time.monotonic() - went[0] + after_s
            before = self._pace.get(room_id)  # another message may have taken a turn: grow
            self._pace[room_id] = seen if before is None else min(seen, before * PACE_GROW)
            self._last_ok[room_id] = (went[0], True)

    def _went(self, room_id: str) -> None:
        """An invitation went. If it went at the first try after the learnt interval, the
        interval may be shorter: try a little sooner next time (a refusal learns it anew)."""
        went = self._last_ok.get(room_id)
        if went is not None and not went[1] and room_id in self._pace:
            self._pace[room_id] *= PACE_PROBE
        self._last_ok[room_id] = (time.monotonic(), False)

    async def _invite_one(self, room_id: str, mxid: str) -> str:
        """One invitation: "ok" (also when already invited or joined) or "failed: <why>"
        for a permanent refusal; raises RateLimited, or MatrixError when transient."""
        try:
            await checked(lambda: self.client.room_invite(room_id, mxid),
                          f"invite {mxid}", RoomInviteResponse, pace=False)
        except RateLimited:
            raise
        except MatrixError as exc:
            if "already" in exc.message:  # joined or invited before: fine
                return "ok"
            if exc.code in TRANSIENT:
                raise
            return f"failed: {exc.code} {exc.message}".strip()
        fault_point("matrix.invited")
        return "ok"

    async def _not_recorded(self, room_id: str, people: list[str]) -> list[tuple[str, str]]:
        """(key, mxid) of `people` whose invitation to `room_id` is not yet recorded."""
        todo: list[tuple[str, str]] = []
        async with self.uow() as uow:
            for key, mxid in self.mxids(people):
                marker = invited_key(room_id, mxid)
                if marker in self._recorded:
                    continue
                if await uow.kv.get(marker) is not None:
                    self._recorded.add(marker)
                    continue
                todo.append((key, mxid))
        return todo

    async def _record(self, job: InviteJob, key: str, mxid: str, outcome: str) -> None:
        """The outcome of one invitation, and for a refusal the reports, in one commit."""
        marker = invited_key(job.room_id, mxid)
        async with self.uow() as uow:
            await uow.kv.put(marker, outcome)
            if outcome != "ok":
                log.warning("Matrix: could not invite %s to #%s: %s", mxid, job.activation_id,
                            outcome)
                for post in self._failure_posts(job, key, mxid, outcome):
                    await uow.outbox.add(post)
            await uow.commit()
        self._recorded.add(marker)
        if outcome != "ok":
            self.kick_relay()

    def _failure_posts(self, job: InviteJob, key: str, mxid: str, outcome: str) -> list[Post]:
        activation_id, by, notify = job.activation_id, job.by, job.notify
        person = self.roster.people_by_key.get(key)
        phone = person.phone if person is not None and person.phone else None
        fallback = (texts.INVITE_FALLBACK_PHONE.format(phone=phone) if phone
                    else texts.INVITE_FALLBACK)
        text = texts.INVITE_REFUSED.format(name=person_name(self.roster, key), mxid=mxid,
                                           id=activation_id, reason=outcome[len("failed: "):],
                                           fallback=fallback)
        mention = f" <@{by}>" if by else ""
        rooms = [RoomRef("activation", activation_id),
                 *[r for r in notify if r != RoomRef("activation", activation_id)]]
        return [Post(room=room, text=text + mention, mentions=[by] if by else [],
                     platform=PLATFORM) for room in rooms]
