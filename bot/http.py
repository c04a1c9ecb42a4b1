"""The bot's one HTTP server: health and metrics here; Slack events and the calendar feed
are mounted by their own modules."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.bootstrap import App
from bot.metrics import render, snapshot

APP_KEY: web.AppKey[App] = web.AppKey("samverkan", App)


def make_web_app(app: App) -> web.Application:
    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    return web_app


@runtime_checkable
class HealthReporting(Protocol):
    """A platform that can say whether it is connected (Matrix, Slack)."""

    name: str

    async def health(self) -> str | None:
        """None when connected, else the reason in Swedish."""
        ...


async def healthz(request: web.Request) -> web.Response:
    """200 when the database and every configured platform answer; 503 with, per part, the
    reason otherwise (`{"status": "fel", "parts": {"databas": "...", "matrix": "ok"}}`)."""
    app = request.app[APP_KEY]
    parts: dict[str, str] = {}
    try:
        async with app.uow() as uow:
            await uow.activations.active()
        parts["databas"] = "ok"
    except Exception as exc:
        parts["databas"] = f"svarar inte ({type(exc).__name__})"
    for platform in app.platforms:
        reason = await platform.health() if isinstance(platform, HealthReporting) else None
        parts[platform.name] = reason or "ok"
    ready = all(value == "ok" for value in parts.values())
    return web.json_response({"status": "ok" if ready else "fel", "parts": parts},
                             status=200 if ready else 503)


async def metrics(request: web.Request) -> web.Response:
    """Prometheus text format (see `bot.metrics`)."""
    app = request.app[APP_KEY]
    shot = await snapshot(app.uow, app.service.counts, app.clock.now())
    return web.Response(body=render(shot), headers={"Content-Type": CONTENT_TYPE_LATEST})
