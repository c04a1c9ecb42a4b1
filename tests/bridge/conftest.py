"""One bot on both platforms: the real Synapse of the Matrix tests and the spec-checking Slack
fake, one database; roster people on Matrix with their own nio clients, on Slack as signed
Events API requests and slash commands into the bot's HTTP endpoint."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "slack"))

from fake_slack_api import FakeSlack

from bot.bootstrap import App, build_app
from bot.clock import ManualClock
from bot.domain.roster import FunctionRef, Roster
from bot.roster.loader import default_roster_path, load_roster
from bot.settings import Settings
from tests.bridge.harness import BridgeHarness
from tests.matrix.harness import START
from tests.matrix.synapse_server import SynapseServer

SLACK_SIDE = ("vakthavande-befal@polisen",)  # the police read the war room on Slack


def bridge_roster() -> Roster:
    """The bundled roster with the holders of SLACK_SIDE preferring Slack (everyone else is
    on both platforms too, and is invited on Matrix, the default)."""
    roster = load_roster(default_roster_path())
    slack_people = {roster.holder(FunctionRef.parse(ref), START) for ref in SLACK_SIDE}
    data = roster.model_dump()
    for person in data["people"]:
        if person["key"] in slack_people:
            person["prefers"] = "slack"
    return Roster.model_validate(data)


@pytest.fixture
async def core_app(database_url: str) -> AsyncIterator[App]:
    """The core with rooms on platforms (none started; not the terminal's exercise process,
    so an exercise's messages are marked), on a fresh database."""
    built = await build_app(Settings(database_url=database_url), clock=ManualClock(START))
    try:
        yield built
    finally:
        await built.close()


@pytest.fixture
async def slack_fake() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    try:
        yield fake
    finally:
        await fake.stop()
    problems = fake.all_failures
    assert problems == [], "invalid Slack Web API traffic:\n" + "\n".join(problems)


@pytest.fixture
async def both(synapse: SynapseServer, slack_fake: FakeSlack,
               tmp_path: Path) -> AsyncIterator[BridgeHarness]:
    harness = BridgeHarness(synapse, tmp_path, bridge_roster(), slack=slack_fake)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.close()
