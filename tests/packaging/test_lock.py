"""The lock files match pyproject.toml: every dependency is pinned, inside its declared range.

`make run` installs from requirements.lock, `make test` from requirements-test.lock (then the
project itself with --no-deps), so a dependency added to pyproject.toml without `make lock`
would be missing from a clean install; this test says so first.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pins(lock: str) -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for raw in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        requirement = Requirement(text)
        (spec,) = requirement.specifier  # every line pins exactly one version
        assert spec.operator == "==", f"{lock}: {text!r} is not pinned with =="
        pins[canonicalize_name(requirement.name)] = Version(spec.version)
    return pins


def _requirements(extra: str | None) -> list[Requirement]:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    names = list(project["dependencies"])
    if extra is not None:
        names += project["optional-dependencies"][extra]
    return [Requirement(text) for text in names]


@pytest.mark.parametrize(("lock", "extra"), [("requirements.lock", None),
                                             ("requirements-test.lock", "test")])
def test_every_dependency_is_pinned_inside_its_range(lock: str, extra: str | None) -> None:
    pins = _pins(lock)
    problems = []
    for requirement in _requirements(extra):
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement.name} is missing")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement.name}=={pins[name]} is outside {requirement.specifier}")
    assert not problems, f"{lock} does not match pyproject.toml (run `make lock`): {problems}"


def test_the_runtime_lock_agrees_with_the_test_lock() -> None:
    runtime, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    differ = {name: (version, test.get(name)) for name, version in runtime.items()
              if test.get(name) != version}
    assert not differ, f"the two lock files pin different versions (run `make lock`): {differ}"


def test_a_lock_without_a_pin_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.lock"
    bad.write_text("aiohttp>=3\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="not pinned"):
        _pins(str(bad))
