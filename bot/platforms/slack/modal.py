"""The activation form that bare `/aktivera` opens: the view, and reading a submission.

Everything here is pure and fast: a submission is read and checked *before* `ack()` (Slack
shows our errors next to the fields only in the ack), so nothing here may do I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from bot.domain.roster import Mode, Roster
from bot.grammar.commands import Activate, Call, Command, Report, Target
from bot.grammar.words import report_fields
from bot.platforms.slack import texts

CALLBACK_ID = "samverkan_aktivera"
FORUM, SCENARIO, TITLE, DESCRIPTION, ACTORS = "forum", "scenario", "title", "description", "actors"
ACTION = "value"
TITLE_MAX = 150
OPTIONS_MAX = 100  # per select and per option group (Block Kit)


@dataclass(frozen=True)
class Form:
    forum: str | None
    scenario: str | None
    title: str
    description: str
    actors: list[str] = field(default_factory=list)

    def command(self) -> Command:
        """`aktivera` with the chosen keys (check with `validate` first)."""
        return Command("aktivera", Activate(self.forum, self.scenario, self.title))

    def follow_ups(self, activation_id: str) -> list[Command]:
        """`kalla` with the ticked actors' keys, then `läge` with the description."""
        out = []
        if self.actors:
            targets = tuple(Target(key) for key in dict.fromkeys(self.actors))
            out.append(Command("kalla", Call(targets), activation_id=activation_id))
        if self.description:
            report = Report(self.description, report_fields(self.description))
            out.append(Command("läge", report, activation_id=activation_id))
        return out


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(label, 75), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
           hint: str | None = None) -> dict[str, Any]:
    block = {"type": "input", "block_id": block_id, "label": _plain(label, 2000),
             "element": {**element, "action_id": ACTION}, "optional": optional}
    if hint:
        block["hint"] = _plain(hint, 2000)
    return block


def _actor_element(roster: Roster) -> dict[str, Any]:
    options = [(a.kind, _option(a.key, a.name)) for a in roster.actors]
    element: dict[str, Any] = {"type": "multi_static_select",
                               "placeholder": _plain(texts.MODAL_SELECT, 150)}
    if len(options) <= OPTIONS_MAX:
        element["options"] = [o for _, o in options]
        return element
    groups = []
    for kind, members in groupby(sorted(options, key=lambda ko: ko[0]), key=lambda ko: ko[0]):
        listed = [o for _, o in members]
        for start in range(0, len(listed), OPTIONS_MAX):
            groups.append({"label": _plain(kind.capitalize(), 75),
                           "options": listed[start:start + OPTIONS_MAX]})
    element["option_groups"] = groups[:OPTIONS_MAX]
    return element


def build_view(roster: Roster, metadata: dict[str, str]) -> dict[str, Any]:
    forums = [f for f in roster.forums if f.mode is Mode.ACTIVATED][:OPTIONS_MAX]
    blocks = [
        _input(FORUM, texts.MODAL_FORUM, {
            "type": "static_select", "placeholder": _plain(texts.MODAL_SELECT, 150),
            "options": [_option(f.key, f.name) for f in forums]}, hint=texts.MODAL_FORUM_HINT),
    ]
    if roster.scenarios:
        blocks.append(_input(SCENARIO, texts.MODAL_SCENARIO, {
            "type": "static_select", "placeholder": _plain(texts.MODAL_SELECT, 150),
            "options": [_option(s.key, s.name) for s in roster.scenarios[:OPTIONS_MAX]]},
            optional=True))
    blocks += [
        _input(TITLE, texts.MODAL_TITLE_FIELD, {
            "type": "plain_text_input", "max_length": TITLE_MAX,
            "placeholder": _plain(texts.MODAL_TITLE_PLACEHOLDER, 150)}),
        _input(DESCRIPTION, texts.MODAL_DESCRIPTION, {
            "type": "plain_text_input", "multiline": True, "max_length": 3000},
            optional=True, hint=texts.MODAL_DESCRIPTION_HINT),
        _input(ACTORS, texts.MODAL_ACTORS, _actor_element(roster), optional=True),
    ]
    return {
        "type": "modal", "callback_id": CALLBACK_ID,
        "title": _plain(texts.MODAL_TITLE, 24), "submit": _plain(texts.MODAL_SUBMIT, 24),
        "close": _plain(texts.MODAL_CLOSE, 24),
        "private_metadata": json.dumps(metadata), "blocks": blocks,
    }


def read_form(view: dict[str, Any]) -> Form:
    values: dict[str, Any] = (view.get("state") or {}).get("values") or {}

    def state(block: str) -> dict[str, Any]:
        found: dict[str, Any] = (values.get(block) or {}).get(ACTION) or {}
        return found

    def selected(block: str) -> str | None:
        option = state(block).get("selected_option")
        return str(option["value"]) if option else None

    return Form(
        forum=selected(FORUM),
        scenario=selected(SCENARIO),
        title=" ".join(str(state(TITLE).get("value") or "").split()),
        description=str(state(DESCRIPTION).get("value") or "").strip(),
        actors=[str(o["value"]) for o in state(ACTORS).get("selected_options") or []],
    )


def validate(form: Form, roster: Roster) -> dict[str, str]:
    """Errors by block id, as Slack shows them under the fields; empty when valid. The
    choices are roster keys and go to the core as keys (`Form.command`), never as text to be
    read again, so a title starting with a scenario's name stays a title."""
    errors: dict[str, str] = {}
    if form.forum is None:
        errors[FORUM] = texts.ERR_FORUM_MISSING
    elif form.forum not in roster.forums_by_key:
        errors[FORUM] = texts.ERR_FORUM_UNKNOWN
    if form.scenario is not None and form.scenario not in roster.scenarios_by_key:
        errors[SCENARIO] = texts.ERR_SCENARIO_UNKNOWN
    if not form.title:
        errors[TITLE] = texts.ERR_TITLE_MISSING
    elif len(form.title) > TITLE_MAX:
        errors[TITLE] = texts.ERR_TITLE_LONG.format(max=TITLE_MAX)
    unknown = [a for a in form.actors if a not in roster.actors_by_key]
    if unknown:
        errors[ACTORS] = texts.ERR_ACTORS_UNKNOWN.format(actors=", ".join(unknown))
    return errors
