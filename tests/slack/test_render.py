"""Light Markdown → mrkdwn, channel names, chunks."""

from __future__ import annotations

import re

import pytest

from bot.platforms.slack.render import (
    CHANNEL_NAME_MAX,
    channel_name,
    chunks,
    to_mrkdwn,
    with_suffix,
)

SLACK_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")


def test_bold_italic_lists_links_and_mentions() -> None:
    text = ("**Beslut 1** av <@lst-tib-1>: *preliminärt*\n- skolor stängs\n"
            "- se [SMHI](https://www.smhi.se/varningar) & <@okand>")
    out = to_mrkdwn(text, {"lst-tib-1": "<@U0001>", "okand": "Ada <Okänd>"})
    assert out == ("*Beslut 1* av <@U0001>: _preliminärt_\n• skolor stängs\n"
                   "• se <https://www.smhi.se/varningar|SMHI> &amp; Ada &lt;Okänd&gt;")


def test_user_text_cannot_inject_mentions_or_links() -> None:
    out = to_mrkdwn("läge <!channel> <https://evil|klicka> 3 < 4", {})
    assert "<!channel>" not in out and "<https://evil" not in out
    assert out == "läge &lt;!channel&gt; &lt;https://evil|klicka&gt; 3 &lt; 4"


@pytest.mark.parametrize(("name", "expected"), [
    ("2026-004 Snöstorm Gorm", "akt-2026-004-snostorm-gorm"),
    ("2026-010 Åska över Älvsjö/Årsta!", "akt-2026-010-aska-over-alvsjo-arsta"),
    ("2026-011 Café Noël — strejk", "akt-2026-011-cafe-noel-strejk"),
    ("2026-012 ???", "akt-2026-012"),
])
def test_channel_names_follow_slack_rules(name: str, expected: str) -> None:
    assert channel_name(name) == expected
    assert SLACK_NAME.match(expected)


def test_long_names_and_suffixes_stay_within_80() -> None:
    long = channel_name("2026-013 " + "Mycket lång rubrik om översvämning " * 5)
    assert len(long) <= CHANNEL_NAME_MAX and SLACK_NAME.match(long)
    taken = with_suffix(long, 12)
    assert taken.endswith("-12") and len(taken) <= CHANNEL_NAME_MAX and SLACK_NAME.match(taken)


def test_chunks_split_on_lines_and_cut_long_lines() -> None:
    text = "\n".join(f"rad {i} " + "x" * 50 for i in range(200))
    parts = chunks(text, limit=1000)
    assert all(len(p) <= 1000 for p in parts)
    assert "\n".join(parts) == text
    long_line = "y" * 2500
    assert [len(p) for p in chunks(long_line, limit=1000)] == [1000, 1000, 500]
