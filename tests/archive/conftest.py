"""Fixtures for the archived protocol: the time side's App on a fresh database with the
exercise clock and the schedule (the same fixtures as tests/scheduling), so a story can hold
conferences with roll calls before it is closed."""

from tests.scheduling.conftest import app, engine  # noqa: F401  (the same fixtures)
