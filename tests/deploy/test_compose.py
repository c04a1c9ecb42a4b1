"""compose.yaml is a valid Compose file (checked against the Compose Specification's JSON
schema, kept in tests/deploy/data with its source) and its parts agree with each other and
with the bot: the demo-setup command parses, the homeserver's name is the roster's, images
are pinned, and no secret is written into the file except as a demo default."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.cli import _parser
from bot.roster.loader import default_roster_path, load_roster

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_compose_file_is_valid_against_the_specification(compose: dict[str, Any]) -> None:
    schema = json.loads((DATA / "compose-spec.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(compose), key=str)
    assert not errors, [e.message for e in errors]


def test_the_schema_check_catches_a_broken_file() -> None:
    schema = json.loads((DATA / "compose-spec.json").read_text(encoding="utf-8"))
    broken = {"services": {"bot": {"image": "x", "ports": "8080:8080", "restart": 3}}}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


def test_every_image_is_pinned_and_the_bot_is_built_here(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, service in services.items():
        image = service.get("image", "")
        assert ":" in image and not image.endswith(":latest"), name
    assert services["demo-setup"]["build"] == "."
    assert services["bot"]["image"] == services["demo-setup"]["image"]


def test_the_demo_setup_command_is_one_the_bot_knows(compose: dict[str, Any]) -> None:
    command = compose["services"]["demo-setup"]["command"]
    args = _parser().parse_args(command)
    assert (args.cmd, args.demo_cmd, str(args.secret_file)) == (
        "demo", "matrix", "/synapse/homeserver.yaml")


def test_the_homeserver_is_the_one_of_the_roster(compose: dict[str, Any]) -> None:
    services = compose["services"]
    server = services["synapse-init"]["environment"]["SYNAPSE_SERVER_NAME"]
    bot_user = services["bot"]["environment"]["SAMVERKAN_MATRIX__USER_ID"]
    assert bot_user.endswith(":" + server)
    assert services["demo-setup"]["environment"]["SAMVERKAN_MATRIX__USER_ID"] == bot_user
    roster = load_roster(default_roster_path())
    aliases = [f.standing_room.matrix for f in roster.forums if f.standing_room.matrix]
    assert aliases and all(alias.endswith(":" + server) for alias in aliases)
    people = [p.matrix_id for p in roster.people if p.matrix_id]
    assert people and all(mxid.endswith(":" + server) for mxid in people)


def test_secrets_come_from_the_environment(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if any(word in key for word in ("PASSWORD", "SECRET", "TOKEN")):
                assert str(value).startswith("${"), (name, key)
    element = json.loads((ROOT / "deploy" / "element-config.json").read_text(encoding="utf-8"))
    server = element["default_server_config"]["m.homeserver"]
    assert server["server_name"] == "samverkan.test"
    assert server["base_url"] == "http://localhost:8008"
