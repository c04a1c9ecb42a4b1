"""JSON log lines without secrets, and `samverkan health` (the image's HEALTHCHECK)."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer

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


@contextmanager
def _closed_port() -> Iterator[int]:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield port


@contextmanager
def _silent_port() -> Iterator[int]:
    with socket.socket() as sock:  # listens (the kernel accepts) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


class _NotReady(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"status": "degraded", "database": "stopped"}'
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _not_ready_port() -> Iterator[int]:
    server = HTTPServer(("127.0.0.1", 0), _NotReady)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("listener", "code", "reason"), [
    (_closed_port, 0, ": anslutningen nekades (ingen lyssnar på den porten; är boten startad?)."),
    (_silent_port, 0, ": inget svar inom 0.5 s (tidsgränsen, --timeout)."),
    (_not_ready_port, 503, " är inte redo: HTTP 503 Service Unavailable\n"
                           '{"status": "degraded", "database": "stopped"}'),
], ids=["refused", "timeout", "http-503"])
def test_the_health_probe_says_why_in_swedish(
        listener: Callable[[], AbstractContextManager[int]], code: int, reason: str) -> None:
    """Found by a new user: the raw urlopen error was shown; now the URL and the reason."""
    with listener() as port:
        found, text = probe("127.0.0.1", port, 0.5)
    assert found == code
    url = f"http://127.0.0.1:{port}/healthz"
    lead = f"Ingen bot svarar på {url}" if code == 0 else f"Boten på {url}"
    assert text == lead + reason
    assert "urlopen" not in text and "Errno" not in text
