"""The Web API client: base URL, Slack's rate limits honoured, and errors in Swedish words.

Slack answers a call over its method's rate limit with HTTP 429 and `Retry-After` (seconds);
limits apply per method per workspace, and for chat.postMessage per channel
(https://api.slack.com/docs/rate-limits). `PacedWebClient` waits as long as Slack asks, every
time, so a rate limit only ever delays a call and never fails it (issue 9: no cap that drops
work). The wait is shared: after one 429 every later call of that method (of that channel,
for posts) waits for the same moment instead of drawing its own 429. Posts to one channel are
sent one at a time in the order they were asked for.

Why not slack_sdk's `AsyncRateLimitErrorRetryHandler`: it retries a bounded number of times,
sleeps in the one calling coroutine only (concurrent calls each run into their own 429), and
reads `Retry-After` with `int()`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_RETRY_AFTER = 1.0  # seconds, when a 429 carries no usable Retry-After
PER_CHANNEL = {"chat.postMessage"}  # "one message per second per channel"


def retry_after(exc: SlackApiError) -> float | None:
    """Seconds Slack asks us to wait when `exc` is a 429 (`Retry-After`, whole or decimal
    seconds; 1 s if absent or unreadable), else None."""
    response = exc.response
    if getattr(response, "status_code", 200) != 429:
        return None
    headers: dict[str, Any] = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) and value else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER


class Pacer:
    """Per key (a method, or a method and channel): the moment before which no call is sent,
    set from `Retry-After`; and, for keys that need it, one call at a time in FIFO order."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._turns: dict[str, asyncio.Lock] = {}
        self._queues: dict[str, asyncio.Lock] = {}
        self._warned: set[str] = set()
        self.waited = 0.0  # seconds spent waiting on 429s, summed over calls (metrics, tests)

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        """Hold the key's turn: calls under one key run one after the other, in order."""
        lock = self._turns.setdefault(key, asyncio.Lock())
        async with lock:
            yield

    def throttled(self, key: str) -> bool:
        """Whether the key is waiting out a 429, or calls of it are queued behind one."""
        queue = self._queues.get(key)
        until = self._until.get(key, 0.0)
        return until > asyncio.get_running_loop().time() or (queue is not None and queue.locked())

    @asynccontextmanager
    async def queue(self, key: str) -> AsyncIterator[None]:
        """While a key is throttled its calls go one at a time (FIFO): after a 429 only one
        call tries again when the wait is over, instead of every waiting call at once."""
        lock = self._queues.setdefault(key, asyncio.Lock())
        async with lock:
            yield

    async def ready(self, key: str) -> None:
        """Return once the key is open (possibly at once)."""
        loop = asyncio.get_running_loop()
        while (delay := self._until.get(key, 0.0) - loop.time()) > 0:
            self.waited += delay
            await asyncio.sleep(delay)

    def hold(self, key: str, seconds: float) -> None:
        """Close the key for `seconds` (from a 429's Retry-After); never shortens a hold."""
        until = asyncio.get_running_loop().time() + seconds
        self._until[key] = max(until, self._until.get(key, 0.0))
        level = logging.INFO if key in self._warned else logging.WARNING
        self._warned.add(key)
        log.log(level, "Slack rate limit on %s: waiting %.3g s as Slack asks (Retry-After)",
                key, seconds)


def _channel_of(*sources: Any) -> str:
    for source in sources:
        if isinstance(source, dict) and source.get("channel"):
            return str(source["channel"])
    return ""


class PacedWebClient(AsyncWebClient):
    """`AsyncWebClient` whose every call waits out HTTP 429 for as long as `Retry-After` says
    and then sends the call again, until Slack answers otherwise. Other errors are raised
    as `SlackApiError` unchanged. Each wait is at least what Slack asked, so the loop is paced
    by Slack and ends when the caller's task is cancelled at the latest."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pacer = Pacer()

    async def api_call(
        self, api_method: str, *, http_verb: str = "POST", files: dict[str, Any] | None = None,
        data: Any = None, params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None, headers: dict[str, Any] | None = None,
        auth: dict[str, Any] | None = None,
    ) -> AsyncSlackResponse:
        key = api_method
        async with AsyncExitStack() as stack:
            if api_method in PER_CHANNEL:
                key = f"{api_method}:{_channel_of(json, params, data)}"
                await stack.enter_async_context(self.pacer.turn(key))
            queued = self.pacer.throttled(key)
            if queued:
                await stack.enter_async_context(self.pacer.queue(key))
            while True:
                await self.pacer.ready(key)
                try:
                    return await super().api_call(
                        api_method, http_verb=http_verb, files=files, data=data,
                        params=params, json=json, headers=headers, auth=auth)
                except SlackApiError as exc:
                    wait = retry_after(exc)
                    if wait is None:
                        raise
                    self.pacer.hold(key, wait)
                if not queued:  # from now on one call of this key at a time
                    queued = True
                    await stack.enter_async_context(self.pacer.queue(key))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def make_web_client(token: str | None, api_url: str | None) -> PacedWebClient:
    """The bot's Web API client: 429s waited out (above), connection errors and Slack's
    500/503 retried by slack_sdk's own handlers (once each, its default)."""
    handlers: list[AsyncRetryHandler] = [
        AsyncConnectionErrorRetryHandler(),
        AsyncServerErrorRetryHandler(),
    ]
    return PacedWebClient(token=token, base_url=_base_url(api_url), retry_handlers=handlers)


def _base_url(api_url: str | None) -> str:
    url = api_url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


# Slack's error codes the user may meet, in plain Swedish; anything else gets the code itself.
_ERRORS_SV = {
    "ratelimited": "Slack begränsar just nu antalet anrop; försök igen om en stund.",
    "expired_trigger_id": "formuläret hann inte öppnas i tid; kör kommandot igen.",
    "exchanged_trigger_id": "formuläret är redan öppnat; kör kommandot igen.",
    "invalid_trigger_id": "formuläret kunde inte öppnas; kör kommandot igen.",
    "not_in_channel": "boten är inte med i kanalen; bjud in den först.",
    "channel_not_found": "kanalen finns inte eller är inte synlig för boten.",
    "is_archived": "kanalen är arkiverad.",
    "missing_scope": "appen saknar behörighet (scope); be administratören installera om den.",
    "restricted_action": "arbetsytans inställningar tillåter inte åtgärden.",
    "not_authed": "appen är inte inloggad i Slack (token saknas).",
    "invalid_auth": "appens token gäller inte; be administratören kontrollera den.",
    "account_inactive": "appens konto i Slack är inaktiverat.",
    "users_not_found": "personen finns inte i denna Slack-arbetsyta.",
}


def api_error_text(exc: SlackApiError | Exception) -> str:
    """A Web API failure as one Swedish sentence for the user (the code is kept for support)."""
    code = _error_code(exc)
    reason = _ERRORS_SV.get(code, f"Slack svarade med felet {code}.")
    return f"Det gick inte att utföra åtgärden i Slack: {reason} (felkod: {code})"


def _error_code(exc: Exception) -> str:
    response: Any = getattr(exc, "response", None)
    if response is not None:
        if getattr(response, "status_code", 200) == 429:
            return "ratelimited"
        try:
            return str(response.get("error") or "okänt_fel")
        except AttributeError:
            pass
    return type(exc).__name__
