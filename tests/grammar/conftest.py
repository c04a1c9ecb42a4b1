"""Fixtures of the grammar tests: the small roster of `grammar_roster` and its names."""

from __future__ import annotations

import pytest
from grammar_roster import build_roster

from bot.domain.roster import Roster
from bot.grammar.names import Names


@pytest.fixture(scope="session")
def roster() -> Roster:
    return build_roster()


@pytest.fixture(scope="session")
def names(roster: Roster) -> Names:
    return Names(roster)
