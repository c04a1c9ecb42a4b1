"""Logging in (token or password), failing clearly, and stopping without hanging."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from nio import DevicesResponse
from pydantic import SecretStr

from bot.bootstrap import build_app, matrix_platform
from bot.clock import ManualClock
from bot.platforms.matrix import MatrixError, MatrixPlatform
from bot.platforms.matrix.client import DEFAULT_DEVICE_ID
from bot.settings import MatrixSettings, Settings
from tests.conftest import sqlite_url
from tests.matrix.harness import START
from tests.matrix.synapse_server import SynapseServer, free_port

pytestmark = pytest.mark.synapse


@asynccontextmanager
async def platform(tmp: Path, matrix: MatrixSettings,
                   poll_timeout_ms: int = 30_000) -> AsyncIterator[MatrixPlatform]:
    app = await build_app(Settings(database_url=sqlite_url(tmp), matrix=matrix),
                          clock=ManualClock(START))
    bot = matrix_platform(app, poll_timeout_ms=poll_timeout_ms)
    try:
        yield bot
    finally:
        await bot.stop()
        await app.close()


async def test_password_login_reuses_one_device_and_stops_promptly(
        synapse: SynapseServer, tmp_path: Path) -> None:
    user = synapse.register("bot-password")
    settings = MatrixSettings(homeserver=synapse.base_url, user_id=user.user_id,
                              password=SecretStr(user.password))
    for _ in range(2):
        async with platform(tmp_path, settings) as bot:
            await bot.start()
            await bot.wait_synced(after=0)
            assert bot.client.device_id == DEFAULT_DEVICE_ID
            devices = await bot.client.devices()
            assert isinstance(devices, DevicesResponse), devices
            assert {d.id for d in devices.devices} == {user.device_id, DEFAULT_DEVICE_ID}
            began = time.monotonic()
            await bot.stop()  # in the middle of a 30 s long poll
            assert time.monotonic() - began < 3


async def test_bad_token_is_a_clear_error(synapse: SynapseServer, tmp_path: Path) -> None:
    settings = MatrixSettings(homeserver=synapse.base_url, user_id="@nobody:samverkan.test",
                              access_token=SecretStr("not-a-token"))
    async with platform(tmp_path, settings) as bot:
        with pytest.raises(MatrixError) as raised:
            await bot.start()
    assert raised.value.code == "M_UNKNOWN_TOKEN"


async def test_unreachable_homeserver_fails_within_bounds(tmp_path: Path) -> None:
    settings = MatrixSettings(homeserver=f"http://127.0.0.1:{free_port()}",
                              user_id="@bot:samverkan.test", access_token=SecretStr("x"))
    began = time.monotonic()
    async with platform(tmp_path, settings) as bot:
        with pytest.raises(MatrixError) as raised:
            await bot.start()
    assert raised.value.code == "NETWORK"
    assert time.monotonic() - began < 15
