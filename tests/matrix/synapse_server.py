"""A real Synapse homeserver on loopback for tests and benchmarks (no Docker, no internet).

Used by `tests/matrix/conftest.py` and `bench/matrix_convene.py`. Blocking on purpose (a
subprocess plus urllib), so it can live in a session-scoped fixture independent of any event
loop. Every wait is bounded.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import hmac
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SERVER_NAME = "samverkan.test"
SHARED_SECRET = "samverkan-test-registration-secret"
log = logging.getLogger(__name__)

# The rc_* keys Synapse's own Complement image relaxes (docker/complement/conf/
# workers-shared-extra.yaml.j2); default limits make a bot test hit M_LIMIT_EXCEEDED after a
# handful of createRoom calls, and admins are not exempt.
_HIGH = {"per_second": 9999, "burst_count": 9999}
RATE_LIMITS: dict[str, Any] = {
    "rc_message": _HIGH,
    "rc_registration": _HIGH,
    "rc_login": {"address": _HIGH, "account": _HIGH, "failed_attempts": _HIGH},
    "rc_admin_redaction": _HIGH,
    "rc_joins": {"local": _HIGH, "remote": _HIGH},
    "rc_joins_per_room": _HIGH,
    "rc_3pid_validation": _HIGH,
    "rc_invites": {"per_room": _HIGH, "per_user": _HIGH, "per_issuer": _HIGH},
    "rc_presence": {"per_user": _HIGH},
    "rc_delayed_event_mgmt": _HIGH,
    "rc_room_creation": _HIGH,
    "rc_user_directory": _HIGH,
    "rc_federation": {"window_size": 1000, "sleep_limit": 1000, "sleep_delay": 0,
                      "reject_limit": 9999, "concurrent": 9999},
}
# Mode "default": Synapse's own limits for everything the bot does; only what the test needs
# to set its users up (registration, login) is relaxed.
SETUP_LIMITS: dict[str, Any] = {
    "rc_registration": _HIGH,
    "rc_login": {"address": _HIGH, "account": _HIGH, "failed_attempts": _HIGH},
}
LIMIT_MODES = {"relaxed": RATE_LIMITS, "default": SETUP_LIMITS}


@dataclass(frozen=True)
class MatrixUser:
    user_id: str
    access_token: str
    device_id: str
    password: str

    @property
    def localpart(self) -> str:
        return self.user_id[1:].split(":", 1)[0]


_LIBC = (ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
         if sys.platform.startswith("linux") else None)


def _die_with_parent() -> None:
    """Linux: SIGTERM Synapse when the test process dies, even by SIGKILL, so no stale
    server keeps its port. Runs in the child between fork and exec: one libc call only."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class SynapseServer:
    """One Synapse process in `workdir`; `start()` / `stop()` / `register(localpart)`."""

    def __init__(self, workdir: Path, *, log_level: str = "WARNING",
                 python: str = sys.executable, limits: str = "relaxed") -> None:
        """`limits`: "relaxed" (every rc_* lifted: fast tests) or "default" (Synapse's own
        rate limits for everything but registration and login)."""
        self.limits = LIMIT_MODES[limits]
        self.workdir = workdir
        self.port = free_port()
        self.log_level = log_level
        self.python = python
        self.process: subprocess.Popen[bytes] | None = None
        self._users: dict[str, MatrixUser] = {}
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.workdir / "homeserver.yaml"

    # -- lifecycle -----------------------------------------------------------------------
    def generate_config(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [self.python, "-m", "synapse.app.homeserver", "--server-name", SERVER_NAME,
             "--config-path", str(self.config_path), "--generate-config",
             "--report-stats=no"],
            cwd=self.workdir, check=True, capture_output=True, timeout=60,
        )
        config = yaml.safe_load(self.config_path.read_text())
        config.update(self._overrides())
        self.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
        self._set_log_level()

    def _overrides(self) -> dict[str, Any]:
        return {
            "listeners": [{
                "port": self.port, "bind_addresses": ["127.0.0.1"], "type": "http",
                "tls": False, "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }],
            "database": {"name": "sqlite3",
                         "args": {"database": str(self.workdir / "homeserver.db")}},
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "bcrypt_rounds": 4,
            "registration_shared_secret": SHARED_SECRET,
            "enable_registration": False,
            "presence": {"enabled": False},
            "url_preview_enabled": False,
            "federation_domain_whitelist": [],
            **self.limits,
        }

    def _set_log_level(self) -> None:
        log_config = self.workdir / f"{SERVER_NAME}.log.config"
        data = yaml.safe_load(log_config.read_text())
        data.setdefault("root", {})["level"] = self.log_level
        for logger in data.get("loggers", {}).values():
            logger["level"] = self.log_level
        log_config.write_text(yaml.safe_dump(data, sort_keys=False))

    def start(self, timeout: float = 60.0) -> None:
        if not self.config_path.exists():
            self.generate_config()
        if _port_open(self.port):
            raise RuntimeError(f"port {self.port} is taken; a stale Synapse may still run")
        stderr = (self.workdir / "stderr.log").open("wb")
        self.process = subprocess.Popen(
            [self.python, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=stderr,
            # the hook is one prctl call, safe even with other threads running
            start_new_session=True, preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
        stderr.close()
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"Synapse exited with {self.process.returncode}: "
                                   f"{self._stderr_tail()}")
            try:
                self._get("/_matrix/client/versions")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"Synapse not ready within {timeout}s: {self._stderr_tail()}")

    def _stderr_tail(self) -> str:
        path = self.workdir / "stderr.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self, timeout: float = 15.0) -> None:
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # our own session: only Synapse and its children
            proc.wait(timeout=timeout)
        deadline = time.monotonic() + timeout
        while _port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def __enter__(self) -> SynapseServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- HTTP ------------------------------------------------------------------------------
    def _get(self, path: str) -> Any:
        with urllib.request.urlopen(self.base_url + path, timeout=5) as resp:
            return json.loads(resp.read())

    def _post(self, path: str, body: dict[str, Any], token: str | None = None) -> Any:
        request = urllib.request.Request(
            self.base_url + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json",
                     **({"Authorization": f"Bearer {token}"} if token else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"POST {path}: {exc.code} {exc.read()!r}") from exc

    # -- users -----------------------------------------------------------------------------
    def register(self, localpart: str, *, admin: bool = False) -> MatrixUser:
        """Create `@localpart:samverkan.test` once (shared-secret admin API); cached."""
        with self._lock:
            if localpart in self._users:
                return self._users[localpart]
        password = f"pw-{localpart}"
        nonce = self._get("/_synapse/admin/v1/register")["nonce"]
        parts = (nonce, localpart, password, "admin" if admin else "notadmin")
        # The MAC covers the parts joined by NUL, without a trailing NUL.
        digest = hmac.new(SHARED_SECRET.encode(), b"\x00".join(p.encode() for p in parts),
                          hashlib.sha1).hexdigest()
        body = {"nonce": nonce, "username": localpart, "password": password,
                "admin": admin, "mac": digest}
        data = self._post("/_synapse/admin/v1/register", body)
        user = MatrixUser(data["user_id"], data["access_token"], data["device_id"], password)
        with self._lock:
            return self._users.setdefault(localpart, user)

    def register_many(self, localparts: Iterable[str]) -> dict[str, MatrixUser]:
        wanted = list(dict.fromkeys(localparts))
        with ThreadPoolExecutor(max_workers=8) as pool:
            users = list(pool.map(self.register, wanted))
        return dict(zip(wanted, users, strict=True))

    def override_ratelimit(self, user_id: str, per_second: float, burst: int) -> None:
        """Tighten (or lift: 0, 0) the rate limits of one user (admin API; Synapse applies
        the override to every limiter keyed on that user as requester)."""
        admin = self.register("synapse-admin", admin=True)
        path = f"/_synapse/admin/v1/users/{urllib.parse.quote(user_id)}/override_ratelimit"
        self._post(path, {"messages_per_second": per_second, "burst_count": burst},
                   token=admin.access_token)

    def mxid(self, localpart: str) -> str:
        return f"@{localpart}:{SERVER_NAME}"
