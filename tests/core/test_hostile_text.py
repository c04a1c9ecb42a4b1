"""Hostile text — HTML, Markdown, mention spam, 100 kB, control, zero-width and
right-to-left characters — is stored verbatim and rendered inert on every platform: Matrix
(`body`, `formatted_body`, `m.mentions`), Slack (`text`, no blocks) and the terminal."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest

from bot.bootstrap import App
from bot.domain.record import EntryKind
from bot.platforms.console.platform import ConsolePlatform
from bot.platforms.matrix.render import CHUNK_CHARS, notice
from bot.platforms.slack.render import MESSAGE_LIMIT, chunks, to_mrkdwn
from tests.core.conftest import say

TIB = "tib@lansstyrelsen"
HOSTILE: list[tuple[str, str]] = [
    ("html", "<script>alert(1)</script><img src=x onerror=alert(2)><b>fet</b>"),
    ("link", "<a href=\"javascript:alert(1)\">klicka</a> [länk](javascript:alert(3))"),
    ("markdown", "Rubrik\n# Rubrik\n**fet** _kursiv_ `kod` ![bild](https://evil.example/x.png)"),
    ("mentions", "@room @everyone @channel @here <!channel> <!here|here> <!everyone>"),
    ("control", "före\x1b[2J\x1b[31mröd\x07\x08\rskriv över\x7f\x00 efter"),
    ("zero-width", "noll\u200bbredd\u200c\u200d\ufeff\u2060tecken"),
    ("rtl", "\u202eexe.fdp\u202c \u200fהודעה\u200e \u2066isolerad\u2069"),
    ("big", "Läget: " + "snö och is på vägarna <&> " * 4_000),  # ~100 kB
]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(("name", "text"), HOSTILE, ids=[n for n, _ in HOSTILE])
async def test_stored_verbatim(app: App, name: str, text: str) -> None:
    await say(app, TIB, "aktivera samordnande Snöstorm Gorm")
    for command in (f"läge {text}", f"budskap {text}", f"beslut {text}"):
        reply = await say(app, TIB, command)
        assert reply.ok, (name, reply.text[:200])
    async with app.uow() as uow:
        act = await uow.activations.get("2026-001")
        assert act is not None
        reports = await uow.reports.of_event(act.event_id)
        messages = await uow.messages.of_event(act.event_id)
        decisions = await uow.decisions.of_event(act.event_id)
        entries = await uow.timeline.of_event(act.event_id)
    stripped = text.strip().replace("\x00", "\ufffd")  # NUL: no database stores it
    assert [r.text for r in reports] == [stripped]
    assert [m.text for m in messages] == [stripped]
    assert [d.text for d in decisions] == [stripped]
    assert any(e.kind is EntryKind.REPORT and e.text == stripped for e in entries)


@pytest.mark.parametrize(("name", "text"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_matrix_is_inert(app: App, name: str, text: str) -> None:
    for chunk in _chunks(text, CHUNK_CHARS):
        content = notice(chunk, app.roster)
        html = content["formatted_body"]
        # Only markdown's own tags; a link only to http(s) (a shared URL is a link, as the
        # writer meant), never javascript: or the like.
        assert not re.search(r"<(script|img|iframe|style|b)\b|<a href=\"(?!https?://)",
                             html), html[:300]
        assert content["m.mentions"] == {"user_ids": []}  # no @room, nobody notified
        assert "room" not in content["m.mentions"]
        assert content["body"] == chunk  # the plain body is the text itself
        assert len(str(content).encode()) < 65_536  # fits one Matrix event
    if name == "html":
        assert "&lt;script&gt;" in notice(text, app.roster)["formatted_body"]
    if name == "markdown":
        assert "<strong>fet</strong>" in notice(text, app.roster)["formatted_body"]


@pytest.mark.parametrize(("name", "text"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_slack_is_inert(name: str, text: str) -> None:
    rendered = to_mrkdwn(text, {})
    assert not re.search(r"<[!#@]", rendered), rendered[:300]  # no <!channel>, <@U…>, <#C…>
    assert all(part.startswith(("https://", "http://")) for part in re.findall(
        r"<([^>]*)>", rendered)), rendered[:300]  # every other angle bracket escaped
    parts = chunks(rendered)
    assert all(len(p) <= MESSAGE_LIMIT for p in parts)
    assert "".join(parts).replace("\n", "") == rendered.replace("\n", "")


@pytest.mark.parametrize(("name", "text"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_terminal_is_inert(app: App, name: str, text: str) -> None:
    out = io.StringIO()
    ConsolePlatform(app.roster, app.uow, out).emit("krisrum", text)
    shown = out.getvalue()
    assert not CONTROL.search(shown.replace("\n", "")), repr(shown[:300])
    assert all(unicodedata.category(c) != "Cc" for c in shown if c not in "\n\t")
    if name == "control":
        assert "\\u001b[2J" in shown and "\\u0000" in shown  # shown, not obeyed


def _chunks(text: str, limit: int) -> list[str]:
    from bot.platforms.common import chunk_text

    return list(chunk_text(text, limit)) or [""]
