"""`samverkan health`: ask a running bot on this host whether it is ready (the image's
HEALTHCHECK). Standard library only, so it costs nothing at start."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

_ANY_ADDRESS = {"", "0.0.0.0", "::", "[::]"}


def probe(host: str, port: int, timeout: float) -> tuple[int, str]:
    """GET `/healthz` of the bot listening on `host`:`port` (a wildcard address is asked on
    127.0.0.1). Returns (HTTP status, what to show): the body when it answered 200; else a
    Swedish sentence with the URL and the reason — the HTTP status and body, the connection
    refused, no answer within `timeout` seconds, an unknown host name — with status 0 when
    nothing answered."""
    target = "127.0.0.1" if host in _ANY_ADDRESS else host
    if ":" in target and not target.startswith("["):
        target = f"[{target}]"
    url = f"http://{target}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        body = err.read().decode("utf-8", "replace").strip()
        return int(err.code), (f"Boten på {url} är inte redo: HTTP {err.code} {err.reason}"
                               + (f"\n{body}" if body else ""))
    except (urllib.error.URLError, OSError) as err:
        return 0, f"Ingen bot svarar på {url}: {_reason(err, timeout)}."


def _reason(err: OSError, timeout: float) -> str:
    """Why nothing answered, in Swedish (urlopen wraps the socket's error in URLError)."""
    cause = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(cause, ConnectionRefusedError):
        return "anslutningen nekades (ingen lyssnar på den porten; är boten startad?)"
    if isinstance(cause, TimeoutError):
        return f"inget svar inom {timeout:g} s (tidsgränsen, --timeout)"
    if isinstance(cause, socket.gaierror):
        return "värdnamnet finns inte (SAMVERKAN_HTTP_HOST)"
    if isinstance(cause, ConnectionResetError):
        return "anslutningen bröts innan svaret kom"
    return f"nätverksfel ({cause})"
