"""Answers to the person who gave a command: through the command's `response_url`,
visible to the channel for accepted actions in war rooms, otherwise only to the speaker."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.domain.ports import UnitOfWorkFactory
from bot.handlers.types import Reply
from bot.platforms.common import mentioned_keys
from bot.platforms.slack.directory import Directory
from bot.platforms.slack.render import MESSAGE_LIMIT, chunks, to_mrkdwn

log = logging.getLogger(__name__)

PLATFORM = "slack"
RESPONSE_URL_USES = 5  # Slack accepts at most five messages per response_url
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
        mentions = await self.directory.mentions([*mentioned_keys(text), *extra])
        parts = chunks(to_mrkdwn(text, mentions))
        if len(parts) > RESPONSE_URL_USES:
            last = RESPONSE_URL_USES - 1
            # The last part is cut shorter (at a safe point) so that the note fits with it.
            room = MESSAGE_LIMIT - len(TRUNCATED) - 1
            parts = [*parts[:last], chunks(parts[last], room)[0] + "\n" + TRUNCATED]
        return parts

    async def send(self, reply: Reply, channel: str | None, respond: Respond) -> None:
        visibility, parts = await asyncio.gather(self.visibility(reply, channel),
                                                 self.render(reply.text, reply.mentions))
        for part in parts:
            await respond(text=part, response_type=visibility)

    async def say(self, text: str, respond: Respond) -> None:
        """A message of the adapter itself (errors): always only to the speaker."""
        for part in await self.render(text):
            await respond(text=part, response_type="ephemeral")
