"""Test-only fault points: stop the process deterministically after a recorded step.

Two environment variables, read here and nowhere else, once at import:

- `SAMVERKAN_FAULT_AT="<step>[#n]"` kills the process with SIGKILL the n-th time (default
  the first) the code passes `fault_point(step)`. Nothing is flushed, nothing cleaned up:
  the same as `kill -9` or a power cut of the process.
- `SAMVERKAN_FAULT_TRACE=<file>` appends each step passed, one per line (`<step>#<n>`), so
  a test can list the points of a run and pick where to kill the next one.

The steps of an activation, in order: `command.before_commit`, `command.committed` (the
command's transaction), `outbox.call.<effect>` and `outbox.called.<effect>` (before and
after one platform performs an outbox item; effect = open_room, invite, post, moderators,
topic, close_room), `outbox.settled` (the round's outcome committed), and the platforms'
own: `matrix.room_created`, `matrix.room_bound`, `matrix.invited`, `matrix.sent`,
`slack.channel_created`, `slack.invited`, `slack.posted`.

Unset (production), `fault_point` is one comparison.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

_AT = os.environ.get("SAMVERKAN_FAULT_AT") or None
_TRACE = os.environ.get("SAMVERKAN_FAULT_TRACE") or None
_ACTIVE = _AT is not None or _TRACE is not None
_STEP, _, _NTH = (_AT or "").partition("#")
_N = int(_NTH) if _NTH.isascii() and _NTH.isdigit() else 1
_passed: Counter[str] = Counter()


def fault_point(step: str) -> None:
    """Marks a recorded step; kills the process here when SAMVERKAN_FAULT_AT names it."""
    if not _ACTIVE:
        return
    _passed[step] += 1
    if _TRACE is not None:
        with open(_TRACE, "a", encoding="utf-8") as trace:
            trace.write(f"{step}#{_passed[step]}\n")
    if step == _STEP and _passed[step] == _N:
        os.kill(os.getpid(), signal.SIGKILL)
