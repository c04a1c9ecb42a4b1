"""Checks Web API calls and answers against Slack's own OpenAPI spec (Swagger 2.0, Oct 2020).

The spec is stale and not strictly valid: where it means `oneOf` it writes a list-valued
`items` on a non-array schema, which a JSON Schema validator silently ignores. We rewrite
those to `anyOf` so that the fake's answers are actually checked, and validate each method's
`responses.200.schema` / `responses.default.schema` with `jsonschema` (draft 4, the dialect of
Swagger 2.0), resolving `#/definitions/...` against the spec's own definitions.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

# Slack's official spec, kept in the repository as test data (source, commit and licence in
# tests/slack/data/); SAMVERKAN_SLACK_SPEC may point at a newer copy.
SPEC_PATH = Path(os.environ.get(
    "SAMVERKAN_SLACK_SPEC", Path(__file__).resolve().parent / "data" / "web-api.openapi.json",
))

# Arguments newer than the 2020 spec, which slack_sdk or we send for good reasons.
# Everything not in the spec must be listed here with the reason; anything else fails the test.
ALLOWED_EXTRA_ARGS: dict[str, set[str]] = {
    # `team_id` is required on Enterprise Grid org-wide tokens (current docs); harmless elsewhere.
    "conversations.create": {"team_id"},
    # `force` (2023) skips invalid ids instead of failing the whole call.
    "conversations.invite": {"force"},
    # Bolt gives each listener a client built with `team_id=req.context.team_id`, and
    # slack_sdk then sends it as a default parameter on every call of that client
    # (AsyncBaseClient.default_params); Slack accepts it for org-wide apps.
    "views.open": {"team_id"},
    # Message metadata (2022): the outbox key of each message, found again before a repeat.
    "chat.postMessage": {"metadata"},
    "conversations.history": {"include_all_metadata"},
}

# Methods absent from the 2020 spec that the app legitimately calls.
ALLOWED_EXTRA_METHODS: set[str] = {
    # Socket Mode (2020-11, after the spec): opens the WebSocket URL with the app-level token.
    "apps.connections.open",
}

# The spec marks almost nothing as required for many methods; the current method docs do.
# We are stricter than the spec here, never looser.
DOCUMENTED_REQUIRED: dict[str, set[str]] = {
    "conversations.create": {"name"},
    "conversations.invite": {"channel", "users"},
    "conversations.setTopic": {"channel", "topic"},
    "conversations.setPurpose": {"channel", "purpose"},
    "conversations.members": {"channel"},
    "conversations.info": {"channel"},
    "conversations.join": {"channel"},
    "users.info": {"user"},
    "chat.delete": {"channel", "ts"},
}

# String parameters that carry JSON: slack_sdk sends them as JSON values in a JSON body.
JSON_PARAMS = {"view", "blocks", "attachments", "metadata"}


def _fix_items(node: Any) -> Any:
    """Rewrite list-valued `items` on non-array schemas to `anyOf` (see module doc)."""
    if isinstance(node, list):
        return [_fix_items(n) for n in node]
    if not isinstance(node, dict):
        return node
    fixed = {k: _fix_items(v) for k, v in node.items()}
    items = fixed.get("items")
    if isinstance(items, list) and fixed.get("type") != "array":
        del fixed["items"]
        fixed["anyOf"] = items
    return fixed


@dataclass(frozen=True)
class Param:
    name: str
    location: str
    type: str
    required: bool


@dataclass(frozen=True)
class Operation:
    method: str
    verb: str
    params: dict[str, Param]
    ok_schema: dict[str, Any]
    error_schema: dict[str, Any]

    @property
    def token_required(self) -> bool:
        token = self.params.get("token")
        return token is not None and token.required


class SlackSpec:
    def __init__(self, raw: dict[str, Any]) -> None:
        fixed = _fix_items(raw)
        self.definitions: dict[str, Any] = fixed["definitions"]
        self.operations: dict[str, Operation] = {}
        for path, ops in fixed["paths"].items():
            for verb, op in ops.items():
                params = {
                    p["name"]: Param(p["name"], p["in"], p.get("type", "string"),
                                     bool(p.get("required")))
                    for p in op.get("parameters", [])
                }
                self.operations[path.lstrip("/")] = Operation(
                    path.lstrip("/"), verb.upper(), params,
                    op["responses"]["200"]["schema"], op["responses"]["default"]["schema"],
                )

    def knows(self, method: str) -> bool:
        return method in self.operations

    def check_request(self, method: str, args: dict[str, Any], bearer: bool) -> list[str]:
        """Problems with one call: unknown method, missing or unknown arguments, bad types."""
        op = self.operations.get(method)
        if op is None:
            return [] if method in ALLOWED_EXTRA_METHODS else [f"{method}: not in Slack's spec"]
        problems: list[str] = []
        if op.token_required and not bearer and "token" not in args:
            problems.append(f"{method}: no token (neither Authorization: Bearer nor token=)")
        required = {n for n, p in op.params.items() if p.required and n != "token"}
        for name in sorted((required | DOCUMENTED_REQUIRED.get(method, set())) - args.keys()):
            problems.append(f"{method}: required argument {name!r} missing")
        allowed = op.params.keys() | ALLOWED_EXTRA_ARGS.get(method, set())
        for name in sorted(args.keys() - allowed):
            problems.append(f"{method}: argument {name!r} is not in the spec nor allowlisted")
        for name, value in args.items():
            param = op.params.get(name)
            if param is not None and not _type_ok(param, value):
                problems.append(f"{method}: argument {name}={value!r} is not a {param.type}")
        return problems

    def check_response(self, method: str, body: dict[str, Any]) -> list[str]:
        """Problems with an answer of the fake: validated against the spec's own schema."""
        op = self.operations.get(method)
        if op is None:
            return []
        validator = self._validator(method, bool(body.get("ok")))
        body, tolerated = _newer_than_spec(method, body)
        return [
            f"{method} answer: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(body)
            if (tuple(e.absolute_path), e.validator) not in tolerated
        ]


    @cache  # noqa: B019 - one spec object per process, validators are costly to build
    def _validator(self, method: str, ok: bool) -> jsonschema.Draft4Validator:
        op = self.operations[method]
        schema = op.ok_schema if ok else op.error_schema
        return jsonschema.Draft4Validator({**schema, "definitions": self.definitions})


