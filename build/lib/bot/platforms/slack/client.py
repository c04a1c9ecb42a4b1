"""The Web API client: base URL, bounded waiting on rate limits, and errors in Swedish words."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
MAX_RATE_LIMIT_WAIT = 30  # seconds; a longer Retry-After fails the call instead of hanging it


class BoundedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """Waits for `Retry-After` on HTTP 429, but only when the wait is at most `max_wait`
    seconds: an outbox effect failing is retried later; a command hanging for minutes is not
    better than an error."""

    def __init__(self, max_retry_count: int = 2, max_wait: int = MAX_RATE_LIMIT_WAIT) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = _retry_after(response)
        if wait > self.max_wait:
            log.warning("Slack rate limit: Retry-After %ss exceeds %ss; not waiting", wait,
                        self.max_wait)
            return False
        log.info("Slack rate limit on %s: waiting %ss", request.url.rsplit("/", 1)[-1], wait)
        return True


def _retry_after(response: HttpResponse) -> int:
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return int(values[0])
            except ValueError:
                return 1
    return 1


def make_web_client(token: str | None, api_url: str | None) -> AsyncWebClient:
    handlers: list[AsyncRetryHandler] = [
        AsyncConnectionErrorRetryHandler(),
        BoundedRateLimitRetryHandler(),
    ]
    return AsyncWebClient(token=token, base_url=_base_url(api_url), retry_handlers=handlers)


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
