"""The read-only calendar feed: `GET /calendar/{forum}.ics?token=…` (`alla` = every forum).

Each forum has its own token, derived — not stored — as HMAC-SHA256(secret, "calendar:<forum>"),
so a token can be handed to one forum's members without opening the others. The secret is
the setting `SAMVERKAN_CALENDAR_SECRET`; without it, one is generated once and kept in the
database (`kv`, key `calendar:secret`), so every replica derives the same tokens. Changing
the secret revokes every token. A wrong or missing token gets 403.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web
from pydantic import SecretStr

from bot.scheduling.calendar import CalendarApp, export_ics

ALL = "alla"
SECRET_KEY = "calendar:secret"
ROUTE = "/calendar/{forum}.ics"


class CalendarSettings(Protocol):
    @property
    def calendar_secret(self) -> SecretStr | None: ...


class FeedApp(CalendarApp, Protocol):
    @property
    def settings(self) -> CalendarSettings: ...


def feed_token(secret: bytes, forum: str) -> str:
    digest = hmac.new(secret, f"calendar:{forum}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


async def calendar_secret(app: FeedApp) -> bytes:
    configured = app.settings.calendar_secret
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value().encode()
    async with app.uow() as uow:
        await uow.kv.add_once(SECRET_KEY, secrets.token_hex(32))
        stored = await uow.kv.get(SECRET_KEY)
        await uow.commit()
    assert stored is not None
    return stored.encode()


async def feed_path(app: FeedApp, forum: str | None) -> str:
    """The feed's path with its token, e.g. for `samverkan export ics --forum F`."""
    key = forum or ALL
    return f"/calendar/{key}.ics?token={feed_token(await calendar_secret(app), key)}"


def calendar_handler(app: FeedApp) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        key = request.match_info["forum"]
        forum = None if key == ALL else key
        if forum is not None and forum not in app.roster.forums_by_key:
            raise web.HTTPNotFound(text="Okänt forum.\n")
        expected = feed_token(await calendar_secret(app), key)
        given = request.query.get("token", "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise web.HTTPForbidden(text="Fel eller saknad token.\n")
        body = await export_ics(app, forum)
        return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                            headers={"Cache-Control": "private, max-age=300"})
    return handle


def mount_calendar(web_app: web.Application, app: FeedApp) -> None:
    """Adds the feed's route to the bot's aiohttp application."""
    web_app.router.add_get(ROUTE, calendar_handler(app))
