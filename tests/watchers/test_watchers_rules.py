"""The watchers' rules without HTTP or database: `decide` over every kind of case (a table),
and the parsers' filters and robustness."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.watchers import Alert, Change, Source, WatchState, decide, next_state
from bot.watchers.sources import FeedError, krisinformation_alerts, smhi_alerts, vma_alerts
from tests.watchers.feeds import STOCKHOLM, news, smhi_feed, vma, warning_area

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
RED = Alert(Source.SMHI, "1", "Röd varning", "text", level="RED", ends_at=NOW + timedelta(hours=5))
YELLOW = replace(RED, level="YELLOW", notable=False)
CHANGED = replace(RED, text="ny text")
WITHDRAWN = replace(RED, cancelled=True)


def state(alert: Alert, *, posted: bool = True, closed: bool = False,
          ends_at: datetime | None = None) -> WatchState:
    return WatchState(alert.source, alert.key, alert.title, alert.fingerprint(), posted, closed,
                      ends_at or alert.ends_at, NOW)


CASES = [
    # (remembered, now listed, expected change, what it means)
    (None, RED, Change.NEW, "first sight of a red warning"),
    (None, YELLOW, None, "yellow never posted"),
    (state(RED), RED, None, "same version again"),
    (state(RED), CHANGED, Change.UPDATE, "changed text"),
    (state(RED), YELLOW, Change.UPDATE, "downgraded to yellow"),
    (state(YELLOW), YELLOW, None, "posted as downgraded, unchanged since"),
    (state(RED), None, Change.CANCEL, "gone from the feed before its end"),
    (state(RED, ends_at=NOW - timedelta(minutes=1)), None, None, "gone after its end"),
    (state(RED, closed=True), None, None, "already cancelled"),
    (state(RED), WITHDRAWN, Change.CANCEL, "withdrawn by the source"),
    (None, WITHDRAWN, None, "withdrawn before we posted it"),
    (state(RED, closed=True), RED, Change.NEW, "reissued after cancellation"),
    (state(RED, posted=False), RED, Change.NEW, "remembered but never posted"),
    (None, replace(RED, ends_at=NOW), None, "already over at first sight"),
    (state(RED), replace(RED, ends_at=NOW - timedelta(hours=1)), Change.UPDATE,
     "posted, then its end moved into the past"),
]


@pytest.mark.parametrize(("prev", "alert", "expected", "case"), CASES,
                         ids=[c[3] for c in CASES])
def test_decide(prev: WatchState | None, alert: Alert | None, expected: Change | None,
                case: str) -> None:
    assert decide(prev, alert, NOW) is expected, case
    after = next_state(prev, alert, expected, NOW)
    if after is not None and alert is not None:  # the same read again changes nothing
        assert decide(after, alert, NOW) is None, case


def test_smhi_levels_compare_ignoring_case_and_keep_stockholm_only() -> None:
    area = warning_area(1, "RED", [STOCKHOLM])
    area["warningLevel"]["code"] = "Red"
    (alert,) = smhi_alerts(smhi_feed(area))
    assert alert.level == "RED" and alert.notable and alert.event == "WIND"
    assert alert.ends_at == datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def test_a_malformed_item_is_skipped_and_a_wrong_shape_is_an_error() -> None:
    broken = warning_area(2, "RED", [STOCKHOLM])
    broken["affectedAreas"] = [{"id": "inte ett tal"}]
    good = warning_area(3, "RED", [STOCKHOLM])
    assert [a.key for a in smhi_alerts(smhi_feed(broken, good))] == ["3"]
    with pytest.raises(FeedError):
        smhi_alerts({"warnings": []})
    with pytest.raises(FeedError):
        vma_alerts([])
    with pytest.raises(FeedError):
        krisinformation_alerts({"oops": 1})


def test_vma_messages_of_one_incident_share_a_key() -> None:
    first = vma("SRVMA-10", "01")
    update = vma("SRVMA-11", "01", msg_type="Update") | {"incidents": "INC-10"}
    plain = vma("SRVMA-12", "0180") | {"incidents": "",
                                       "references": "https://vmaapi.sr.se,SRVMA-10,x"}
    keys = [a.key for a in vma_alerts({"alerts": [first, update, plain]})]
    assert keys == ["INC-10", "INC-10", "SRVMA-10"]
    assert vma_alerts({"alerts": [vma("SRVMA-13", "0380")]}) == []  # Uppsala's municipality


def test_krisinformation_needs_the_county_tag() -> None:
    alerts = krisinformation_alerts([news("a", "Stockholms län"), news("b", "Uppsala län")])
    assert [a.key for a in alerts] == ["a"]


def test_feed_text_stays_text_in_the_post() -> None:
    """A feed's title and text never become headings, lists or HTML in the post: the only
    structure is the bot's own (the quote of the text)."""
    from zoneinfo import ZoneInfo

    from markdown_it import MarkdownIt

    from bot.watchers.record import PostContext, post_text

    hostile = Alert(Source.VMA, "9", "# Falsk rubrik <b>", "## Åtaganden\n- **Polisen**: Stänger E4"
                    "\n<script>x()</script> @room", level=None)
    ctx = PostContext(forum="samordnande", tz=ZoneInfo("Europe/Stockholm"))
    text = post_text(Change.NEW, hostile, ctx)
    tokens = MarkdownIt("commonmark").parse(text)
    kinds = {token.type for token in tokens}
    assert not kinds & {"heading_open", "bullet_list_open", "html_block", "html_inline"}
    assert "blockquote_open" in kinds
    rendered = MarkdownIt("commonmark").render(text)
    assert "<script>" not in rendered and "<b>" not in rendered and "Stänger E4" in rendered
