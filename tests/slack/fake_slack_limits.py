"""Slack's documented rate limits, enforced by the fake Web API.

Source: https://api.slack.com/docs/rate-limits (= https://docs.slack.dev/apis/web-api/rate-limits)
and each method's reference page ("Facts: Rate limits"). Limits apply "per API method per app
per workspace"; "rate limit windows are per minute"; Tier 1 1+/min, Tier 2 20+/min, Tier 3
50+/min, Tier 4 100+/min. chat.postMessage is "Special": "generally allows posting one message
per second per channel, while also maintaining a workspace-wide limit" ("several hundred
messages per minute"), "short bursts >1 allowed". A call over the limit gets HTTP 429 with a
`Retry-After` header: the seconds to wait (an integer).

Modelled as: a sliding window of one minute per method (the tier's number is the calls it
admits in any minute, so a burst of that size passes at once), and for chat.postMessage a
token bucket per channel (1 per second, bursts of `POST_BURST`) inside a workspace-wide window;
a response_url ("incoming webhooks: 1 per second, short bursts >1 allowed") by the same bucket.
A refused call does not count. `Retry-After` is the time until the call would be admitted.

`scale` shrinks every duration for fast tests (0.05: a minute lasts 3 s, a second 50 ms);
then `Retry-After` is sent in scaled seconds with a decimal point (a test-only deviation:
Slack sends whole seconds). With scale 1 the numbers and the header are Slack's own.
"""

from __future__ import annotations

import math
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# The tests' scale: 0.05 makes a minute last 3 s and a second 50 ms.
# SAMVERKAN_SLACK_TIME_SCALE=1 runs the Slack tests with Slack's real numbers (minutes).
TIME_SCALE = float(os.environ.get("SAMVERKAN_SLACK_TIME_SCALE", "0.05"))
TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
# Each method the fake models → its tier on the method's reference page. Methods not listed
# (auth.test: "Special", generous) are not limited by the fake.
METHOD_TIER: dict[str, int] = {
    "apps.connections.open": 1,
    "conversations.create": 2,
    "conversations.list": 2,
    "conversations.setTopic": 2,
    "conversations.setPurpose": 2,
    "users.list": 2,
    "conversations.invite": 3,
    "conversations.join": 3,
    "conversations.open": 3,
    "conversations.info": 3,
    "conversations.history": 3,  # internal apps; new Marketplace-less apps: 1 a minute (2025)
    "users.lookupByEmail": 3,
    "users.info": 4,
    "conversations.members": 4,
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "views.open": 4,
}
POST_METHOD = "chat.postMessage"
RESPONSE_URL = "response_url"  # "Incoming webhooks: 1 per second, short bursts >1 allowed"
POST_PER_SECOND = 1.0  # per channel
POST_BURST = 4  # "short bursts >1 allowed": how many a quiet channel takes at once
POST_WORKSPACE_PER_MINUTE = 300  # "several hundred messages per minute" per workspace
MINUTE = 60.0


@dataclass
class _Window:
    """At most `limit` admitted calls in any `span` seconds."""

    limit: int
    span: float
    admitted: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        while self.admitted and self.admitted[0] <= now - self.span:
            self.admitted.popleft()
        if len(self.admitted) < self.limit:
            return 0.0
        return self.admitted[0] + self.span - now

    def admit(self, now: float) -> None:
        self.admitted.append(now)


@dataclass
class _Bucket:
    """A token bucket: `burst` tokens, one more every `every` seconds."""

    burst: int
    every: float
    tokens: float = -1.0
    at: float = 0.0

    def wait(self, now: float) -> float:
        if self.tokens < 0:
            self.tokens, self.at = float(self.burst), now
        self.tokens = min(float(self.burst), self.tokens + (now - self.at) / self.every)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) * self.every

    def admit(self, now: float) -> None:
        self.tokens -= 1


class RateLimits:
    """Decides per call whether Slack would answer 429, and with which `Retry-After`.

    `scale` multiplies every duration (1.0 = Slack's real numbers); `clock` returns seconds
    (monotonic) and exists for tests of the limiter itself."""

    def __init__(self, scale: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.scale = scale
        self.clock = clock
        self._methods: dict[str, _Window] = {}
        self._channels: dict[str, _Bucket] = {}
        self._workspace_posts = _Window(POST_WORKSPACE_PER_MINUTE, MINUTE * scale)

    def check(self, method: str, channel: str | None = None) -> float | None:
        """None when the call is admitted (and counted), else the seconds to wait (> 0)."""
        now = self.clock()
        limiters = self._limiters(method, channel)
        wait = max((lim.wait(now) for lim in limiters), default=0.0)
        if wait > 0:
            return wait
        for lim in limiters:
            lim.admit(now)
        return None

    def retry_after(self, wait: float) -> str:
        """The header value for a wait of `wait` seconds: whole seconds (at least 1) as Slack
        sends them, or scaled seconds with milliseconds when the fake runs faster."""
        if self.scale == 1.0:
            return str(max(1, math.ceil(wait)))
        return f"{max(0.001, math.ceil(wait * 1000) / 1000):.3f}"

    def _limiters(self, method: str, channel: str | None) -> list[_Window | _Bucket]:
        if method in (POST_METHOD, RESPONSE_URL):
            bucket = self._channels.setdefault(
                f"{method}:{channel or ''}", _Bucket(POST_BURST, self.scale / POST_PER_SECOND))
            return [bucket, self._workspace_posts] if method == POST_METHOD else [bucket]
        tier = METHOD_TIER.get(method)
        if tier is None:
            return []
        window = self._methods.setdefault(
            method, _Window(TIER_PER_MINUTE[tier], MINUTE * self.scale))
        return [window]
