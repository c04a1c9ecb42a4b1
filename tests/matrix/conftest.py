"""A fresh bot plus database per test on the session's Synapse (`synapse`, tests/conftest.py), and a
second Synapse with default rate limits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.matrix.harness import MatrixHarness
from tests.matrix.synapse_server import SynapseServer


@pytest.fixture
async def matrix(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[MatrixHarness]:
    harness = MatrixHarness(synapse, tmp_path)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.close()


@pytest.fixture(scope="session")
def synapse_default(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """A second Synapse with its DEFAULT rate limits for everything the bot does (only
    registration and login relaxed): started only by the tests that ask for it."""
    server = SynapseServer(tmp_path_factory.mktemp("synapse-default"), limits="default")
    server.start()
    try:
        yield server
    finally:
        server.stop()
