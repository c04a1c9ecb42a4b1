"""The bot's one HTTP server: health and metrics here; Slack events and the calendar feed
are mounted by their own modules."""

from __future__ import annotations

from aiohttp import web

from bot.bootstrap import App

APP_KEY: web.AppKey[App] = web.AppKey("samverkan", App)


def make_web_app(app: App) -> web.Application:
    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    return web_app


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers; 503 with the reason otherwise."""
    app = request.app[APP_KEY]
    try:
        async with app.uow() as uow:
            await uow.activations.active()
    except Exception as exc:
        return web.json_response({"status": "fel", "reason": type(exc).__name__}, status=503)
    return web.json_response({"status": "ok", "platforms": [p.name for p in app.platforms]})


async def metrics(request: web.Request) -> web.Response:
    """Prometheus text format: commands by outcome, running activations, pending effects."""
    app = request.app[APP_KEY]
    async with app.uow() as uow:
        active = len(await uow.activations.active())
        pending = len(await uow.outbox.pending(10_000))
    lines = [
        "# HELP samverkan_commands_total Commands handled, by command word and outcome.",
        "# TYPE samverkan_commands_total counter",
    ]
    for (word, outcome), n in sorted(app.service.counts.items()):
        lines.append(f'samverkan_commands_total{{command="{word}",outcome="{outcome}"}} {n}')
    lines += [
        "# HELP samverkan_activations_active Activations not yet closed.",
        "# TYPE samverkan_activations_active gauge",
        f"samverkan_activations_active {active}",
        "# HELP samverkan_outbox_pending Effects recorded but not yet performed everywhere.",
        "# TYPE samverkan_outbox_pending gauge",
        f"samverkan_outbox_pending {pending}",
    ]
    return web.Response(text="\n".join(lines) + "\n", content_type="text/plain")
