"""`GET /metrics` in the Prometheus text format, made with the official client library.

Everything that the database knows is read from it at each scrape, so every replica reports
the same numbers for shared work (the outbox backlog, invitations pending, reminder
lateness); only the commands this process has handled are counted in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from bot.domain.ports import UnitOfWorkFactory

LATENESS_WINDOW = timedelta(hours=24)
LATENESS_BUCKETS = (0.5, 1.0, 2.0, 5.0, 15.0, 60.0, 300.0, 900.0)  # seconds
INVITATION_KINDS = frozenset({"open_room", "invite"})  # outbox kinds (Effect.type)
BRIDGE_KIND = "bridge"  # bot.domain.bridge.BridgeMessage


@dataclass(frozen=True)
class Snapshot:
    """What one scrape reports. Durations are seconds; `failing` is keyed by (effect kind,
    error kind)."""

    commands: dict[tuple[str, str], int]
    active_activations: int
    backlog: dict[str, int]
    failing: dict[tuple[str, str], int]
    lateness: list[float]


async def snapshot(uow: UnitOfWorkFactory, commands: Counter[tuple[str, str]],
                   now: datetime) -> Snapshot:
    """Reads the figures of one scrape in one short transaction (UTC `now`)."""
    async with uow() as work:
        active = len(await work.activations.active())
        backlog = await work.outbox.backlog()
        failing = await work.outbox.failing()
        lateness = await work.deliveries.lateness(now - LATENESS_WINDOW)
    return Snapshot(dict(commands), active, backlog, failing, lateness)


class _SnapshotCollector(Collector):
    def __init__(self, shot: Snapshot) -> None:
        self.shot = shot

    def collect(self) -> Iterable[Metric]:
        shot = self.shot
        commands = CounterMetricFamily("samverkan_commands", "Commands handled by this "
                                       "process, by command word and outcome (ok or the "
                                       "refusal's code).", labels=["command", "outcome"])
        for (word, outcome), n in sorted(shot.commands.items()):
            commands.add_metric([word, outcome], n)
        yield commands
        yield GaugeMetricFamily("samverkan_activations_active", "Activations not yet closed.",
                                value=shot.active_activations)
        yield GaugeMetricFamily("samverkan_relay_backlog", "Effects recorded but not yet "
                                "performed on every platform (the outbox).",
                                value=sum(shot.backlog.values()))
        yield GaugeMetricFamily("samverkan_bridge_backlog", "War-room messages, edits and "
                                "deletions recorded but not yet relayed to the other platform "
                                "(part of the relay backlog).",
                                value=shot.backlog.get(BRIDGE_KIND, 0))
        yield GaugeMetricFamily("samverkan_invitations_pending", "War-room openings and "
                                "invitations not yet done.",
                                value=sum(n for kind, n in shot.backlog.items()
                                          if kind in INVITATION_KINDS))
        errors = GaugeMetricFamily("samverkan_platform_errors", "Effects whose last attempt "
                                   "failed, by effect kind and error kind.",
                                   labels=["effect", "kind"])
        for (effect, kind), n in sorted(shot.failing.items()):
            errors.add_metric([effect, kind], n)
        yield errors
        yield _histogram("samverkan_reminder_lateness_seconds", "Seconds from due time to "
                         "delivery of reminders and notices in the last 24 hours.",
                         shot.lateness)


def _histogram(name: str, documentation: str, values: list[float]) -> HistogramMetricFamily:
    buckets = [(str(bound), sum(1 for v in values if v <= bound)) for bound in LATENESS_BUCKETS]
    buckets.append(("+Inf", len(values)))
    return HistogramMetricFamily(name, documentation, buckets=buckets, sum_value=sum(values))


def render(shot: Snapshot) -> bytes:
    """The Prometheus text exposition of `shot`."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_SnapshotCollector(shot))
    return generate_latest(registry)
