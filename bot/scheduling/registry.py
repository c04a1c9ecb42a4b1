"""The running bot as seen by job functions: set by the composition root while this process
runs the scheduler (is the leader), cleared when it stops."""

from __future__ import annotations

from typing import Protocol

from bot.domain.schedule import Firing


class Runtime(Protocol):
    async def fire(self, firing: Firing) -> None: ...
    async def reconcile(self, *, full: bool) -> None: ...
    async def check_acks(self) -> None: ...


_current: list[Runtime] = []


def install(runtime: Runtime) -> None:
    _current[:] = [runtime]


def uninstall(runtime: Runtime) -> None:
    if _current and _current[0] is runtime:
        _current.clear()


def current() -> Runtime:
    if not _current:
        raise RuntimeError("no scheduling runtime is installed in this process")
    return _current[0]
