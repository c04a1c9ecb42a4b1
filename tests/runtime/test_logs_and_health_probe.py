"""JSON log lines without secrets, and `samverkan health` (the image's HEALTHCHECK)."""

from __future__ import annotations

import asyncio
import json
import logging
import socket

import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from bot.bootstrap import App
from bot.health import probe
from bot.http import make_web_app
from bot.logs import MASK, configure_logging
from bot.settings import MatrixSettings, Settings, SlackSettings

TOKEN = "xoxb-1111-2222-secret-token"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def restore_logging() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_log_lines_carry_no_secret(log_format: str, restore_logging: object,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(log_format=log_format,  # type: ignore[arg-type]
                        slack=SlackSettings(bot_token=SecretStr(TOKEN)),
                        matrix=MatrixSettings(password=SecretStr(PASSWORD)))
    configure_logging(settings)
    log = logging.getLogger("bot.test")
    log.warning("Slack refused %s; password %s", TOKEN, PASSWORD)
    log.info("plain line with å ä ö")
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert all(TOKEN not in line and PASSWORD not in line for line in lines)
    if log_format == "json":
        first, second = (json.loads(line) for line in lines)
        assert first["level"] == "WARNING" and first["logger"] == "bot.test"
        assert first["message"] == f"Slack refused {MASK}; password {MASK}"
        assert second["message"] == "plain line with å ä ö" and "time" in second
    else:
        assert lines[0].endswith(f"bot.test: Slack refused {MASK}; password {MASK}")


async def test_the_health_probe_reads_healthz(app: App) -> None:
    server = TestServer(make_web_app(app), host="127.0.0.1")
    await server.start_server()
    try:
        assert server.port is not None
        code, body = await asyncio.to_thread(probe, "0.0.0.0", server.port, 5.0)
    finally:
        await server.close()
    assert code == 200 and json.loads(body)["status"] == "ok"


def test_the_health_probe_says_when_nothing_answers() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, body = probe("127.0.0.1", port, 2.0)
    assert code == 0 and body.startswith("ingen svarar på http://127.0.0.1:")
