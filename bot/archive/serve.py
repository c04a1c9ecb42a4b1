"""The protocol files over the bot's HTTP server: `GET /protocol/{id}.{md|html|pdf}?token=…`.

Each activation has its own token, derived — not stored — as HMAC-SHA256(secret,
"protocol:<id>") with the calendar feed's secret (`SAMVERKAN_CALENDAR_SECRET`, or the one kept
in the database), so a link handed to one war room opens no other protocol, every replica
derives the same links, and changing the secret revokes them all. Only closed activations
are served (their protocol is fixed at `avaktivera`); an unknown or still active one is 404,
a wrong token 403. At `avaktivera` the war room gets the three links (see `ProtocolLinks`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Protocol
from urllib.parse import quote

from aiohttp import web

from bot.archive.export import FORMATS, ArchiveApp, Format, protocol_markdown, render
from bot.scheduling.feed import FeedApp, calendar_secret

ROUTE = "/protocol/{activation}.{fmt}"


class ServeApp(ArchiveApp, FeedApp, Protocol):
    """The composition root as the protocol route needs it."""


def protocol_token(secret: bytes, activation_id: str) -> str:
    digest = hmac.new(secret, f"protocol:{activation_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


class ProtocolLinks:
    """The links to one activation's protocol files under `base_url` (e.g. the public
    address of the bot's HTTP server, `SAMVERKAN_PUBLIC_URL`)."""

    def __init__(self, base_url: str, secret: bytes) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret

    def links(self, activation_id: str) -> dict[str, str]:
        """{"pdf": url, "html": url, "md": url}, in that order."""
        token = protocol_token(self.secret, activation_id)
        quoted = quote(activation_id, safe="")
        return {fmt: f"{self.base_url}/protocol/{quoted}.{fmt}?token={token}"
                for fmt in ("pdf", "html", "md")}


async def protocol_links(app: ServeApp, base_url: str) -> ProtocolLinks:
    """Links signed with the secret the route checks (fetched or created once)."""
    return ProtocolLinks(base_url, await calendar_secret(app))


def protocol_handler(app: ServeApp) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        activation_id, fmt = request.match_info["activation"], request.match_info["fmt"]
        chosen: Format | None = next((f for f in FORMATS if f == fmt), None)
        if chosen is None:
            raise web.HTTPNotFound(text="Okänt format (md, html eller pdf).\n")
        expected = protocol_token(await calendar_secret(app), activation_id)
        if not hmac.compare_digest(request.query.get("token", "").encode(), expected.encode()):
            raise web.HTTPForbidden(text="Fel eller saknad token.\n")
        async with app.uow() as uow:
            found = await uow.activations.get(activation_id)
        if found is None or found.is_active:
            raise web.HTTPNotFound(text="Inget fastställt protokoll för den aktiveringen.\n")
        act, markdown = await protocol_markdown(app, activation_id)
        # rendering a PDF takes CPU: not on the event loop
        file = await asyncio.to_thread(render, markdown, act, chosen)
        disposition = "inline" if chosen != "md" else "attachment"
        return web.Response(body=file.data, headers={
            "Content-Type": file.media_type,
            "Content-Disposition": f'{disposition}; filename="{file.name}"',
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=3600"})
    return handle


def mount_protocols(web_app: web.Application, app: ServeApp) -> None:
    """Adds the protocol route to the bot's aiohttp application."""
    web_app.router.add_get(ROUTE, protocol_handler(app))
