"""argparse in Swedish: the command line's usage, help and errors as users see them.

argparse reads every message it shows through gettext (`argparse._` and `argparse.ngettext`,
the standard library's translation hook). `SwedishParser` answers those look-ups from the
catalog below while it is built, parses and prints, and leaves argparse as it was after: the
CLI is one thread, and nothing else in the process is translated. A message the catalog does
not have is shown as argparse wrote it (tests/runtime/test_cli.py checks that every message a
user can meet in the running Python's argparse is in the catalog).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

# argparse's message id (Python 3.11-3.13) -> Swedish, with the same %-placeholders.
SWEDISH: dict[str, str] = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "subcommands": "underkommandon",
    "%(heading)s:": "%(heading)s:",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "show program's version number and exit": "visa programmets version och avsluta",
    " (default: %(default)s)": " (standard: %(default)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: varning: %(message)s\n",
    "the following arguments are required: %s": "följande argument saknas: %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "expected one argument": "ett värde saknas",
    "expected at most one argument": "högst ett värde får anges",
    "expected at least one argument": "minst ett värde saknas",
    "invalid %(type)s value: %(value)r": "ogiltigt värde (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "tvetydig flagga: %(option)s kan vara %(matches)s",
    "not allowed with argument %s": "får inte anges tillsammans med %s",
    "ignored explicit argument %r": "värdet %r ignoreras",
    "unexpected option string: %s": "oväntad flagga: %s",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
    "argument '%(argument_name)s' is deprecated": "argumentet '%(argument_name)s' är föråldrat",
    "option '%(option)s' is deprecated": "flaggan '%(option)s' är föråldrad",
    "command '%(parser_name)s' is deprecated": "kommandot '%(parser_name)s' är föråldrat",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "okänt underkommando %(parser_name)r (välj bland %(choices)s)",
}
SWEDISH_PLURAL: dict[str, tuple[str, str]] = {
    "expected %s argument": ("%s värde saknas", "%s värden saknas"),
}


def _gettext(message: str) -> str:
    return SWEDISH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    found = SWEDISH_PLURAL.get(singular)
    if found is None:
        return singular if n == 1 else plural
    return found[0] if n == 1 else found[1]


@contextmanager
def swedish() -> Iterator[None]:
    """argparse's messages in Swedish inside the block; as they were after (re-entrant)."""
    module: Any = argparse
    before: tuple[Callable[..., str], Callable[..., str]] = (module._, module.ngettext)
    module._, module.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        module._, module.ngettext = before


class SwedishParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, help and errors are Swedish (its subparsers too: they
    are made of the parser's own class). Exits as argparse does: 0 after `-h`, 2 on an
    error, the message on standard error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with swedish():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with swedish():
            return super().add_subparsers(**kwargs)

    def add_argument_group(self, *args: Any, **kwargs: Any) -> Any:
        with swedish():
            return super().add_argument_group(*args, **kwargs)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: None = None) -> argparse.Namespace:
        """As argparse's; the subparsers parse inside it, so their messages are Swedish too."""
        with swedish():
            return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        with swedish():
            return super().format_usage()

    def format_help(self) -> str:
        with swedish():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with swedish():
            super().error(message)
