"""Where a notice about an activation reaches a person on Slack.

A new war room has nobody in it until the invitations are done, so a notice about opening or
inviting never goes only there (issue 9): it goes by direct message to the person who
activated and to the moderators (the chair, Länsstyrelsen's TiB), and to the forum's standing
channel, where the activation was asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from slack_sdk.errors import SlackApiError

from bot.domain.ports import UnitOfWorkFactory
from bot.platforms.slack.directory import Directory
from bot.platforms.slack.workspace import Workspace

log = logging.getLogger(__name__)

StandingRoom = Callable[[str], Awaitable[str | None]]


class Readers:
    """Finds the Slack channels where people will read a notice about an activation."""

    def __init__(self, uow: UnitOfWorkFactory, directory: Directory, workspace: Workspace,
                 standing_room: StandingRoom) -> None:
        self.uow = uow
        self.directory = directory
        self.workspace = workspace
        self.standing_room = standing_room

    async def activator(self, activation_id: str) -> str | None:
        """The person key of who activated `activation_id`, if the record knows it."""
        async with self.uow() as uow:
            activation = await uow.activations.get(activation_id)
        return activation.initiated_by if activation else None

    async def direct(self, people: Iterable[str]) -> list[str]:
        """Direct-message channel ids of those of `people` (person keys) who are in Slack."""
        users = await self.directory.users_of(people)
        return [await self.workspace.dm(user) for user in dict.fromkeys(users.values()) if user]

    async def of_opening(self, activation_id: str, people: Iterable[str]) -> list[str]:
        """Channels for a notice about opening a war room: direct messages to the activator
        and `people`, then the forum's standing channel (if it has one on Slack)."""
        async with self.uow() as uow:
            activation = await uow.activations.get(activation_id)
        starter = [activation.initiated_by] if activation else []
        targets = await self.direct([*starter, *people])
        if activation is not None:
            try:
                standing = await self.standing_room(activation.forum)
            except (LookupError, SlackApiError):
                log.warning("forum %s: no standing channel for a notice", activation.forum)
                standing = None
            if standing is not None:
                targets.append(standing)
        return targets
