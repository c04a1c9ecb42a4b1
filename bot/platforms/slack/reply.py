"""Answers to the person who gave a command: through the command's `response_url`,
visible to the channel for accepted actions in war rooms, otherwise only to the speaker.

Once the core has answered, the command is committed: its answer is delivered, never dropped
and never replaced by "try again" (a retry would be refused as a duplicate). A response_url
answering 429 is waited out (`Retry-After`); other failures are tried again a few times; a
response_url that stays refused or expires (Slack: five uses within 30 minutes) gives way to
a direct message from the bot with the rest of the answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.domain.ports import UnitOfWorkFactory
from bot.handlers.types import Reply
from bot.platforms.common import mentioned_keys
from bot.platforms.slack.directory import Directory
from bot.platforms.slack.render import MESSAGE_LIMIT, chunks, to_mrkdwn

log = logging.getLogger(__name__)

PLATFORM = "slack"
RESPONSE_URL_USES = 5  # Slack accepts at most five messages per response_url
RESPONSE_URL_LIFETIME = 30 * 60.0  # seconds a response_url is good for (Slack)
RETRY_PAUSES = (1.0, 3.0, 10.0)  # seconds before each new try of a part that failed
TRUNCATED = "… (svaret är för långt för Slack; se hela i protokollet eller med `logg`)"

Respond = Callable[..., Awaitable[Any]]
Visibility = Literal["in_channel", "ephemeral"]


def webhook_respond(url: str) -> Respond:
    """A `respond` for a stored response_url (the modal keeps the command's one)."""
    client = AsyncWebhookClient(url)

    async def respond(**kwargs: Any) -> Any:
        return await client.send(**kwargs)

    return respond


class Replier:
    def __init__(self, directory: Directory, uow: UnitOfWorkFactory) -> None:
        self.directory = directory
        self.uow = uow

    async def in_war_room(self, channel: str | None) -> bool:
        if not channel:
            return False
        async with self.uow() as uow:
            bound = await uow.rooms.lookup(PLATFORM, channel)
        return bound is not None and bound[0] == "activation"

    async def visibility(self, reply: Reply, channel: str | None) -> Visibility:
        if reply.ok and not reply.private and await self.in_war_room(channel):
            return "in_channel"
        return "ephemeral"

    async def render(self, text: str, extra: tuple[str, ...] = ()) -> list[str]:
        keys = [*mentioned_keys(text), *extra]
        try:
            mentions = await self.directory.mentions(keys)
        except SlackApiError:  # the answer goes out with names rather than not at all
            log.warning("Slack look-ups failed; the answer names people without mentions")
            mentions = {key: self.directory.display(key) for key in keys}
        parts = chunks(to_mrkdwn(text, mentions))
        if len(parts) > RESPONSE_URL_USES:
            last = RESPONSE_URL_USES - 1
            # The last part is cut shorter (at a safe point) so that the note fits with it.
            room = MESSAGE_LIMIT - len(TRUNCATED) - 1
            parts = [*parts[:last], chunks(parts[last], room)[0] + "\n" + TRUNCATED]
        return parts

    async def send(self, reply: Reply, channel: str | None, respond: Respond,
                   user: str | None = None) -> None:
        """Deliver the core's answer to `user` (Slack user id; the fallback's addressee).
        Never raises: a failure is logged after every way to deliver has been tried."""
        try:
            visibility, parts = await asyncio.gather(self.visibility(reply, channel),
                                                     self.render(reply.text, reply.mentions))
            await self._deliver(parts, visibility, respond, user)
        except Exception:
            log.exception("the answer to a committed Slack command could not be delivered")

    async def say(self, text: str, respond: Respond, user: str | None = None) -> None:
        """A message of the adapter itself (errors): always only to the speaker."""
        await self._deliver(await self.render(text), "ephemeral", respond, user)

    async def _deliver(self, parts: list[str], visibility: Visibility, respond: Respond,
                       user: str | None) -> None:
        for n, part in enumerate(parts):
            if not await self._respond(part, visibility, respond):
                await self._direct(parts[n:], user)
                return

    async def _respond(self, part: str, visibility: Visibility, respond: Respond) -> bool:
        """One part through the response_url: True once Slack took it, False when the
        response_url is of no more use."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + RESPONSE_URL_LIFETIME
        pauses = list(RETRY_PAUSES)
        while loop.time() < give_up:
            try:
                result = await respond(text=part, response_type=visibility)
                status = int(getattr(result, "status_code", 200))
            except (aiohttp.ClientError, OSError, TimeoutError):
                log.warning("response_url unreachable", exc_info=True)
                status = 0
            if status == 200:
                return True
            if status == 429:
                await asyncio.sleep(_retry_after(result))
                continue
            if status in (404, 410) or not pauses:  # expired or used up, or keeps failing
                break
            await asyncio.sleep(pauses.pop(0))
        log.warning("Slack response_url refused the answer; sending it as a direct message")
        return False

    async def _direct(self, parts: list[str], user: str | None) -> None:
        """The rest of an answer as a direct message from the bot (its client waits out
        rate limits)."""
        if user is None:
            raise RuntimeError("no response_url and no user to send the answer to")
        client = self.directory.client
        dm = str((await client.conversations_open(users=user))["channel"]["id"])
        for part in parts:
            await client.chat_postMessage(channel=dm, text=part)


def _retry_after(result: Any) -> float:
    """Seconds from a webhook response's `Retry-After` (1 when absent or unreadable)."""
    headers = getattr(result, "headers", None) or {}
    for name, value in headers.items():
        if str(name).lower() == "retry-after":
            raw = value[0] if isinstance(value, list) and value else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return 1.0