def _newer_than_spec(method: str, body: dict[str, Any]
                     ) -> tuple[dict[str, Any], set[tuple[tuple[Any, ...], str]]]:
    """The answer without what the 2020 spec cannot know, and the errors it wrongly makes:
    conversations.history's messages carry `metadata` (message metadata, 2022, asked for
    with include_all_metadata), and a channel without messages has none to list (the spec's
    minItems 1 cannot hold for a new channel)."""
    if method != "conversations.history" or not isinstance(body.get("messages"), list):
        return body, set()
    messages = [{k: v for k, v in m.items() if k != "metadata"} for m in body["messages"]]
    tolerated = {(("messages",), "minItems")} if not messages else set()
    return {**body, "messages": messages}, tolerated


def _type_ok(param: Param, value: Any) -> bool:
    if isinstance(value, str):
        text = value.strip().lower()
        if param.type == "boolean":
            return text in {"true", "false", "1", "0"}
        if param.type == "integer":
            return text.lstrip("-").isdigit()
        if param.type == "number":
            try:
                float(text)
            except ValueError:
                return False
        return True
    if isinstance(value, bool):
        return param.type == "boolean"
    if isinstance(value, int | float):
        return param.type in {"integer", "number"} or param.name in JSON_PARAMS
    return isinstance(value, dict | list) and param.name in JSON_PARAMS


@cache
def load_spec(path: Path = SPEC_PATH) -> SlackSpec:
    return SlackSpec(json.loads(path.read_text(encoding="utf-8")))
