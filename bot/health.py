"""`samverkan health`: ask a running bot on this host whether it is ready (the image's
HEALTHCHECK). Standard library only, so it costs nothing at start."""

from __future__ import annotations

import urllib.error
import urllib.request

_ANY_ADDRESS = {"", "0.0.0.0", "::", "[::]"}


def probe(host: str, port: int, timeout: float) -> tuple[int, str]:
    """GET `/healthz` of the bot listening on `host`:`port` (a wildcard address is asked on
    127.0.0.1). Returns (HTTP status, body); status 0 with the reason when nothing answered
    within `timeout` seconds."""
    target = "127.0.0.1" if host in _ANY_ADDRESS else host
    if ":" in target and not target.startswith("["):
        target = f"[{target}]"
    url = f"http://{target}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return int(err.code), err.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as err:
        return 0, f"ingen svarar på {url}: {err}"
