"""Rendering and command recognition, without a homeserver."""

from __future__ import annotations

import pytest

from bot.platforms.common import (
    chunk_text,
    markdown_to_html,
    mentioned_keys,
    replace_mentions,
)
from bot.platforms.matrix.client import creator_has_implicit_power
from bot.platforms.matrix.commands import command_text, is_edit
from bot.platforms.matrix.render import notice
from bot.roster.loader import default_roster_path, load_roster


@pytest.mark.parametrize(("body", "text"), [
    ("!aktivera samordnande oväder Snöstorm Gorm", "aktivera samordnande oväder Snöstorm Gorm"),
    ("  !kvittera", "kvittera"),
    ("!samverkan läge Många olyckor", "läge Många olyckor"),
    ("!Samverkan", "hjälp"),
    ("/aktivera samordnande Storm", "aktivera samordnande Storm"),
    ("//aktivera samordnande Storm", "aktivera samordnande Storm"),
    ("/samverkan status", "status"),
    ("!läge rad ett\nrad två", "läge rad ett\nrad två"),
])
def test_commands_are_recognised(body: str, text: str) -> None:
    assert command_text(body) == text


@pytest.mark.parametrize("body", ["hej alla", "/home/user/fil", "! inte ett kommando",
                                  "> <@a:b> !aktivera citat", "", "/me vinkar"])
def test_other_messages_are_not_commands(body: str) -> None:
    assert command_text(body) is None


def test_edits_are_recognised() -> None:
    assert is_edit({"content": {"m.relates_to": {"rel_type": "m.replace", "event_id": "$x"}}})
    assert not is_edit({"content": {"m.relates_to": {"m.in_reply_to": {"event_id": "$x"}}}})


def test_markdown_escapes_user_html_and_renders_mentions() -> None:
    html = markdown_to_html('**Läge** <script>alert(1)</script> & "q" <@tib-1>\n- a\n- b',
                            lambda key: f'<a href="x">{key}</a>')
    assert "<strong>Läge</strong>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html and "&amp;" in html
    assert '<a href="x">tib-1</a>' in html and "<li>b</li>" in html
    assert "[l](javascript:alert(1))" in markdown_to_html("[l](javascript:alert(1))")


def test_mentions_found_and_replaced() -> None:
    text = "Till <@a-1> och <@b.2>, igen <@a-1>"
    assert mentioned_keys(text) == ["a-1", "b.2"]
    assert replace_mentions(text, str.upper) == "Till A-1 och B.2, igen A-1"


def test_chunks_respect_the_limit_and_keep_everything() -> None:
    text = "\n".join(f"- rad {i} " + "x" * (i % 50) for i in range(500)) + "\n" + "y" * 2500
    chunks = list(chunk_text(text, 1000))
    assert all(len(c) <= 1000 for c in chunks) and len(chunks) > 5
    assert "".join(chunks).replace("\n", "") == text.replace("\n", "")
    assert list(chunk_text("kort", 1000)) == ["kort"]
    with pytest.raises(ValueError):
        list(chunk_text("x", 0))


def test_notice_has_pills_mentions_and_plain_body() -> None:
    roster = load_roster(default_roster_path())
    person = roster.people[0]
    content = notice(f"Kallad: <@{person.key}> <i>x</i>", roster, reply_to="$cmd")
    assert content["msgtype"] == "m.notice"
    assert content["body"] == f"Kallad: {person.name} <i>x</i>"
    assert f'<a href="https://matrix.to/#/{person.matrix_id}">' in content["formatted_body"]
    assert "&lt;i&gt;" in content["formatted_body"]
    assert content["m.mentions"] == {"user_ids": [person.matrix_id]}
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": "$cmd"}}


@pytest.mark.parametrize(("version", "implicit"), [
    ("12", True), ("13", True), ("11", False), ("10", False), ("1", False),
    ("org.matrix.hydra.11", True), ("org.matrix.msc2176", False),
])
def test_room_versions_with_implicit_creator_power(version: str, implicit: bool) -> None:
    assert creator_has_implicit_power(version) is implicit
