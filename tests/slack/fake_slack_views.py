"""Block Kit limits for the modals the app opens (the 2020 spec models `view` as a plain
string, so it cannot check it). Limits from Slack's Block Kit reference (views, input block,
plain_text_input, static_select, multi_static_select, option and option group objects)."""

from __future__ import annotations

from typing import Any

INPUT_ELEMENTS = {"plain_text_input", "static_select", "multi_static_select"}
BLOCK_TYPES = {"section", "divider", "input", "context", "header"}


def _text(where: str, obj: Any, limit: int, kinds: tuple[str, ...] = ("plain_text",)) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        return [f"{where}: must be a {'/'.join(kinds)} text object"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"{where}: empty text"]
    return [f"{where}: {len(text)} > {limit} characters"] if len(text) > limit else []


def _options(where: str, options: Any) -> list[str]:
    if not isinstance(options, list) or not 1 <= len(options) <= 100:
        return [f"{where}: needs 1..100 options"]
    problems: list[str] = []
    values = [o.get("value") for o in options if isinstance(o, dict)]
    if len(values) != len(set(values)):
        problems.append(f"{where}: duplicate option values")
    for i, option in enumerate(options):
        problems += _text(f"{where}[{i}].text", option.get("text"), 75)
        value = option.get("value")
        if not isinstance(value, str) or not 1 <= len(value) <= 150:
            problems.append(f"{where}[{i}].value: 1..150 characters")
    return problems


def _select(where: str, element: dict[str, Any]) -> list[str]:
    problems = []
    if "placeholder" in element:
        problems += _text(f"{where}.placeholder", element["placeholder"], 150)
    if ("options" in element) == ("option_groups" in element):
        return [*problems, f"{where}: exactly one of options / option_groups"]
    if "options" in element:
        return problems + _options(f"{where}.options", element["options"])
    groups = element["option_groups"]
    if not isinstance(groups, list) or not 1 <= len(groups) <= 100:
        return [*problems, f"{where}.option_groups: needs 1..100 groups"]
    for i, group in enumerate(groups):
        problems += _text(f"{where}.option_groups[{i}].label", group.get("label"), 75)
        problems += _options(f"{where}.option_groups[{i}].options", group.get("options"))
    return problems


def _element(where: str, element: Any) -> list[str]:
    if not isinstance(element, dict) or element.get("type") not in INPUT_ELEMENTS:
        return [f"{where}: unsupported element {element!r:.60}"]
    problems = []
    action_id = element.get("action_id")
    if not isinstance(action_id, str) or not 1 <= len(action_id) <= 255:
        problems.append(f"{where}.action_id: 1..255 characters")
    if element["type"] == "plain_text_input":
        if "placeholder" in element:
            problems += _text(f"{where}.placeholder", element["placeholder"], 150)
        if int(element.get("max_length", 3000)) > 3000:
            problems.append(f"{where}.max_length: at most 3000")
        return problems
    return problems + _select(where, element)


def _block(i: int, block: Any) -> list[str]:
    where = f"blocks[{i}]"
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        return [f"{where}: unsupported block"]
    problems = []
    if len(str(block.get("block_id", ""))) > 255:
        problems.append(f"{where}.block_id: at most 255 characters")
    if block["type"] == "input":
        problems += _text(f"{where}.label", block.get("label"), 2000)
        problems += _element(f"{where}.element", block.get("element"))
        if "hint" in block:
            problems += _text(f"{where}.hint", block["hint"], 2000)
    elif block["type"] == "section":
        problems += _text(f"{where}.text", block.get("text"), 3000, ("plain_text", "mrkdwn"))
    return problems


def view_problems(view: Any) -> list[str]:
    """Every violation of the modal limits; empty when Slack would accept the view."""
    if not isinstance(view, dict) or view.get("type") != "modal":
        return ["view: must be an object of type 'modal'"]
    problems = _text("view.title", view.get("title"), 24)
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not 1 <= len(blocks) <= 100:
        return [*problems, "view.blocks: needs 1..100 blocks"]
    for key in ("submit", "close"):
        if key in view:
            problems += _text(f"view.{key}", view[key], 24)
    has_input = any(b.get("type") == "input" for b in blocks if isinstance(b, dict))
    if has_input and "submit" not in view:
        problems.append("view.submit: required when the view has input blocks")
    if len(str(view.get("callback_id", ""))) > 255:
        problems.append("view.callback_id: at most 255 characters")
    if len(str(view.get("private_metadata", ""))) > 3000:
        problems.append("view.private_metadata: at most 3000 characters")
    ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    if len(ids) != len(set(ids)):
        problems.append("view.blocks: duplicate block_id")
    for i, block in enumerate(blocks):
        problems += _block(i, block)
    return problems
