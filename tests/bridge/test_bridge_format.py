"""How a relayed message is written (name, function and actor; line breaks, links and roster
mentions kept; whatever a hostile sender typed stays text on both platforms), and on which
platform a person on both is invited (the roster's `prefers`), table-driven."""

from __future__ import annotations

from functools import cache

import pytest
from markdown_it import MarkdownIt

from bot.domain.bridge import (
    Attachment,
    Incoming,
    Link,
    Mention,
    Part,
    Text,
    as_correction,
    compose,
    invite_here,
    mentioned,
    preferred,
    sender_label,
)
from bot.domain.roster import FunctionRef, Person, Roster
from bot.platforms.common import markdown_to_html
from bot.platforms.slack.render import to_mrkdwn
from bot.roster.checks import cross_check
from bot.roster.loader import default_roster_path, load_roster
from bot.texts.markup import plain

BOTH = ("matrix", "slack")


@cache
def roster() -> Roster:
    return load_roster(default_roster_path())


def _incoming(*parts: Part, files: tuple[Attachment, ...] = ()) -> Incoming:
    return Incoming(platform="matrix", room="!r", key="$e", message="$e", action="post",
                    person=None, sender="@x:hs", parts=parts, attachments=files)


def test_the_header_names_the_person_their_function_and_actor() -> None:
    person = next(p for p in roster().people if p.key.startswith("botkyrka-tib"))
    label = sender_label(roster(), person.key, [FunctionRef("tib", "botkyrka")], "@x")
    assert label == f"{person.name} (TiB Botkyrka)", label


def test_the_header_falls_back_to_roster_functions_then_the_platform_name() -> None:
    person = next(p for p in roster().people if p.key.startswith("botkyrka-tib"))
    assert "Botkyrka" in sender_label(roster(), person.key, [], "@x")
    assert sender_label(roster(), None, [], "@stranger:hs") == "@stranger:hs"
    assert sender_label(roster(), "nobody", [], "U123") == "U123"


def test_line_breaks_links_and_mentions_are_kept() -> None:
    person = roster().people[0]
    text = compose("Anna Berg (TiB Botkyrka)", _incoming(
        Text("Första raden\nandra raden, se "), Link("https://example.se/karta"),
        Text(" och "), Mention(person.key), Text("\n\nsista")))
    assert text.startswith("**Anna Berg (TiB Botkyrka):**\nFörsta raden\nandra raden")
    assert f"<@{person.key}>" in text and mentioned([Mention(person.key)]) == [person.key]
    html = markdown_to_html(text, lambda k: f"<pill {k}>")
    assert '<a href="https://example.se/karta">https://example.se/karta</a>' in html
    assert f"<pill {person.key}>" in html and html.count("<br") >= 3
    slack = to_mrkdwn(text, {person.key: "<@U1>"})
    assert "<https://example.se/karta|https://example.se/karta>" in slack
    assert "<@U1>" in slack and slack.startswith("*Anna Berg (TiB Botkyrka):*\n")
    assert slack.count("\n") == 4


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>", "<b>fet</b>", "**fet** _kursiv_ `kod`", "# rubrik",
    "- punkt", "1. lista", "> citat", "[länk](javascript:alert(1))",
    "![bild](http://evil.example/x.png)", "    kodblock", "&amp; &lt;b&gt;", "<@lst-tib-1>",
    "<!channel> <@U123>", "| a | b |\n|---|---|",
])
def test_hostile_markup_from_a_sender_stays_text(hostile: str) -> None:
    text = compose("Mallory", _incoming(Text(hostile)))
    tokens = MarkdownIt("commonmark").parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert kinds <= {"paragraph_open", "paragraph_close", "inline", "text", "strong_open",
                     "strong_close", "softbreak"}, kinds
    shown = plain(text).removeprefix("**Mallory:**").replace("\u00a0", " ")
    assert shown.replace("\u2060", "").strip() == hostile.strip()
    html = markdown_to_html(text, lambda k: f"PILL{k}")
    assert "<script" not in html and "<b>" not in html and "<a " not in html
    assert "<img" not in html and "<h1" not in html and "<li" not in html
    assert "<table" not in html and "<code" not in html and "<blockquote" not in html
    assert "PILL" not in html  # a typed `<@key>` is not a mention: only Mention parts are
    slack = to_mrkdwn(text, {})
    assert "<!channel>" not in slack and "<@U123>" not in slack and "<script" not in slack


