"""The one HTTP server (health, metrics) and how `samverkan run` starts or refuses to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.bootstrap import App
from bot.http import make_web_app
from storage.database import make_engine
from storage.uow import SqlUnitOfWorkFactory
from tests.core.conftest import say


async def test_health_and_metrics(app: App) -> None:
    assert (await say(app, "tib@lansstyrelsen", "aktivera samordnande oväder Snöstorm Gorm")).ok
    assert not (await say(app, "tib@lansstyrelsen", "kalla Atlantis")).ok
    async with TestClient(TestServer(make_web_app(app))) as client:
        health = await client.get("/healthz")
        assert health.status == 200 and (await health.json())["status"] == "ok"
        text = await (await client.get("/metrics")).text()
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    assert samples[("samverkan_commands_total",
                    (("command", "aktivera"), ("outcome", "ok")))] == 1
    assert samples[("samverkan_commands_total",
                    (("command", "-"), ("outcome", "name.unknown_target")))] == 1
    assert samples[("samverkan_activations_active", ())] == 1
    assert samples[("samverkan_relay_backlog", ())] >= 0
    assert ("samverkan_invitations_pending", ()) in samples
    assert samples[("samverkan_reminder_lateness_seconds_count", ())] == 0


async def test_health_reports_a_stopped_database(app: App) -> None:
    """A database that does not answer (nothing listens on the port) is not ready."""
    stopped = SqlUnitOfWorkFactory(make_engine("postgresql+asyncpg://x@127.0.0.1:9/stopped"))
    async with TestClient(TestServer(make_web_app(app))) as client:
        app.uow = stopped
        health = await client.get("/healthz")
        body = await health.json()
    assert health.status == 503
    assert body["status"] == "fel" and body["parts"]["databas"].startswith("svarar inte")
    await stopped.engine.dispose()


class _Platform:
    def __init__(self, name: str, reason: str | None) -> None:
        self.name, self.reason = name, reason

    async def health(self) -> str | None:
        return self.reason


async def test_health_names_the_platform_that_is_not_connected(app: App) -> None:
    app.relay.platforms.extend([_Platform("slack", None), _Platform("matrix", "inte inloggad")])
    async with TestClient(TestServer(make_web_app(app))) as client:
        health = await client.get("/healthz")
        body = await health.json()
    assert health.status == 503
    assert body["parts"] == {"databas": "ok", "slack": "ok", "matrix": "inte inloggad"}


def _run(args: list[str], env: dict[str, str], tmp: Path, stdin: str = "") -> tuple[int, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    result = subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, text=True,
                            capture_output=True, timeout=60, cwd=tmp, env=clean | env,
                            check=False)
    return result.returncode, result.stdout + result.stderr


def test_run_without_platforms_is_the_terminal(tmp_path: Path) -> None:
    code, out = _run(["run"], {}, tmp_path, stdin="status\n")
    assert code == 0, out
    assert "Samverkansboten, terminalen" in out and "Pågående aktiveringar: 0" in out
    assert (tmp_path / "samverkan.db").exists()  # the embedded default: SQLite in a local file


def test_half_configured_platform_names_the_missing_variable(tmp_path: Path) -> None:
    code, out = _run(["run"], {"SAMVERKAN_MATRIX__HOMESERVER": "http://127.0.0.1:9"}, tmp_path)
    assert code == 2
    assert "SAMVERKAN_MATRIX__USER_ID" in out and "SAMVERKAN_MATRIX__ACCESS_TOKEN" in out


def test_a_broken_roster_never_starts(tmp_path: Path) -> None:
    roster = tmp_path / "broken.toml"
    roster.write_text('[region]\nname = "X"\n', encoding="utf-8")
    code, out = _run(["run"], {"SAMVERKAN_ROSTER": str(roster)}, tmp_path, stdin="status\n")
    assert code == 2 and "Rollförteckningen är felaktig" in out
    assert not (tmp_path / "samverkan.db").exists()


def test_a_second_process_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    first = subprocess.Popen([sys.executable, "-m", "bot.cli", "console"], cwd=tmp_path,
                             env=clean, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        assert first.stdout is not None
        assert "terminalen" in first.stdout.readline()  # started and holds the lock
        code, out = _run(["console"], {}, tmp_path, stdin="status\n")
        assert code == 2 and "Startar inte" in out, out
    finally:
        first.communicate(":quit\n", timeout=30)
    assert first.returncode == 0
