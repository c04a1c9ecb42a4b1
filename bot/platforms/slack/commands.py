"""Slash commands and the activation form → the core's one command path.

A command is acknowledged once it is recorded: the listener looks the speaker up and runs
the command to its commit, then acks (`ack()`), then answers via response_url. Slack gives up
after three seconds and does not send a slash command again, so an ack that came before the
commit would let a crash lose a command that the person believes was taken; without an ack
the person sees Slack's own error and gives it again. A command still running after
ACK_WITHIN_S is acknowledged anyway (Slack's limit wins) and finishes after. Opening the
activation form is acknowledged first (its trigger_id is valid for three seconds).
A re-delivered command carries the same trigger_id, which becomes `Origin.delivery_id`, so
the core performs it once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.grammar.commands import Command
from bot.handlers.service import CommandService
from bot.handlers.types import Origin, Reply
from bot.platforms.slack import texts
from bot.platforms.slack.client import api_error_text
from bot.platforms.slack.directory import Directory
from bot.platforms.slack.inflight import InFlight
from bot.platforms.slack.modal import CALLBACK_ID, build_view, read_form, validate
from bot.platforms.slack.reply import Replier, Respond, webhook_respond

log = logging.getLogger(__name__)

PLATFORM = "slack"
# How long a listener lets its command run before it acknowledges anyway: Slack waits three
# seconds for the ack (https://api.slack.com/interactivity/handling#acknowledgment_response),
# and the answer must still cross the network.
ACK_WITHIN_S = 2.0

# Slash command → the command word it stands for. `/samverkan <sub> …` (and its short
# alias `/sv`) carries every command of PRODUCT.md §3; the others are one-word shortcuts.
# All names are ASCII: Slack's command names are safest without å/ä/ö.
SLASH_COMMANDS: dict[str, str] = {
    "/aktivera": "aktivera",
    "/activate": "activate",
    "/samverkan": "samverkan",
    "/sv": "samverkan",
    "/kvittera": "kvittera",
    "/lage": "läge",
}
_OPENS_FORM = {"aktivera", "activate"}


class SlackCommands:
    def __init__(self, service: CommandService, directory: Directory, replier: Replier,
                 inflight: InFlight) -> None:
        self.service = service
        self.directory = directory
        self.replier = replier
        self.inflight = inflight

    def register(self, bolt: AsyncApp) -> None:
        for name in SLASH_COMMANDS:
            bolt.command(name)(self.on_command)
        bolt.view(CALLBACK_ID)(self.on_submit)

    # -- slash commands --------------------------------------------------------------------
    async def on_command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                         client: AsyncWebClient) -> None:
        self.inflight.enter()
        word = SLASH_COMMANDS.get(str(body.get("command")), "samverkan")
        text = unescape(str(body.get("text") or "")).strip()
        if word in _OPENS_FORM and not text:
            await ack()
            try:
                await self._open_form(body, respond, client)
            except Exception:
                log.exception("Slack command %s failed", body.get("command"))
                await self._tell(respond, texts.COMMAND_FAILED)
            return
        channel = body.get("channel_id")
        handling = asyncio.ensure_future(self._handle(
            f"{word} {text}", body["user_id"], channel, f"cmd:{body['trigger_id']}"))
        await acknowledge_after(handling, ack)
        try:
            reply = await handling
        except Exception:
            log.exception("Slack command %s failed", body.get("command"))
            await self._tell(respond, texts.COMMAND_FAILED)
            return
        await self.replier.send(reply, channel, respond, body["user_id"])

    async def _handle(self, text: str | Command, user: str, channel: str | None,
                      delivery: str) -> Reply:
        """Look the speaker up and run the command to its commit; the answer to give."""
        try:
            person = await self.directory.person_of(user)
        except SlackApiError as exc:
            log.warning("users.info failed for a command: %s", exc.response.get("error"))
            return Reply(texts.SLACK_UNREACHABLE.format(reason=api_error_text(exc)), ok=False,
                         private=True)
        origin = Origin(PLATFORM, person, room=channel, user=user, delivery_id=delivery)
        return await self.service.handle_command(text, origin)

    async def _run(self, text: str | Command, user: str, channel: str | None, delivery: str,
                   respond: Respond) -> Reply:
        reply = await self._handle(text, user, channel, delivery)
        await self.replier.send(reply, channel, respond, user)
        return reply

    async def _open_form(self, body: dict[str, Any], respond: Respond,
                         client: AsyncWebClient) -> None:
        metadata = {"channel": str(body.get("channel_id") or ""),
                    "response_url": str(body.get("response_url") or "")}
        view = build_view(self.service.roster, metadata)
        try:
            await client.views_open(trigger_id=body["trigger_id"], view=view)
        except SlackApiError as exc:
            log.warning("views.open failed: %s", exc.response.get("error"))
            await self._tell(respond, api_error_text(exc))

    # -- the form --------------------------------------------------------------------------
    async def on_submit(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = read_form(view)
        errors = validate(form, self.service.roster)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        self.inflight.enter()
        metadata, user = _metadata(view), str(body["user"]["id"])
        channel, delivery = metadata.get("channel") or None, f"view:{view['id']}"
        # The form's choices go in as parsed commands with roster keys: text would be read
        # again, and "Länsstyrelsen Stockholm" is one actor's alias as well as two actors.
        handling = asyncio.ensure_future(self._handle(form.command(), user, channel, delivery))
        await acknowledge_after(handling, ack)
        try:
            respond = await self._submit_respond(metadata, user)
        except SlackApiError:
            log.exception("no way to answer the activation form (it is recorded: %s)",
                          delivery)
            await asyncio.gather(handling, return_exceptions=True)
            return
        try:
            reply = await handling
            await self.replier.send(reply, channel, respond, user)
            if reply.ok and reply.activation_id is not None:
                for follow_up in form.follow_ups(reply.activation_id):
                    await self._run(follow_up, user, channel, f"{delivery}:{follow_up.word}",
                                    respond)
        except Exception:
            log.exception("Slack activation form failed")
            await self._tell(respond, texts.COMMAND_FAILED)

    async def _submit_respond(self, metadata: dict[str, str], user: str) -> Respond:
        """The command's response_url if the form kept one, else a direct message."""
        url = metadata.get("response_url")
        if url:
            return webhook_respond(url)
        dm = str((await self.directory.client.conversations_open(users=user))["channel"]["id"])

        async def respond(**kwargs: Any) -> Any:
            kwargs.pop("response_type", None)
            return await self.directory.client.chat_postMessage(channel=dm, **kwargs)

        return respond

    async def _tell(self, respond: Respond, text: str) -> None:
        try:
            await self.replier.say(text, respond)
        except Exception:
            log.exception("could not answer on Slack")


async def acknowledge_after(handling: Awaitable[object], ack: AsyncAck) -> None:
    """Acknowledge once `handling` (the command up to its commit) is done, failed or not, or
    after ACK_WITHIN_S seconds if it is still running (it goes on)."""
    await asyncio.wait([asyncio.ensure_future(handling)], timeout=ACK_WITHIN_S)
    await ack()


def unescape(text: str) -> str:
    """Slack sends `&`, `<` and `>` of the typed text as HTML entities; the core gets them
    as typed (only these three: anything else is the user's own text)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _metadata(view: dict[str, Any]) -> dict[str, str]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