def test_a_link_that_is_not_http_is_text_and_a_labelled_link_keeps_its_label() -> None:
    text = compose("A", _incoming(Link("javascript:alert(1)", "klicka"), Text(" "),
                                  Link("https://polisen.se", "Polisen [officiell]")))
    html = markdown_to_html(text)
    assert "javascript" not in html and "klicka" in html
    assert '<a href="https://polisen.se">Polisen [officiell]</a>' in html


def test_attachments_are_links_with_name_and_size() -> None:
    text = compose("A", _incoming(files=(Attachment("karta.pdf", "https://hs/dl/karta.pdf",
                                                    2_500_000),)))
    assert "[karta.pdf](https://hs/dl/karta.pdf)" in text and "2.5 MB" in text


def test_a_correction_is_marked_after_the_header() -> None:
    assert as_correction("**A:** ny text") == "**A:** ✏️ rättelse ny text"


def _person(**fields: str | None) -> Person:
    return Person(key="p", name="P", **fields)  # type: ignore[arg-type]


MX = {"matrix_id": "@p:hs"}
MAIL = {"email": "p@x.se"}
SLACK_ID = {"slack_id": "U1"}


@pytest.mark.parametrize(("fields", "configured", "expected"), [
    ({**MX, **MAIL}, BOTH, "matrix"),  # on both, no preference: Matrix (the default)
    ({**MX, **MAIL, "prefers": "slack"}, BOTH, "slack"),
    ({**MX, **SLACK_ID, "prefers": "slack"}, BOTH, "slack"),
    ({**MX, **MAIL, "prefers": "matrix"}, BOTH, "matrix"),
    ({**MX, **MAIL, "prefers": "slack"}, ("matrix",), None),  # only one configured
    ({**MX, **MAIL, "prefers": "matrix"}, ("slack",), None),
    ({**MAIL, "prefers": "slack"}, BOTH, None),  # only on Slack: invited there as always
    ({**MX}, BOTH, None),
    ({}, BOTH, None),
])
def test_the_preferred_platform(fields: dict[str, str], configured: tuple[str, ...],
                                expected: str | None) -> None:
    assert preferred(_person(**fields), configured) == expected


@pytest.mark.parametrize(("prefers", "platform", "invited"), [
    (None, "matrix", True), (None, "slack", False),
    ("slack", "matrix", False), ("slack", "slack", True),
    ("matrix", "matrix", True), ("matrix", "slack", False),
])
def test_each_adapter_invites_only_where_preferred(prefers: str | None, platform: str,
                                                   invited: bool) -> None:
    base = roster()
    person = base.people[0]
    data = base.model_dump()
    data["people"][0]["prefers"] = prefers
    changed = Roster.model_validate(data)
    wanted = invite_here(changed, [person.key, "unknown-key"], platform, BOTH)
    assert (person.key in wanted) is invited and "unknown-key" in wanted
    assert invite_here(changed, [person.key], platform, (platform,)) == [person.key]


def test_the_roster_refuses_a_preference_for_a_platform_the_person_is_not_on() -> None:
    data = roster().model_dump()
    data["people"][0].update(prefers="slack", email=None, slack_id=None)
    data["people"][1].update(prefers="matrix", matrix_id=None)
    issues = [(i.loc, i.message) for i in cross_check(Roster.model_validate(data))]
    assert any(path[-1] == "prefers" and "slack" in msg for path, msg in issues)
    assert any(path[-1] == "prefers" and "matrix" in msg for path, msg in issues)
    with pytest.raises(ValueError, match="prefers"):
        Roster.model_validate({**data, "people": [{**data["people"][2], "prefers": "teams"}]})
