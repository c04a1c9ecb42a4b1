"""A local fake of Slack's Web API (aiohttp, 127.0.0.1, random port) that checks every call.

Every call is checked against Slack's OpenAPI spec (`slack_spec_check`): an unknown method,
a missing required argument or an argument outside the spec and the explicit allowlist is
recorded in `failures`, and every answer the fake gives is validated against the spec's
response schema too. The `slack_fake` fixture fails the test when `failures` is not empty.

With `limits`, Slack's documented rate tiers are enforced (`fake_slack_limits`): a call over
its method's limit gets HTTP 429 with `Retry-After`, as from Slack.

Also served: `response_url` endpoints (`/respond/<key>`, recorded in `responses`) and a
Socket Mode WebSocket (`apps.connections.open` → `/link`).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from fake_slack_limits import RESPONSE_URL, RateLimits
from fake_slack_state import SlackError, Workspace
from slack_spec_check import SlackSpec, load_spec

BOT_TOKEN = "xoxb-1111-2222-fakebottokenSECRET"
APP_TOKEN = "xapp-1-A111-2222-fakeapptokenSECRET"


@dataclass(frozen=True)
class Call:
    method: str
    verb: str
    args: dict[str, Any]
    status: int
    error: str | None
    at: float = field(default_factory=time.monotonic)
    retry_after: str | None = None


class FakeSlack:
    def __init__(self, spec: SlackSpec | None = None, limits: RateLimits | None = None) -> None:
        self.spec = spec or load_spec()
        self.limits = limits
        self.ws = Workspace()
        self.calls: list[Call] = []
        self.failures: list[str] = []
        self.responses: list[tuple[str, dict[str, Any]]] = []
        self.response_statuses: list[int] = []  # steering: next response_url answers
        self.refused_responses: list[tuple[str, int]] = []
        self.socket_acks: list[dict[str, Any]] = []
        self._limits: dict[str, tuple[int, float]] = {}
        self._errors: dict[str, list[str]] = {}
        self._envelopes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/link", self._socket)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str) -> str:
        return f"http://127.0.0.1:{self.port}/respond/{key}"

    # -- steering ------------------------------------------------------------------------
    def rate_limit(self, method: str, times: int = 1, retry_after: float = 1) -> None:
        """The next `times` calls of `method` get HTTP 429 with `Retry-After: retry_after`
        (seconds; a fraction only for fast tests, Slack sends whole seconds)."""
        self._limits[method] = (times, retry_after)

    def fail_next(self, method: str, error: str) -> None:
        """The next call of `method` gets Slack's error `error` (must be in the spec's enum)."""
        self._errors.setdefault(method, []).append(error)

    @property
    def all_failures(self) -> list[str]:
        """Invalid calls, invalid answers of the fake, and views Slack would reject."""
        return [*self.failures, *self.ws.view_failures]

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate: Callable[[], bool], within: float = 5.0) -> None:
        """Poll the recorded state until `predicate` holds (bounded)."""
        async with asyncio.timeout(within):
            while not predicate():  # noqa: ASYNC110 - state changes in request handlers
                await asyncio.sleep(0.005)

    # -- Web API -------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        auth = request.headers.get("Authorization", "")
        form_token = args.pop("token", None)
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else form_token
        self.failures.extend(self.spec.check_request(method, args, bool(auth)))
        times, seconds = self._limits.get(method, (0, 0.0))
        if times > 0:
            self._limits[method] = (times - 1, seconds)
            return self._too_many(method, request.method, args, str(seconds))
        channel = str(args.get("channel") or "")
        wait = self.limits.check(method, channel) if self.limits else None
        if wait is not None and self.limits is not None:
            return self._too_many(method, request.method, args, self.limits.retry_after(wait))
        body = await self._answer(method, args, token)
        self.calls.append(Call(method, request.method, args, 200, body.get("error")))
        self.failures.extend(self.spec.check_response(method, body))
        return web.json_response(body)

    def _too_many(self, method: str, verb: str, args: dict[str, Any],
                  retry_after: str) -> web.Response:
        self.calls.append(Call(method, verb, args, 429, "ratelimited", retry_after=retry_after))
        # 429 bodies are not modelled in the spec; this is Slack's documented shape.
        return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                 headers={"Retry-After": retry_after})

    def refused(self) -> list[Call]:
        """Calls answered with HTTP 429."""
        return [c for c in self.calls if c.status == 429]

    async def _answer(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if method == "apps.connections.open":
            if token != APP_TOKEN:
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}
        impl = self.ws.methods().get(method)
        if impl is None:
            if self.spec.knows(method):
                self.failures.append(f"{method}: in the spec, but the fake does not model it")
            return {"ok": False, "error": "unknown_method"}
        if token is None:
            return {"ok": False, "error": "not_authed"}
        if token != BOT_TOKEN:
            return {"ok": False, "error": "invalid_auth"}
        try:
            if self._errors.get(method):
                raise SlackError(self._errors[method].pop(0))
            return {"ok": True, **await impl(args)}
        except SlackError as err:
            return {"ok": False, "error": err.error, **err.extra}
        except KeyError as err:  # a missing argument the spec did not mark required
            self.failures.append(f"{method}: fake needed argument {err}")
            return {"ok": False, "error": "invalid_arg_name"}

    # -- response_url ----------------------------------------------------------------------
    async def _respond(self, request: web.Request) -> web.Response:
        payload = await request.json()
        key = request.match_info["key"]
        if not payload.get("text") and not payload.get("blocks"):
            self.failures.append(f"response_url: no text nor blocks in {payload}")
        if payload.get("response_type", "ephemeral") not in {"ephemeral", "in_channel"}:
            self.failures.append(f"response_url: bad response_type {payload.get('response_type')}")
        if self.response_statuses:
            status = self.response_statuses.pop(0)
            self.refused_responses.append((key, status))
            return web.Response(status=status, text="no_service")
        wait = self.limits.check(RESPONSE_URL, key) if self.limits else None
        if wait is not None and self.limits is not None:  # webhooks: 1 per second, bursts
            self.refused_responses.append((key, 429))
            return web.Response(status=429, text="rate_limited",
                                headers={"Retry-After": self.limits.retry_after(wait)})
        self.responses.append((key, payload))
        return web.Response(text="ok")

    def responses_to(self, key: str) -> list[dict[str, Any]]:
        return [p for k, p in self.responses if k == key]

    # -- Socket Mode -----------------------------------------------------------------------
    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        await self._envelopes.put(envelope)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A111"}})

        async def pump() -> None:
            while True:
                await ws.send_json(await self._envelopes.get())

        pumping = asyncio.create_task(pump())
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(msg.data))
        finally:
            pumping.cancel()
        return ws


async def _arguments(request: web.Request) -> dict[str, Any]:
    """Arguments as slack_sdk sends them: query string, then a form or a JSON body."""
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            args.update(body)
    elif request.can_read_body:
        args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
    return args
