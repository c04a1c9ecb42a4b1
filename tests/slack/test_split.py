"""Long answers split for Slack: every token (entity, mention, channel link, special, link,
code span) placed at every position around the limit, and every part checked: within the
limit, no token broken, nothing lost, order kept (issue 9)."""

from __future__ import annotations

import re

import pytest
from slack_harness import Harness

from bot.platforms.slack.render import MESSAGE_LIMIT, chunks, to_mrkdwn
from bot.platforms.slack.reply import RESPONSE_URL_USES, TRUNCATED, Replier
from bot.platforms.slack.split import split_mrkdwn

LIMIT = 60
# Tokens as they stand in rendered mrkdwn; none may ever be cut.
TOKENS = {
    "amp": "&amp;",
    "lt": "&lt;",
    "gt": "&gt;",
    "mention": "<@U0123456789>",
    "channel link": "<#C0123456789|akt-2026-001>",
    "special": "<!channel>",
    "link": "<https://www.smhi.se/varningar?a=1&amp;b=2|SMHI varningar>",
    "link with _": "<https://krisinformation.se/hand_elser|läs mer>",
    "code": "`läge &amp; beslut`",
    "bold": "*Beslut 1*",
}
FILLERS = {"no spaces": "x" * 8000, "words": "ord " * 2000, "lines": "rad\n" * 2000,
           "underscores": "snake_case " * 800}
_PAIRED = re.compile(r"<[^<>]*>")
_BAD_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")


def check(text: str, parts: list[str], limit: int) -> None:
    assert parts and all(0 < len(p) <= limit for p in parts), [len(p) for p in parts]
    at = 0  # nothing lost, order kept: the parts are the text, minus line breaks between
    for part in parts:
        while text[at] == "\n" and not part.startswith("\n"):
            at += 1
        assert text.startswith(part, at), (at, part)
        at += len(part)
    assert text[at:].strip() == ""
    for part in parts:
        assert not _BAD_ENTITY.search(part), part  # `&` only as a whole entity
        assert "<" not in _PAIRED.sub("", part) and ">" not in _PAIRED.sub("", part), part
        assert part.count("`") % 2 == 0, part
    for token in TOKENS.values():
        assert sum(p.count(token) for p in parts) == text.count(token), token


@pytest.mark.parametrize("limit", [LIMIT, MESSAGE_LIMIT])
@pytest.mark.parametrize("filler", FILLERS.values(), ids=FILLERS.keys())
@pytest.mark.parametrize("token", TOKENS.values(), ids=TOKENS.keys())
def test_no_token_is_cut_at_any_position_near_the_limit(token: str, filler: str,
                                                        limit: int) -> None:
    """The token starts at every offset from wholly inside the first part to just past it;
    a second copy sits near the end of the second part."""
    for before in range(limit - len(token) - 2, limit + 2):
        text = filler[:before] + token + filler[:limit - 7] + token + " slut"
        check(text, split_mrkdwn(text, limit), limit)


def test_tokens_back_to_back_are_cut_only_between_them() -> None:
    run = "".join(TOKENS.values()) * 3
    for shift in range(12):
        text = "x" * shift + run
        check(text, split_mrkdwn(text, LIMIT), LIMIT)


def test_a_token_longer_than_a_message_is_cut_but_never_inside_an_entity() -> None:
    code = "`" + "a &amp; b " * 20 + "`"
    for shift in range(8):
        parts = split_mrkdwn("x" * shift + code, LIMIT)
        assert all(len(p) <= LIMIT and not _BAD_ENTITY.search(p) for p in parts)
        assert "".join(parts) == "x" * shift + code


@pytest.mark.parametrize("char", ["&", "<", ">"])
def test_a_3600_character_report_at_the_real_limit(char: str) -> None:
    """The case of the issue: a long line whose `&`, `<` or `>` lands on Slack's limit."""
    for before in range(MESSAGE_LIMIT - 6, MESSAGE_LIMIT + 2):
        report = "a" * before + char + "b" * (3600 - before - 1)
        text = to_mrkdwn(report, {})
        parts = chunks(text)
        check(text, parts, MESSAGE_LIMIT)
        assert len(parts) == 2


def test_too_small_a_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        split_mrkdwn("&amp;", 4)


async def test_a_reply_beyond_five_messages_ends_within_the_limit(bot: Harness) -> None:
    replier = Replier(bot.platform.directory, bot.app.uow)
    long = "\n".join(f"rad {n} & <{n}> " + "x" * 70 for n in range(400))
    parts = await replier.render(long)
    assert len(parts) == RESPONSE_URL_USES and parts[-1].endswith(TRUNCATED)
    assert all(len(p) <= MESSAGE_LIMIT and not _BAD_ENTITY.search(p) for p in parts)
