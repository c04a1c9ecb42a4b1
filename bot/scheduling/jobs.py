"""Job functions, referenced by name (`bot.scheduling.jobs:fire`) from the persistent job
store. They take ids only and reach the running bot through the registry, so a pickled job
never holds a connection, a client or a closure."""

from __future__ import annotations

import logging

from bot.domain.schedule import Firing
from bot.scheduling.registry import current

log = logging.getLogger(__name__)


async def fire(key: str) -> None:
    """Perform the firing `key` (see `Firing.key`) once."""
    await current().fire(Firing.parse(key))


async def reconcile() -> None:
    """Pick up series created or changed since the last look (e.g. by another replica)."""
    await current().reconcile(full=False)


async def reconcile_full() -> None:
    """Rebuild every owed job from the tables (a job lost in a crash comes back)."""
    await current().reconcile(full=True)


async def check_acks() -> None:
    """Escalate overdue acknowledgements, then wake up again at the next deadline."""
    await current().check_acks()
