"""Inviting people into a war room channel, and conversations.invite refusals.

Slack refuses a whole conversations.invite when one of its users cannot be invited; the
answer lists each user's error in `errors` (https://api.slack.com/methods/conversations.invite,
"Partially failed calls"). Those in FOR_GOOD cannot change by trying again. While Slack makes
the bot wait, the war room shows one status message (`progress`).
"""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.ports import UnitOfWorkFactory
from bot.domain.roster import Roster
from bot.faults import fault_point
from bot.platforms.slack import texts
from bot.platforms.slack.directory import Directory
from bot.platforms.slack.notices import Readers
from bot.platforms.slack.progress import InviteProgress
from bot.platforms.slack.workspace import Workspace

INVITE_BATCH = 1000  # conversations.invite: "Up to 1000 users may be listed" (spec and docs)


class Inviting:
    """The invitation half of `SlackRooms` (which provides these attributes)."""

    client: AsyncWebClient
    uow: UnitOfWorkFactory
    roster: Roster
    directory: Directory
    workspace: Workspace
    readers: Readers

    async def _mrkdwn(self, text: str, extra: Iterable[str] = ()) -> str:
        raise NotImplementedError

    async def _say(self, channel: str, text: str, mentions: Iterable[str] = ()) -> None:
        raise NotImplementedError

    async def _invite(self, channel: str, activation_id: str, people: Iterable[str]) -> None:
        """Invite those of `people` not yet in `channel`, in one call per INVITE_BATCH.
        Slack refuses a whole call for one bad user; users it refuses for good (per-user
        `errors`) are left out and told about, the rest are invited. Rate limits only delay
        (the client waits them out); meanwhile the war room's status message shows how far
        the invitations have come (`InviteProgress`)."""
        progress = InviteProgress(self.client, self.uow, self.roster, self._mrkdwn,
                                  activation_id=activation_id, channel=channel,
                                  people=list(people))
        async with progress.watch():
            await self._invite_all(channel, activation_id, progress)

    async def _invite_all(self, channel: str, activation_id: str,
                          progress: InviteProgress) -> None:
        users = await self.directory.users_of(progress.people)
        unreachable = {k: "" for k, u in users.items() if u is None}
        await self._announce(channel, activation_id, unreachable)
        wanted = {u for u in users.values() if u} - {await self.workspace.bot_user()}
        person = {u: k for k, u in users.items() if u}
        refused: dict[str, str] = {}
        for attempt in range(3):
            present = await self.workspace.members(channel)
            progress.invited = {person[u] for u in wanted & present if u in person}
            missing = sorted(wanted - refused.keys() - present)
            try:
                for start in range(0, len(missing), INVITE_BATCH):
                    batch = ",".join(missing[start:start + INVITE_BATCH])
                    await self.client.conversations_invite(channel=channel, users=batch)
                    fault_point("slack.invited")
                break
            except SlackApiError as exc:
                # Someone joined meanwhile (list again), or some users are refused for good.
                for_good = refused_for_good(exc)
                joined = exc.response.get("error") == "already_in_channel"
                if attempt == 2 or not (for_good or joined):
                    raise
                refused.update(for_good)
        progress.invited = {person[u] for u in wanted - refused.keys() if u in person}
        await self._announce(channel, activation_id,
                             {person[u]: code for u, code in refused.items() if u in person})

    async def _announce(self, channel: str, activation_id: str, people: dict[str, str]) -> None:
        """Tell, once per person, the war room and the activator who cannot be reached in
        Slack: `people` maps a person key to Slack's refusal code ("" = not in Slack)."""
        fresh: dict[str, str] = {}
        async with self.uow() as uow:
            for key, code in people.items():
                if await uow.kv.add_once(f"slack:unreachable:{activation_id}:{key}"):
                    fresh[key] = code
            await uow.commit()
        absent = [self.directory.display(k) for k, code in fresh.items() if not code]
        refused = [f"{self.directory.display(k)} ({code})" for k, code in fresh.items() if code]
        notes = ([texts.NOT_IN_SLACK.format(id=activation_id, people=", ".join(absent))]
                 if absent else [])
        if refused:
            notes.append(texts.NOT_INVITED.format(id=activation_id, people=", ".join(refused)))
        if notes:  # in the room, and to the activator, who may call them another way
            starter = await self.readers.activator(activation_id)
            for target in [channel, *await self.readers.direct([starter] if starter else [])]:
                for note in notes:
                    await self._say(target, note)


def _code(exc: SlackApiError) -> str:
    return str(exc.response.get("error"))


# conversations.invite per-user errors that no retry can change (Slack's method docs).
FOR_GOOD = {"cant_invite", "user_not_found", "user_is_restricted", "ura_max_channels",
            "cant_invite_self", "user_is_ultra_restricted", "not_allowed_to_invite"}


def refused_for_good(exc: SlackApiError) -> dict[str, str]:
    """User id → error code for the users Slack refused for good in a conversations.invite
    (empty when the error is of another kind, e.g. a rate limit or `already_in_channel`)."""
    errors = exc.response.get("errors") or []
    found = {str(e.get("user")): str(e.get("error")) for e in errors if isinstance(e, dict)}
    if not found and _code(exc) in FOR_GOOD and exc.response.get("user"):
        found = {str(exc.response.get("user")): _code(exc)}
    return {user: code for user, code in found.items() if code in FOR_GOOD}
