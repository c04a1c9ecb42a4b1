"""Fixtures of the Slack tests: the spec-checking fake Web API with Slack's rate tiers
enforced (time scaled down, see `fake_slack_limits.TIME_SCALE`), failing the test on any
invalid call."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_slack_api import FakeSlack
from fake_slack_limits import TIME_SCALE, RateLimits
from slack_harness import Harness, slack_bot

from tests.conftest import sqlite_url


@pytest.fixture
async def slack_fake() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack(limits=RateLimits(scale=TIME_SCALE)).start()
    try:
        yield fake
    finally:
        await fake.stop()
    problems = fake.all_failures
    assert problems == [], "invalid Slack Web API traffic:\n" + "\n".join(problems)


@pytest.fixture
async def bot(slack_fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on SQLite with its Slack adapter in HTTP mode, against the fake."""
    async with slack_bot(slack_fake, sqlite_url(tmp_path)) as harness:
        yield harness
