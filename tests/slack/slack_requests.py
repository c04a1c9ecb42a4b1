"""Requests as Slack sends them: url-encoded slash commands and interaction payloads, signed
with Slack's v0 algorithm (slack_sdk's SignatureVerifier: HMAC-SHA256 over
`v0:<timestamp>:<body>` with the signing secret)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5-SECRET"
TEAM = "T000000001"


def signed_headers(body: str, *, secret: str = SIGNING_SECRET, age: int = 0,
                   retry: int | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }
    if retry is not None:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


def slash_body(command: str, text: str, *, user: str, channel: str, trigger: str,
               response_url: str) -> str:
    return urlencode({
        "token": "verification-token-unused", "team_id": TEAM, "team_domain": "samverkan-test",
        "channel_id": channel, "channel_name": "kanal", "user_id": user, "user_name": user.lower(),
        "command": command, "text": text, "api_app_id": "A000000001",
        "is_enterprise_install": "false", "response_url": response_url, "trigger_id": trigger,
    })


def view_submission_body(view_id: str, view: dict[str, Any], values: dict[str, Any], *,
                         user: str) -> str:
    """A `view_submission` for an opened view, with the fields' state as Slack reports it."""
    submitted = {**view, "id": view_id, "team_id": TEAM, "state": {"values": values},
                 "hash": "1700000000.abcdef", "app_id": "A000000001", "bot_id": "BBOT000001"}
    payload = {
        "type": "view_submission", "team": {"id": TEAM, "domain": "samverkan-test"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A000000001", "token": "verification-token-unused",
        "trigger_id": f"{view_id}.trigger", "view": submitted, "response_urls": [],
        "is_enterprise_install": False,
    }
    return urlencode({"payload": json.dumps(payload)})


def select(value: str | None) -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
    return {"value": {"type": "static_select", "selected_option": option}}


def text_input(value: str | None) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


def multi_select(values: list[str]) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": v}, "value": v} for v in values]
    return {"value": {"type": "multi_static_select", "selected_options": options}}
