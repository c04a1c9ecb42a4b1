"""The dispatch table: which handler serves which command, and what it needs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.grammar import commands as c
from bot.handlers import (
    activation,
    composition,
    exercises,
    followups,
    info,
    messages,
    record,
    resources,
    scenarios,
)
from bot.handlers.context import Ctx
from bot.handlers.help import help_
from bot.handlers.types import Reply

Handler = Callable[[Ctx, Any], Awaitable[Reply]]


@dataclass(frozen=True)
class Route:
    handler: Handler
    needs_activation: bool = False
    allow_closed: bool = False


def default_routes() -> dict[type[Any], Route]:
    inside: dict[type[Any], Handler] = {
        c.Escalate: activation.escalate,
        c.Call: composition.call,
        c.Ack: composition.acknowledge,
        c.Chair: composition.chair,
        c.Deactivate: activation.deactivate,
        c.Report: record.report,
        c.Decide: record.decide,
        c.Commit: record.commit,
        c.Propose: messages.propose,
        c.Approve: messages.approve,
        c.ResourceEntry: resources.entry,
        c.ResourceMatch: resources.match,
        c.ResourceChange: resources.change,
        c.ResourcePrioritise: resources.prioritise,
        c.ChecklistDone: scenarios.checklist_done,
        c.ProposeTemplate: scenarios.propose_template,
        c.FollowUp: followups.follow_up,
    }
    routes: dict[type[Any], Route] = {k: Route(v, needs_activation=True) for k, v in inside.items()}
    routes[c.Picture] = Route(record.picture, needs_activation=True, allow_closed=True)
    routes[c.Log] = Route(record.log, needs_activation=True, allow_closed=True)
    routes[c.Resources] = Route(resources.listing, needs_activation=True, allow_closed=True)
    routes[c.Activate] = Route(activation.activate)
    routes[c.ExerciseStart] = Route(exercises.start)
    routes[c.ExerciseEnd] = Route(exercises.end, needs_activation=True)
    routes[c.ClockAdvance] = Route(exercises.clock, needs_activation=True)
    routes[c.Status] = Route(info.status)
    routes[c.Who] = Route(info.who)
    routes[c.Help] = Route(help_)
    return routes
