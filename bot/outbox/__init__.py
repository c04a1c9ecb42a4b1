"""The outbox: effects recorded in a command's transaction are performed after commit on
every platform, in order per room, exactly once as far as each platform allows (README,
"Exactly once"), and recoverable after a crash.

- `bot.outbox.relay`: `OutboxRelay` — which items run when (lanes side by side, each in
  order, deferrals after a rate limit), and recording what they did (group commit).
- `bot.outbox.delivery`: one item on every platform with its idempotency key; what came of it
  (and the report to its author when it can never be delivered).
"""

from bot.outbox.delivery import (
    MAX_ATTEMPTS,
    NONCE_KEY,
    Outcome,
    database_nonce,
    deliver,
    undeliverable_notice,
)
from bot.outbox.relay import BATCH, MAX_BACKOFF_S, OutboxRelay

__all__ = ["BATCH", "MAX_ATTEMPTS", "MAX_BACKOFF_S", "NONCE_KEY", "OutboxRelay", "Outcome",
           "database_nonce", "deliver", "undeliverable_notice"]
