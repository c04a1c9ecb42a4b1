"""Small look-ups in the workspace: the bot's own user, channel members, channels by name,
direct-message channels. Paginated where Slack paginates; cached where it cannot change."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{8,}")  # names are lowercase, so never confused
PAGE = 200
MAX_PAGES = 50  # 10,000 channels or members: far beyond a region; a bound on a broken cursor


class Workspace:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._bot_user: str | None = None
        self._dms: dict[str, str] = {}

    def know_bot_user(self, user: str | None) -> None:
        """From an auth.test made elsewhere (the app's authorization), saving a call."""
        self._bot_user = user or self._bot_user

    async def bot_user(self) -> str:
        if self._bot_user is None:
            self._bot_user = str((await self.client.auth_test())["user_id"])
        return self._bot_user

    async def members(self, channel: str) -> set[str]:
        found: set[str] = set()
        async for page in self._pages("conversations_members", "members", channel=channel):
            found.update(str(m) for m in page)
        return found

    async def find_channel(self, name: str, *, private_only: bool = False,
                           join: bool = False) -> str | None:
        """The id of the channel called `name` (or `name` itself if it is an id).
        Bots only see private channels they are in; a public one is joined if `join`."""
        if CHANNEL_ID.fullmatch(name):
            return name
        types = "private_channel" if private_only else "public_channel,private_channel"
        async for page in self._pages("conversations_list", "channels", types=types,
                                      exclude_archived=True):
            for channel in page:
                if channel.get("name") == name:
                    if join and not channel.get("is_private") and not channel.get("is_member"):
                        await self.client.conversations_join(channel=channel["id"])
                    return str(channel["id"])
        return None

    async def dm(self, user: str) -> str:
        if user not in self._dms:
            opened = await self.client.conversations_open(users=user)
            self._dms[user] = str(opened["channel"]["id"])
        return self._dms[user]

    async def _pages(self, method: str, field: str, **args: Any) -> Any:
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            response = await getattr(self.client, method)(limit=PAGE, cursor=cursor, **args)
            yield response.get(field) or []
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return
