"""Why a file could not be read or written, in Swedish, for one-line messages."""

from __future__ import annotations

import errno

_OS_REASONS = {errno.ENOENT: "mappen eller filen finns inte",
               errno.EACCES: "behörighet saknas", errno.EISDIR: "är en mapp",
               errno.ENOTDIR: "en del av sökvägen är ingen mapp",
               errno.ENOSPC: "disken är full", errno.EROFS: "skrivskyddat filsystem"}


def os_reason(err: OSError) -> str:
    """The Swedish reason for `err` (by its errno); the system's own text for the rare ones."""
    return _OS_REASONS.get(err.errno or 0, err.strerror or type(err).__name__)
