"""The war room's one status message while invitations are under way (issue 9).

While the homeserver throttles invitations, the war room shows one message, edited as they
go: invited n of N, acknowledged m, who is still missing. Each edit costs one message of the
bot's allowance, which Synapse shares with invitations (rc_message), so it is edited at most
every STATUS_EVERY_S and not when the final state is due within FINAL_SOON_S.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from nio import AsyncClient

from bot.domain.ports import UnitOfWorkFactory
from bot.domain.roster import FunctionRef, Roster
from bot.platforms.matrix import texts
from bot.platforms.matrix.client import MatrixError, RateLimited
from bot.platforms.matrix.directory import RoomDirectory
from bot.platforms.matrix.render import edit_content, notice, person_name

log = logging.getLogger(__name__)

DEFAULT_INVITE_RATE = 0.2  # invitations a second under Synapse's default rc_message
STATUS_EVERY_S = 120.0  # the status message is edited at most this often while throttled
FINAL_SOON_S = 60.0  # no edit when the final one is due within this long


def invited_key(room_id: str, mxid: str) -> str:
    """The key-value record of one invitation: "ok" or "failed: <reason>"."""
    return f"matrix:invited:{room_id}:{mxid}"


class ConveningStatus(RoomDirectory):
    """The status message of each war room being convened (kv `matrix:status:<room>`)."""

    create_invite_limit: int | None = None  # learnt from the server: None = no limit seen

    def __init__(self, client: AsyncClient, roster: Roster, uow: UnitOfWorkFactory) -> None:
        super().__init__(client, roster, uow)
        self._status_at: dict[str, float] = {}  # room id → time.monotonic() of the last edit

    async def show_status(self, activation_id: str, room_id: str, *, final: bool = False,
                          force: bool = False, remaining: int | None = None) -> bool:
        """Post or edit the war room's one status message: at most every STATUS_EVERY_S
        while more than that is left of `remaining` invitations, and always for the final
        state (`final`) or the first (`force`). Best effort, but for the final edit: a rate
        limit skips an edit, and defers the final one (RateLimited). Returns whether a
        message was sent."""
        last = self._status_at.get(room_id, 0.0)
        if not (final or force):
            if time.monotonic() - last < STATUS_EVERY_S:
                return False
            if remaining is not None and remaining / DEFAULT_INVITE_RATE < FINAL_SOON_S:
                return False  # the final edit comes within the minute: spare the invitations
        status_key = f"matrix:status:{room_id}"
        async with self.uow() as uow:
            event_id = await uow.kv.get(status_key)
            rows = await uow.participants.of_activation(activation_id)
        if event_id is None and final and not force:
            return False  # everyone was invited without a wait: nothing to follow
        self._status_at[room_id] = time.monotonic()
        text = await self._status_text(room_id, rows, final)
        content = notice(text, self.roster)
        if event_id is not None:
            content = edit_content(content, event_id)
        try:
            sent = await self.send(room_id, content)
        except RateLimited:
            if final and event_id is not None:
                raise  # the final state is shown for sure: the item is deferred until it is
            log.info("Matrix: status of #%s not updated now (rate limited)", activation_id)
            return False
        except MatrixError as exc:
            log.info("Matrix: status of #%s not updated now (%s)", activation_id, exc.code)
            return False
        if event_id is None:
            async with self.uow() as uow:
                await uow.kv.put(status_key, sent)
                await uow.commit()
        return True

    async def _status_text(self, room_id: str, rows: list[Any], final: bool) -> str:
        people = list(dict.fromkeys(r.person for r in rows))
        reachable = self.mxids(people)
        async with self.uow() as uow:
            done = {m for _, m in reachable
                    if (await uow.kv.get(invited_key(room_id, m)) or "").startswith("ok")}
        acked = sum(1 for r in rows if r.acked_at is not None)
        waiting = [k for k, m in reachable if m not in done]
        missing = [r for r in rows if r.acked_at is None]
        lines = [texts.STATUS_HEAD.format(n=len(done), total=len(reachable), acked=acked,
                                          called=len(rows))]
        if waiting and not final:
            eta = (len(waiting) / DEFAULT_INVITE_RATE) if self.create_invite_limit else 0
            lines.append(texts.STATUS_WAITING.format(
                who=", ".join(person_name(self.roster, k) for k in waiting[:12])
                + (" …" if len(waiting) > 12 else ""), minutes=max(1, round(eta / 60))))
        if missing:
            labels = [self.roster.function_label(FunctionRef.parse(r.function))
                      for r in missing[:15]]
            lines.append(texts.STATUS_MISSING.format(
                who=", ".join(labels) + (" …" if len(missing) > 15 else "")))
        return "\n".join(lines)
