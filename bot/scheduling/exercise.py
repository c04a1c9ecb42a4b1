"""The exercise clock: a jump of the simulated clock replays the time it skipped, in order.

`:clock +30m` in the console moves the manual clock, then `service.tick()` calls
`ExerciseClock.run_until(now)`. That walks every acknowledgement deadline, reminder,
conference start and meeting start due in the jump in time order and performs each one as of
its own due time, through the same calls the production scheduler makes
(`CommandService.check_acknowledgements(at=…)` and `ScheduleEngine.fire(firing, at=…)`): an
escalation at 13:10 is stamped 13:10 and recorded before a conference at 13:15, and a
deputy's own deadline at 13:20 is reached within the same jump. At one instant,
escalations go before schedule firings.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from bot.domain.schedule import Firing
from bot.scheduling.engine import ScheduleEngine

log = logging.getLogger(__name__)

MAX_STEPS = 10_000  # bound on the steps of one jump


class AckService(Protocol):
    async def check_acknowledgements(self, at: datetime | None = None) -> int: ...
    async def next_overdue(self, now: datetime) -> datetime | None: ...


class ExerciseClock:
    """Replays a jump of the simulated clock (see the module's docstring)."""

    def __init__(self, engine: ScheduleEngine, service: AckService) -> None:
        self.engine = engine
        self.service = service

    async def run_until(self, now: datetime) -> int:
        """Performs everything due at or before `now` (aware), each at its own due time and
        in time order. Returns how many steps recorded something."""
        done = 0
        tried: set[Firing] = set()
        for _ in range(MAX_STEPS):
            deadline = await self.service.next_overdue(now)
            due = [f for f in await self.engine.due_firings(now) if f not in tried]
            firing = due[0] if due else None
            if deadline is not None and (firing is None or deadline <= firing.due):
                changed = await self.service.check_acknowledgements(at=deadline)
                if not changed:
                    log.warning("deadline %s due but nothing escalated", deadline)
                    return done
                done += 1
            elif firing is not None:
                tried.add(firing)
                if await self.engine.fire(firing, at=firing.due) is not None:
                    done += 1
            else:
                return done
        log.warning("the exercise clock stopped after %d steps", MAX_STEPS)
        return done
