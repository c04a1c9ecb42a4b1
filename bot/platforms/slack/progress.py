"""The war room's one status message on Slack while its invitations wait for Slack (issue 9).

Inviting into a Slack channel is a users.list (or users.lookupByEmail, Tier 3) and one
conversations.invite (Tier 3); when Slack answers 429 the client waits `Retry-After` inside
the call, up to a minute. While it waits, the war room shows one status message — invited n
of N, acknowledged m, who is still missing — posted once Slack has made the bot wait
STATUS_AFTER_S, edited with chat.update at most every STATUS_EVERY_S and a last time when the
invitations are done. Nothing is posted when the invitations go through at once. The
message's `ts` is kept in the database (`slack:status:<activation>`), so a re-delivered
invitation after a restart edits the same message instead of posting another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.ports import UnitOfWorkFactory
from bot.domain.roster import FunctionRef, Roster
from bot.platforms.slack import texts

log = logging.getLogger(__name__)

STATUS_AFTER_S = 2.0  # Slack has made the bot wait this long: show the status message
STATUS_EVERY_S = 10.0  # edited at most this often (chat.update is Tier 3: 50 a minute)
TICK_S = 0.5  # how often the watcher looks at Slack's waits
SHOWN = 12  # names listed at most in one line
Render = Callable[[str], Awaitable[str]]  # light Markdown → Slack mrkdwn (mentions resolved)


def _waited(client: AsyncWebClient) -> float:
    """Seconds the client has waited on 429s so far (PacedWebClient), else 0."""
    pacer = getattr(client, "pacer", None)
    return float(getattr(pacer, "waited", 0.0))


class InviteProgress:
    """Progress of one war room's invitations: `invited` is set by the caller as it goes;
    `watch()` keeps the status message in step while the invitations run."""

    def __init__(self, client: AsyncWebClient, uow: UnitOfWorkFactory, roster: Roster,
                 render: Render, *, activation_id: str, channel: str,
                 people: list[str]) -> None:
        self.client = client
        self.uow = uow
        self.roster = roster
        self.render = render
        self.activation_id = activation_id
        self.channel = channel
        self.people = list(dict.fromkeys(people))  # person keys, in invitation order
        self.invited: set[str] = set()  # person keys invited (or in the channel) so far
        self._shown_at: float | None = None  # loop time of the last post or edit
        self._key = f"slack:status:{activation_id}"

    @contextlib.asynccontextmanager
    async def watch(self) -> AsyncIterator[InviteProgress]:
        """While the block runs, post or edit the status whenever Slack holds the bot back;
        afterwards the final state, if a status message was shown (now or before a restart).
        Showing the status is best effort: its failure never fails the invitations."""
        started = _waited(self.client)
        watcher = asyncio.create_task(self._watch(started))
        try:
            yield self
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        await self._show(final=True)

    async def _watch(self, started: float) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(TICK_S)
            if _waited(self.client) - started < STATUS_AFTER_S:
                continue
            if self._shown_at is None or loop.time() - self._shown_at >= STATUS_EVERY_S:
                await self._show(final=False)

    async def _show(self, *, final: bool) -> None:
        async with self.uow() as uow:
            ts = await uow.kv.get(self._key)
            rows = await uow.participants.of_activation(self.activation_id)
        if ts is None and final:
            return  # the invitations never waited long: nothing to follow
        self._shown_at = asyncio.get_running_loop().time()
        text = await self.render(self._text(rows, final))
        try:
            if ts is None:
                sent = await self.client.chat_postMessage(channel=self.channel, text=text)
                async with self.uow() as uow:
                    await uow.kv.put(self._key, str(sent["ts"]))
                    await uow.commit()
            else:
                await self.client.chat_update(channel=self.channel, ts=ts, text=text)
        except SlackApiError as exc:
            log.info("Slack: status of #%s not updated now (%s)", self.activation_id,
                     exc.response.get("error"))

    def _text(self, rows: list[Any], final: bool) -> str:
        acked = sum(1 for r in rows if r.acked_at is not None)
        lines = [texts.STATUS_HEAD.format(n=len(self.invited), total=len(self.people),
                                          acked=acked, called=len(rows))]
        waiting = [k for k in self.people if k not in self.invited]
        if waiting and not final:
            lines.append(texts.STATUS_WAITING.format(who=_names(
                [self._name(k) for k in waiting])))
        missing = [r for r in rows if r.acked_at is None]
        if missing:
            lines.append(texts.STATUS_MISSING.format(who=_names(
                [self.roster.function_label(FunctionRef.parse(r.function)) for r in missing],
                limit=15)))
        return "\n".join(lines)

    def _name(self, key: str) -> str:
        person = self.roster.people_by_key.get(key)
        return person.name if person else key


def _names(names: list[str], limit: int = SHOWN) -> str:
    return ", ".join(names[:limit]) + (" …" if len(names) > limit else "")
