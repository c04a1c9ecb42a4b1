"""Domain errors are values with a code; one translator per platform renders the text."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal or bad input. `code` keys the user-facing text in `bot.texts`."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.params!r})"


class ParseError(DomainError):
    """The command line could not be understood."""


class NotFound(DomainError):
    """A name did not match; `params['suggestions']` holds "did you mean" candidates."""


class Forbidden(DomainError):
    """The speaker may not do this; `params` say why."""


class Conflict(DomainError):
    """The action clashes with the current state (e.g. already closed)."""
