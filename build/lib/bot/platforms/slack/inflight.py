"""Listener work still running after the ack, so that stop() and tests can wait for it.

Bolt runs each listener in its own task and answers Slack as soon as `ack()` is called; the
rest of the listener (the command itself) goes on in that task, which nobody else awaits.
"""

from __future__ import annotations

import asyncio


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[object]] = set()

    def enter(self) -> None:
        """Called by a listener right after its ack: remember the task it runs in."""
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def __len__(self) -> int:
        return len(self._tasks)

    async def wait(self, within: float = 30.0) -> None:
        """Until every remembered listener has finished (bounded by `within` seconds)."""
        async with asyncio.timeout(within):
            while self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
