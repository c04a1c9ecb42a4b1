"""What the image does, without a container engine: build a wheel of the project, install it
(not editable) into a fresh virtual environment and run `samverkan roster check` and
`samverkan console` from a folder outside the checkout — so the bundled roster and the
migrations must come from the installed package, not from the repository."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, input=stdin, text=True, capture_output=True,
                          timeout=240, check=False,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"})


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel in it; its dependencies come from the test environment's
    site-packages (added as a plain path, so the editable install there is not seen)."""
    work = tmp_path_factory.mktemp("wheel")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                  "-q", "-w", str(work / "dist"), str(ROOT)], work)
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("samverkansboten-*.whl")
    venv = work / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], work)
    assert made.returncode == 0, made.stderr
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    put = _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                "install", "-q", "--no-deps", str(wheel)], work)
    assert put.returncode == 0, put.stderr
    return venv


def test_the_wheel_carries_the_roster_and_the_migrations(installed: Path) -> None:
    where = _run([str(installed / "bin" / "python"), "-c",
                  "import bot, storage.migrate as m; print(bot.__file__); print(m.MIGRATIONS)"],
                 installed.parent)
    assert where.returncode == 0, where.stderr
    assert all(str(installed) in line for line in where.stdout.splitlines())
    check = _run([str(installed / "bin" / "samverkan"), "roster", "check"], installed.parent)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("OK")


def test_the_installed_console_answers(installed: Path, tmp_path: Path) -> None:
    script = "status\nvem tib@lansstyrelsen\n"
    result = _run([str(installed / "bin" / "samverkan"), "console", "--db",
                   f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"], tmp_path, stdin=script)
    assert result.returncode == 0, result.stderr
    assert "Länsstyrelsen" in result.stdout
