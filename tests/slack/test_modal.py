"""Bare `/aktivera` opens the activation form; its submission is checked in the form and a
valid one activates through the same core path as the text command."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from slack_harness import Harness, open_form
from slack_requests import multi_select, select, signed_headers, text_input, view_submission_body

from bot.handlers.types import Origin, Reply


def values(*, forum: str | None = "samordnande", scenario: str | None = "ovader",
           title: str | None = "Snöstorm Gorm", description: str | None = None,
           actors: list[str] | None = None) -> dict[str, Any]:
    return {"forum": select(forum), "scenario": select(scenario), "title": text_input(title),
            "description": text_input(description), "actors": multi_select(actors or [])}


async def submit(bot: Harness, view_id: str, view: dict[str, Any],
                 state: dict[str, Any], who: str = "tib@lansstyrelsen") -> tuple[int, str]:
    body = view_submission_body(view_id, view, state, user=bot.user(who))
    status, answer, _ = await bot.post(body, signed_headers(body))
    await bot.settle()
    return status, answer


async def activations(bot: Harness) -> list[str]:
    async with bot.app.uow() as uow:
        return [a.id for a in await uow.activations.active()]


async def test_bare_aktivera_opens_a_valid_form_from_the_roster(bot: Harness) -> None:
    sent, _, view = await open_form(bot)  # the fake has checked the Block Kit limits
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert list(blocks) == ["forum", "scenario", "title", "description", "actors"]
    forums = [o["value"] for o in blocks["forum"]["element"]["options"]]
    assert "samordnande" in forums and "inriktande" in forums
    assert "veckokonferens" not in forums  # an ordinary-mode forum is not activated
    assert blocks["scenario"]["optional"] and blocks["description"]["element"]["multiline"]
    actors = blocks["actors"]["element"]
    assert actors["type"] == "multi_static_select"
    assert len(actors.get("options") or []) == len(bot.app.roster.actors)
    assert json.loads(view["private_metadata"])["response_url"] == bot.fake.response_url(sent.key)


async def test_missing_title_is_shown_in_the_form(bot: Harness) -> None:
    _, view_id, view = await open_form(bot)
    status, answer = await submit(bot, view_id, view, values(title="   "))
    assert status == 200
    ack = json.loads(answer)
    assert ack["response_action"] == "errors" and set(ack["errors"]) == {"title"}
    assert "rubrik" in ack["errors"]["title"].lower()
    assert await activations(bot) == []


async def test_missing_forum_is_shown_in_the_form(bot: Harness) -> None:
    _, view_id, view = await open_form(bot)
    _, answer = await submit(bot, view_id, view, values(forum=None))
    assert set(json.loads(answer)["errors"]) == {"forum"}


async def test_a_title_starting_with_a_scenario_name_stays_the_title(bot: Harness) -> None:
    """The form's choices go in as keys, not as text read again: without a chosen scenario,
    "Oväder i norr" is the title, not the scenario oväder with the title "i norr"."""
    _, view_id, view = await open_form(bot)
    _, answer = await submit(bot, view_id, view, values(scenario=None, title="Oväder i norr"))
    assert answer == ""
    async with bot.app.uow() as uow:
        act = await uow.activations.get("2026-001")
    assert act is not None and (act.scenario, act.title) == (None, "Oväder i norr")


async def test_every_ticked_actor_is_called_by_its_key(bot: Harness) -> None:
    """Länsstyrelsen and Stockholm ticked: "lansstyrelsen stockholm" as text is also the
    alias "Länsstyrelsen Stockholm"; as keys, Stockholm is called and Länsstyrelsen (already
    there) is named as already called — nobody is dropped."""
    sent, view_id, view = await open_form(bot)
    ticked = ["lansstyrelsen", "stockholm", "mcf", "smhi"]
    await submit(bot, view_id, view, values(actors=ticked))
    async with bot.app.uow() as uow:
        rows = await uow.participants.of_activation("2026-001")
    roster = bot.app.roster
    functions = {p.function for p in rows}
    for key in ticked:
        actor = roster.actor(key)
        assert f"{actor.fallback or actor.functions[0].key}@{key}" in functions, key
    answers = [a["text"] for a in bot.fake.responses_to(sent.key)]
    assert not any("redan kallade" in a and "Alla" in a for a in answers), answers


async def test_valid_submission_activates_with_actors_and_description(
        bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    sent, view_id, view = await open_form(bot)
    state = values(actors=["mcf"],  # not called by the forum nor the scenario
                   description="Röd varning för snöfall från SMHI; kraftiga vindar i natt.")
    handle = bot.app.service.handle_command

    async def slower(text: Any, origin: Origin) -> Reply:  # an ack first would come back
        await asyncio.sleep(0.3)                           # before the commit
        return await handle(text, origin)

    monkeypatch.setattr(bot.app.service, "handle_command", slower)
    body = view_submission_body(view_id, view, state, user=bot.user("tib@lansstyrelsen"))
    status, answer, _ = await bot.post(body, signed_headers(body))
    assert (status, answer) == (200, "")
    assert await activations(bot) == ["2026-001"], "recorded before the form is acknowledged"
    await bot.settle()
    async with bot.app.uow() as uow:
        act = await uow.activations.get("2026-001")
        reports = await uow.reports.of_event(act.event_id) if act else []
        called = {p.actor for p in await uow.participants.of_activation("2026-001")}
    assert act is not None and act.forum == "samordnande"
    assert "mcf" in called
    assert any("Röd varning" in r.text for r in reports)
    answers = bot.fake.responses_to(sent.key)
    assert "#2026-001" in answers[0]["text"] and len(answers) == 3
    assert await bot.war_room("2026-001")


async def test_the_same_submission_twice_activates_once(bot: Harness) -> None:
    _, view_id, view = await open_form(bot)
    await submit(bot, view_id, view, values())
    await submit(bot, view_id, view, values())
    assert await activations(bot) == ["2026-001"]
    assert len(bot.fake.calls_to("conversations.create")) == 1


async def test_two_forms_with_the_same_title_activate_once(bot: Harness) -> None:
    """Two officers (or a double click on two forms): the second is refused with a pointer."""
    _, first_id, first = await open_form(bot)
    sent = await bot.command("tib@botkyrka", "/aktivera", channel=bot.channels["samordnande"])
    await bot.settle()
    second_id, second = next((k, v) for k, v in bot.fake.ws.views.items() if k != first_id)
    await submit(bot, first_id, first, values())
    await submit(bot, second_id, second, values(title="snöstorm  GORM"), who="tib@botkyrka")
    assert await activations(bot) == ["2026-001"]
    assert len(bot.fake.calls_to("conversations.create")) == 1
    answers = [a["text"] for a in bot.fake.responses_to(sent.key)]
    assert any("#2026-001" in a and "--ny samordnande" in a for a in answers), answers


async def test_expired_trigger_is_told_in_swedish(bot: Harness) -> None:
    bot.fake.fail_next("views.open", "expired_trigger_id")
    sent = await bot.command("tib@lansstyrelsen", "/aktivera", channel=bot.channels["samordnande"])
    await bot.settle()
    (answer,) = bot.fake.responses_to(sent.key)
    assert answer["response_type"] == "ephemeral" and "i tid" in answer["text"]
