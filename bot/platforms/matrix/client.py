"""The nio client: bounded configuration, login, and turning returned errors into exceptions.

matrix-nio returns error objects instead of raising, and by default retries 429s and
timeouts forever; both are made explicit and bounded here.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

from aiohttp import ClientError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    LoginResponse,
    Response,
    WhoamiResponse,
)

from bot.domain.delivery import RetryLater
from bot.settings import MatrixSettings

log = logging.getLogger(__name__)

DEFAULT_DEVICE_ID = "SAMVERKANSBOTEN"
# A single request never takes longer than this (the sync long-poll has its own bound).
REQUEST_TIMEOUT_S = 20.0
# Upper bound on one call including its retries.
CALL_TIMEOUT_S = 60.0
RATE_LIMITED = "M_LIMIT_EXCEEDED"
RATE_LIMIT_RETRIES = 3
MAX_RATE_WAIT_MS = 10_000  # paced calls: a longer wait gives the error back
# What Synapse's default limits cost, and how an administrator lifts them (README, "Rate
# limits"): logged once at start and once at the first 429.
LIMIT_HINT = (
    "on a homeserver with Synapse's default rate limits a 46-person war room takes ~2 min to "
    "convene (rc_invites: 10 at once, then 0.3/s) and answers queue at 0.2/s after 10 "
    "(rc_message); nothing is lost, only delayed. An administrator lifts this for the bot "
    "with POST /_synapse/admin/v1/users/%s/override_ratelimit "
    '{"messages_per_second": 0, "burst_count": 0}'
)
_warned: set[str] = set()  # "429" once the cost has been logged in this process

R = TypeVar("R", bound=Response)


class MatrixError(RuntimeError):
    """A Matrix request failed; `code` is the Matrix errcode (e.g. M_FORBIDDEN) if any."""

    def __init__(self, what: str, code: str | None, message: str) -> None:
        super().__init__(f"Matrix: {what} misslyckades: {code or ''} {message}".strip())
        self.what = what
        self.code = code
        self.message = message


class RateLimited(MatrixError, RetryLater):
    """M_LIMIT_EXCEEDED: the server asks us to wait `after_s` seconds (its retry_after_ms).
    The outbox relay defers the item by that long; nothing is dropped."""

    def __init__(self, what: str, message: str, after_s: float) -> None:
        MatrixError.__init__(self, what, RATE_LIMITED, message)
        self.after_s = max(0.0, after_s)
        self.reason = f"{what}: {RATE_LIMITED}"


def warn_rate_limited(user_id: str, what: str, wait_ms: int) -> None:
    """Log once per process what being rate limited costs and how to lift it."""
    if "429" in _warned:
        return
    _warned.add("429")
    log.warning("Matrix: %s was rate limited (wait %d ms); " + LIMIT_HINT, what, wait_ms,
                user_id)


def client_config() -> AsyncClientConfig:
    return AsyncClientConfig(
        # nio would sleep `retry_after_ms` on every 429, however long; `call` decides instead.
        max_limit_exceeded=0,
        max_timeouts=2,
        backoff_factor=0.2,
        max_timeout_retry_wait_time=5,
        request_timeout=REQUEST_TIMEOUT_S,
    )


def make_client(settings: MatrixSettings) -> AsyncClient:
    if not settings.homeserver or not settings.user_id:
        raise ValueError("Matrix needs SAMVERKAN_MATRIX__HOMESERVER and __USER_ID")
    return AsyncClient(
        settings.homeserver.rstrip("/"),
        settings.user_id,
        device_id=settings.device_id or DEFAULT_DEVICE_ID,
        config=client_config(),
    )


async def call(request: Callable[[], Awaitable[Any]], what: str, *, pace: bool = True) -> Any:
    """Run a nio request. On M_LIMIT_EXCEEDED: with `pace`, wait and retry when the server
    asks for a short wait (the sync loop's own calls), else give the error back; without
    `pace`, raise RateLimited at once (outbox work: the relay defers the item and goes on
    with other rooms). Bounded."""
    try:
        async with asyncio.timeout(CALL_TIMEOUT_S):
            for attempt in range(RATE_LIMIT_RETRIES + 1):
                resp = await request()
                if not (isinstance(resp, ErrorResponse) and resp.status_code == RATE_LIMITED):
                    return resp
                wait_ms = resp.retry_after_ms or 1000
                warn_rate_limited(_user_of(request), what, wait_ms)
                if not pace:
                    raise RateLimited(what, resp.message, wait_ms / 1000)
                if wait_ms > MAX_RATE_WAIT_MS or attempt == RATE_LIMIT_RETRIES:
                    return resp
                log.warning("Matrix: %s rate limited; retrying in %d ms", what, wait_ms)
                await asyncio.sleep(wait_ms / 1000)
    except TimeoutError as exc:
        raise MatrixError(what, "TIMEOUT", f"no answer within {CALL_TIMEOUT_S:.0f} s") from exc
    except (ClientError, OSError) as exc:  # nio gave up after its bounded retries
        raise MatrixError(what, "NETWORK", f"homeserver unreachable: {exc}") from exc
    raise AssertionError("unreachable")


def _user_of(request: Callable[[], Awaitable[Any]]) -> str:
    owner = getattr(request, "__self__", None)
    return str(getattr(owner, "user_id", "") or "<bot>")


async def checked(request: Callable[[], Awaitable[Any]], what: str, expected: type[R], *,
                  pace: bool = True) -> R:
    """`call`, then raise MatrixError unless it returned `expected`."""
    resp = await call(request, what, pace=pace)
    if isinstance(resp, expected):
        return resp
    if isinstance(resp, ErrorResponse):
        raise MatrixError(what, resp.status_code, resp.message)
    raise MatrixError(what, None, f"unexpected response {type(resp).__name__}")


async def login(client: AsyncClient, settings: MatrixSettings) -> None:
    """Access token (restore_login) if given, else password login on a fixed device, so a
    restart does not leave a new device behind each time."""
    if settings.access_token is not None:
        token = settings.access_token.get_secret_value()
        user_id = settings.user_id or ""
        client.restore_login(user_id, settings.device_id or "", token)
        who = await checked(client.whoami, "whoami", WhoamiResponse)
        if who.user_id != user_id:
            raise MatrixError("whoami", "M_FORBIDDEN",
                              f"the token belongs to {who.user_id}, not {user_id}")
        client.restore_login(who.user_id, who.device_id or DEFAULT_DEVICE_ID, token)
    elif settings.password is not None:
        password = settings.password.get_secret_value()
        await checked(lambda: client.login(password, device_name="Samverkansboten"), "login",
                      LoginResponse)
    else:
        raise ValueError("Matrix needs SAMVERKAN_MATRIX__ACCESS_TOKEN or __PASSWORD")
    log.info("Matrix: logged in as %s (device %s)", client.user_id, client.device_id)


async def raw_request(client: AsyncClient, method: str, path: str,
                      body: dict[str, Any] | None = None, what: str = "") -> dict[str, Any]:
    """A client-server API call nio has no method for (capabilities, leave with a reason)."""
    headers = {"Authorization": f"Bearer {client.access_token}",
               "Content-Type": "application/json"}
    payload = json.dumps(body) if body is not None else None
    async with asyncio.timeout(REQUEST_TIMEOUT_S):
        resp = await client.send(method, path, payload, headers)
        data: dict[str, Any] = await resp.json(content_type=None)
    if resp.status != 200:
        raise MatrixError(what or path, data.get("errcode"), data.get("error", ""))
    return data


async def default_room_version(client: AsyncClient) -> str:
    """The server's default room version (GET /capabilities)."""
    data = await raw_request(client, "GET", "/_matrix/client/v3/capabilities",
                             what="capabilities")
    version: str = data["capabilities"]["m.room_versions"]["default"]
    return version


async def leave_with_reason(client: AsyncClient, room_id: str, reason: str) -> None:
    """Decline an invitation; the reason shows in the inviter's client."""
    path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/leave"
    await raw_request(client, "POST", path, {"reason": reason}, what="leave")


def creator_has_implicit_power(room_version: str) -> bool:
    """Room v12 (MSC4289) gives creators infinite power and forbids them in
    `power_levels.users`; older versions need the creator listed at 100."""
    if room_version.isascii() and room_version.isdigit():
        return int(room_version) >= 12
    return "hydra" in room_version
