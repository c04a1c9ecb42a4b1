"""Test helpers for the time side: a platform that records what it is asked to do, and an
App wired with the schedule repositories and the exercise clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.bootstrap import App
from bot.clock import ManualClock
from bot.domain.bridge import BridgeMessage
from bot.domain.effects import (
    CloseWarRoom,
    Effect,
    InvitePeople,
    OpenWarRoom,
    Post,
    SetModerators,
    SetTopic,
)
from bot.domain.roster import FunctionRef, Roster
from bot.handlers.meetings import register
from bot.handlers.types import Origin, Reply
from bot.roster.loader import default_roster_path, load_roster

NOTICE_MARKS = ("⏰", "⚠️")


@dataclass
class RecordingPlatform:
    """A ChatPlatform that performs nothing and remembers everything."""

    name: str = "recorder"
    effects: list[Effect] = field(default_factory=list)

    async def open_war_room(self, effect: OpenWarRoom) -> None:
        self.effects.append(effect)

    async def invite(self, effect: InvitePeople) -> None:
        self.effects.append(effect)

    async def post(self, effect: Post) -> None:
        self.effects.append(effect)

    async def set_moderators(self, effect: SetModerators) -> None:
        self.effects.append(effect)

    async def set_topic(self, effect: SetTopic) -> None:
        self.effects.append(effect)

    async def close_war_room(self, effect: CloseWarRoom) -> None:
        self.effects.append(effect)

    async def bridge(self, effect: BridgeMessage) -> None:
        self.effects.append(effect)

    def posts(self, kind: str | None = None, key: str | None = None) -> list[Post]:
        return [e for e in self.effects if isinstance(e, Post)
                and (kind is None or e.room.kind == kind) and (key is None or e.room.key == key)]

    def texts(self, kind: str | None = None, key: str | None = None) -> list[str]:
        return [p.text for p in self.posts(kind, key)]

    def notices(self, kind: str | None = None, key: str | None = None) -> list[Post]:
        """Posts of the time side: reminders, agendas, missed notices (not escalations)."""
        return [p for p in self.posts(kind, key)
                if p.text.startswith(NOTICE_MARKS) or "\nDagordning:\n" in p.text]

    def clear(self) -> None:
        self.effects.clear()


def with_schedule(app: App) -> None:
    """Make sure the app has the schedule commands (`build_app` registers them; this keeps the
    suite independent of that wiring). The one unit of work already has every repository."""
    register(app.service)


def holder(app: App, ref: str) -> str:
    return app.roster.holder(FunctionRef.parse(ref), app.clock.now())


async def say(app: App, who: str, text: str, *, room: str | None = None) -> Reply:
    person = holder(app, who) if "@" in who else who
    reply = await app.service.handle(text, Origin("console", person, room, user=person))
    await app.relay.wait_idle()
    return reply


async def advance(app: App, delta: timedelta, step: timedelta | None = None) -> None:
    """Move the exercise clock on, ticking every `step` (default: once at the end)."""
    clock = app.clock
    assert isinstance(clock, ManualClock)
    target = clock.now() + delta
    step = step or delta
    while clock.now() < target:
        clock.set(min(target, clock.now() + step))
        await app.service.tick()
        await app.relay.wait_idle()


def roster_without_rhythms() -> Roster:
    """The bundled roster with no scenario conference rhythm, so that these tests see only
    the conferences they schedule themselves (the rhythm has its own test)."""
    roster = load_roster(default_roster_path())
    scenarios = [s.model_copy(update={"conference_every_hours": None}) for s in roster.scenarios]
    return Roster.model_validate(roster.model_dump() | {
        "scenarios": [s.model_dump() for s in scenarios]})
