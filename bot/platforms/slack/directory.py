"""Who is who: Slack user id ↔ roster person, through the roster e-mail, cached both ways.

A person is found by `slack_id` in the roster if given, else by `users.lookupByEmail` of the
roster e-mail; a Slack user by `users.info` (its profile e-mail) → the roster. Misses are
cached for a while too, so that a stranger cannot make every command cost an API call.

Look-ups by e-mail are Tier 3 (about 50 a minute): a war room of 46 people and its escalation
would wait a minute for them. So when one request needs `LIST_AT` or more people not yet
known, the directory reads the whole workspace once with `users.list` (Tier 2, 200 people a
call) instead, and learns everyone at once; those it does not find are not in the workspace.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.roster import Roster

log = logging.getLogger(__name__)

MISS_TTL = 300.0  # seconds a "not found" is believed
_NOT_FOUND = {"users_not_found", "user_not_found", "user_not_visible"}
_PARALLEL = 8  # concurrent look-ups; users.lookupByEmail is Tier 3 (50+ per minute)
LIST_AT = 10  # unknown people in one request from which one users.list beats look-ups
LIST_PAGE = 200  # users.list: "no more than 200 results at a time" (Slack's advice)
LIST_PAGES = 100  # 20,000 users: a bound on a broken cursor


class Directory:
    def __init__(self, client: AsyncWebClient, roster: Roster) -> None:
        self.client = client
        self.roster = roster
        self._user_by_person: dict[str, str] = {}
        self._person_by_user: dict[str, str] = {}
        self._misses: dict[str, float] = {}
        self._pending: dict[str, asyncio.Task[str | None]] = {}
        self._gate = asyncio.Semaphore(_PARALLEL)
        self._listed_at: float | None = None
        for person in roster.people:
            if person.slack_id:
                self._remember(person.key, person.slack_id)

    def _remember(self, person: str, user: str) -> None:
        self._user_by_person[person] = user
        self._person_by_user[user] = person

    def _missed(self, key: str) -> bool:
        until = self._misses.get(key)
        return until is not None and until > asyncio.get_running_loop().time()

    def _miss(self, key: str) -> None:
        self._misses[key] = asyncio.get_running_loop().time() + MISS_TTL

    async def person_of(self, user: str) -> str | None:
        """The roster key of a Slack user, or None (not in the roster)."""
        if user in self._person_by_user:
            return self._person_by_user[user]
        if self._missed(f"user:{user}"):
            return None
        return await self._once(f"user:{user}", lambda: self._fetch_person(user))

    async def user_of(self, person: str) -> str | None:
        """The Slack user id of a roster person, or None (no e-mail or not in the workspace)."""
        if person in self._user_by_person:
            return self._user_by_person[person]
        if self._missed(f"person:{person}"):
            return None
        return await self._once(f"person:{person}", lambda: self._fetch_user(person))

    async def users_of(self, people: Iterable[str]) -> dict[str, str | None]:
        """Person key → Slack user id (None: not in Slack), for many people at once."""
        keys = list(dict.fromkeys(people))
        unknown = [k for k in keys
                   if k not in self._user_by_person and not self._missed(f"person:{k}")]
        if len(unknown) >= LIST_AT and not self._listed_lately():
            await self._once("list", lambda: self._list_all(unknown))
        found = await asyncio.gather(*(self.user_of(k) for k in keys))
        return dict(zip(keys, found, strict=True))

    async def mentions(self, people: Iterable[str]) -> dict[str, str]:
        """Person key → `<@U…>` when in Slack, else the person's name."""
        users = await self.users_of(people)
        return {
            key: f"<@{user}>" if user else self.display(key)
            for key, user in users.items()
        }

    def display(self, key: str) -> str:
        person = self.roster.people_by_key.get(key)
        return person.name if person else key

    async def _once(self, key: str, fetch: Callable[[], Awaitable[str | None]]) -> str | None:
        """One look-up in flight per key; concurrent callers share it."""
        task = self._pending.get(key)
        if task is None:
            task = asyncio.ensure_future(fetch())
            self._pending[key] = task
            task.add_done_callback(lambda _: self._pending.pop(key, None))
        return await asyncio.shield(task)

    def _listed_lately(self) -> bool:
        return (self._listed_at is not None
                and self._listed_at + MISS_TTL > asyncio.get_running_loop().time())

    async def _list_all(self, wanted: list[str]) -> str | None:
        """Learn every workspace member with a roster e-mail (users.list, paginated); the
        `wanted` people not found are misses. Falls back to look-ups on an error."""
        self._listed_at = asyncio.get_running_loop().time()
        cursor: str | None = None
        try:
            for _ in range(LIST_PAGES):
                page = await self.client.users_list(limit=LIST_PAGE, cursor=cursor)
                for member in page.get("members") or []:
                    self._learn(member)
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except SlackApiError as exc:
            log.warning("users.list failed (%s); looking people up one by one",
                        exc.response.get("error"))
            return None
        for key in wanted:
            if key not in self._user_by_person:
                self._miss(f"person:{key}")
        return None

    def _learn(self, member: dict[str, object]) -> None:
        profile = member.get("profile")
        email = profile.get("email") if isinstance(profile, dict) else None
        if member.get("deleted") or member.get("is_bot") or not isinstance(email, str):
            return
        person = self.roster.person_by_email.get(email.lower())
        if person is not None and person.key not in self._user_by_person:
            self._remember(person.key, str(member["id"]))

    async def _fetch_person(self, user: str) -> str | None:
        async with self._gate:
            try:
                response = await self.client.users_info(user=user)
            except SlackApiError as exc:
                if exc.response.get("error") in _NOT_FOUND:
                    self._miss(f"user:{user}")
                    return None
                raise
        email = str((response["user"].get("profile") or {}).get("email") or "").lower()
        person = self.roster.person_by_email.get(email) if email else None
        if person is None:
            log.info("Slack user %s is not in the roster", user)
            self._miss(f"user:{user}")
            return None
        self._remember(person.key, user)
        return person.key

    async def _fetch_user(self, key: str) -> str | None:
        person = self.roster.people_by_key.get(key)
        if person is None or not person.email:
            self._miss(f"person:{key}")
            return None
        async with self._gate:
            try:
                response = await self.client.users_lookupByEmail(email=person.email)
            except SlackApiError as exc:
                if exc.response.get("error") in _NOT_FOUND:
                    log.info("%s (%s) has no Slack account in this workspace", key, person.email)
                    self._miss(f"person:{key}")
                    return None
                raise
        user = str(response["user"]["id"])
        self._remember(key, user)
        return user
