"""How a platform tells the outbox relay that an effect cannot be performed now, or ever.

A rate limit delays work, it never drops it: a platform raises `RetryLater` with the wait the
server asked for (Matrix `retry_after_ms`, Slack `Retry-After`), and the relay tries that
item again after the wait, without counting an attempt, while other rooms' work goes on.
`Undeliverable` is a permanent refusal (unknown user, forbidden room, a homeserver that
rejects us for good): the item ends, and the person whose command caused it is told.
"""

from __future__ import annotations


class RetryLater(Exception):
    """Try again after `after_s` seconds (>= 0); the server throttled or is not ready yet."""

    def __init__(self, after_s: float, reason: str = "") -> None:
        super().__init__(reason or f"retry after {after_s:.1f} s")
        self.after_s = max(0.0, after_s)
        self.reason = reason


class Undeliverable(Exception):
    """The effect can never be performed on this platform; `code` is the platform's error
    code (e.g. Matrix M_FORBIDDEN), `reason` a short human text."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
