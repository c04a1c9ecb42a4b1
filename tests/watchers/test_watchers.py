"""The watchers against a local fixture server: what is posted to the coordinating forum's
standing room, once; updates and cancellations; outages; restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest

from bot.bootstrap import App
from bot.domain.roster import FunctionRef
from bot.domain.watchers import Source
from bot.handlers.types import Origin
from bot.watchers.poller import Feed, Pace, Watcher
from bot.watchers.runtime import WatcherRuntime
from tests.scheduling.helpers import RecordingPlatform
from tests.watchers.conftest import make_app
from tests.watchers.feeds import (
    KRIS_PATH,
    SMHI_PATH,
    STOCKHOLM,
    UPPSALA,
    VASTRA_GOTALAND,
    VMA_PATH,
    FeedServer,
    news,
    smhi_feed,
    vma,
    warning_area,
)

# What these tests check does not depend on the database: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

FORUM = "samordnande"
FAST = Pace(interval=0.05, backoff_base=0.05, backoff_max=0.2)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as client:
        yield client


def watcher(app: App, feeds: FeedServer, session: aiohttp.ClientSession,
            source: Source = Source.SMHI) -> Watcher:
    path = {Source.SMHI: SMHI_PATH, Source.VMA: VMA_PATH, Source.KRISINFORMATION: KRIS_PATH}
    runtime = WatcherRuntime(app, app.settings.watchers)
    return Watcher(Feed(source, feeds.base + path[source]), session, runtime.record, FAST)


async def poll(app: App, w: Watcher) -> None:
    await w.poll_once()
    await app.relay.drain()


def forum_posts(chat: RecordingPlatform) -> list[str]:
    return chat.texts("forum", FORUM)


async def until(check: Callable[[], bool], limit: float = 10.0) -> None:
    """Wait (bounded) until `check()` holds; the watcher runs in its own task meanwhile."""
    async with asyncio.timeout(limit):
        while not check():  # noqa: ASYNC110 - polling a counter of another task
            await asyncio.sleep(0.02)


RED = warning_area(501, "RED", [STOCKHOLM, UPPSALA])
YELLOW = warning_area(502, "YELLOW", [STOCKHOLM])
ORANGE_ELSEWHERE = warning_area(503, "ORANGE", [VASTRA_GOTALAND])


async def test_red_stockholm_warning_is_posted_once_with_the_suggestion(
        app: App, chat: RecordingPlatform, feeds: FeedServer,
        session: aiohttp.ClientSession) -> None:
    feeds.set(SMHI_PATH, smhi_feed(RED, YELLOW, ORANGE_ELSEWHERE))
    w = watcher(app, feeds, session)
    for _ in range(3):
        await poll(app, w)
    posts = forum_posts(chat)
    assert len(posts) == 1, posts
    text = posts[0]
    assert text.startswith("⚠️ **Ny varning från SMHI** — Röd varning: Storm")
    assert "> Vad händer: Mycket kraftiga vindbyar, 35 m/s" in text
    assert "Gäller 2026-11-30 16:00 – 2026-12-01 07:00." in text  # Stockholm time
    command = "aktivera samordnande oväder Röd varning storm 2026-11-30"
    assert f"Förslag: `{command}`" in text
    assert all(p.room.kind == "forum" for p in chat.posts())  # nowhere else
    # The suggestion is ready: Länsstyrelsen's TiB can send it as it is.
    tib = app.roster.holder(FunctionRef.parse("tib@lansstyrelsen"), app.clock.now())
    reply = await app.service.handle(command, Origin("console", tib, user=tib))
    assert reply.ok, reply.text
    async with app.uow() as uow:
        (act,) = await uow.activations.active()
    assert (act.forum, act.scenario, act.title) == (
        "samordnande", "ovader", "Röd varning storm 2026-11-30")


@pytest.mark.parametrize("case", [
    ([YELLOW], "yellow in Stockholm"),
    ([ORANGE_ELSEWHERE], "orange in another county"),
    ([warning_area(504, "RED", [VASTRA_GOTALAND, UPPSALA])], "red in other counties"),
    ([warning_area(505, "MESSAGE", [STOCKHOLM])], "a message, not a warning"),
], ids=lambda case: case[1])
async def test_what_is_not_posted(app: App, chat: RecordingPlatform, feeds: FeedServer,
                                  session: aiohttp.ClientSession,
                                  case: tuple[list[dict[str, object]], str]) -> None:
    areas, why = case
    feeds.set(SMHI_PATH, smhi_feed(*areas))
    await poll(app, watcher(app, feeds, session))
    assert forum_posts(chat) == [], why


async def test_update_is_posted_as_update_and_withdrawal_as_cancelled(
        app: App, chat: RecordingPlatform, feeds: FeedServer,
        session: aiohttp.ClientSession) -> None:
    w = watcher(app, feeds, session)
    feeds.set(SMHI_PATH, smhi_feed(warning_area(601, "ORANGE", [STOCKHOLM])))
    await poll(app, w)
    feeds.set(SMHI_PATH, smhi_feed(warning_area(601, "RED", [STOCKHOLM],
                                                end="2026-12-01T12:00:00.000Z")))
    await poll(app, w)
    await poll(app, w)  # unchanged: nothing more
    feeds.set(SMHI_PATH, smhi_feed())
    await poll(app, w)
    await poll(app, w)
    posts = forum_posts(chat)
    assert [p.split(" — ")[0] for p in posts] == [
        "⚠️ **Ny varning från SMHI**", "⚠️ **Uppdaterad varning från SMHI**",
        "✅ **SMHI:s varning är borttagen**"]
    assert "Orange varning" in posts[0] and "Röd varning" in posts[1]
    assert "2026-12-01 13:00" in posts[1] and "aktivera samordnande oväder" in posts[1]
    assert "Röd varning" in posts[2] and "aktivera" not in posts[2]


async def test_downgraded_to_yellow_is_an_update_then_nothing(
        app: App, chat: RecordingPlatform, feeds: FeedServer,
        session: aiohttp.ClientSession) -> None:
    w = watcher(app, feeds, session)
    feeds.set(SMHI_PATH, smhi_feed(warning_area(701, "ORANGE", [STOCKHOLM])))
    await poll(app, w)
    feeds.set(SMHI_PATH, smhi_feed(warning_area(701, "YELLOW", [STOCKHOLM])))
    await poll(app, w)
    await poll(app, w)
    posts = forum_posts(chat)
    assert len(posts) == 2 and posts[1].startswith("⚠️ **Uppdaterad varning från SMHI** — Gul")
    assert "aktivera" not in posts[1]


async def test_restart_posts_nothing_twice(database_url: str, feeds: FeedServer,
                                           session: aiohttp.ClientSession) -> None:
    feeds.set(SMHI_PATH, smhi_feed(RED))
    feeds.set(VMA_PATH, {"alerts": [vma("SRVMA-77", "0183")]})
    seen: list[str] = []
    for _run in range(3):  # three lives of the bot on one database
        app = await make_app(database_url, feeds)
        chat = RecordingPlatform()
        app.add_platform(chat)
        try:
            for source in (Source.SMHI, Source.VMA):
                await poll(app, watcher(app, feeds, session, source))
            seen += forum_posts(chat)
        finally:
            await app.close()
    assert len(seen) == 2, seen
    assert seen[0].startswith("⚠️ **Ny varning från SMHI**") and seen[1].startswith("📢 **VMA**")


async def test_outage_mid_poll_backs_off_and_recovers(
        app: App, chat: RecordingPlatform, feeds: FeedServer,
        session: aiohttp.ClientSession) -> None:
    feeds.set(SMHI_PATH, smhi_feed(warning_area(801, "ORANGE", [STOCKHOLM])))
    w = watcher(app, feeds, session)
    task = asyncio.create_task(w.run())
    try:
        await until(lambda: len(forum_posts(chat)) == 1)
        feeds.cut_next = 1  # the next answer breaks off half-way
        feeds.fail_next = 1  # then one 500
        await until(lambda: w.failures >= 2)
        await feeds.stop()  # then the server is gone: connection refused
        failures = w.failures
        await until(lambda: w.failures >= failures + 2)
        assert not task.done() and w.last_error is not None
        feeds.set(SMHI_PATH, smhi_feed(warning_area(801, "RED", [STOCKHOLM])))
        await feeds.start()  # back on the same port
        await until(lambda: len(forum_posts(chat)) == 2)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert w.last_error is None and w.failures >= 4
    waits = list(w.waits)  # jittered exponential back-off, capped at backoff_max
    assert len(waits) == min(w.failures, 32) and all(0 <= x <= FAST.backoff_max for x in waits)
    assert len(set(waits)) > 1
    assert forum_posts(chat)[1].startswith("⚠️ **Uppdaterad varning från SMHI** — Röd")
    assert len(forum_posts(chat)) == 2  # nothing posted twice, nothing cancelled by the outage


async def test_vma_for_county_01_only_and_its_cancellation(
        app: App, chat: RecordingPlatform, feeds: FeedServer,
        session: aiohttp.ClientSession) -> None:
    w = watcher(app, feeds, session, Source.VMA)
    feeds.set(VMA_PATH, {"alerts": [vma("SRVMA-1", "0183"), vma("SRVMA-2", "14"),
                                    vma("SRVMA-3", "01", status="Exercise")]})
    await poll(app, w)
    await poll(app, w)
    feeds.set(VMA_PATH, {"alerts": [vma("SRVMA-4", "0183", msg_type="Cancel",
                                        references="https://vmaapi.sr.se,SRVMA-1,x")
                                    | {"incidents": "INC-1"}, vma("SRVMA-2", "14")]})
    await poll(app, w)
    posts = forum_posts(chat)
    assert len(posts) == 2, posts
    assert posts[0].startswith("📢 **VMA** — VMA: Brand i industribyggnad i Sundbyberg")
    assert "> Kraftig rökutveckling." in posts[0] and "aktivera" not in posts[0]
    assert posts[1].startswith("✅ **VMA är återkallat**")


async def test_vma_feed_listing_an_incident_twice_shows_its_latest_message(
        app: App, chat: RecordingPlatform, feeds: FeedServer,
        session: aiohttp.ClientSession) -> None:
    w = watcher(app, feeds, session, Source.VMA)
    first = vma("SRVMA-20", "01") | {"incidents": "INC-20"}
    feeds.set(VMA_PATH, {"alerts": [first]})
    await poll(app, w)
    update = vma("SRVMA-21", "01", msg_type="Update", headline="Branden är under kontroll") \
        | {"incidents": "INC-20", "sent": "2026-11-30T10:15:00+01:00"}
    for alerts in ([update, first], [first, update]):  # either order, the update counts
        feeds.set(VMA_PATH, {"alerts": alerts})
        await poll(app, w)
        assert len(forum_posts(chat)) == 2, alerts  # posted at the first read, not again
    posts = forum_posts(chat)
    assert len(posts) == 2, posts
    assert posts[1].startswith("📢 **Uppdaterat VMA** — VMA: Branden är under kontroll")


async def test_krisinformation_news_for_stockholms_lan(
        app: App, chat: RecordingPlatform, feeds: FeedServer,
        session: aiohttp.ClientSession) -> None:
    w = watcher(app, feeds, session, Source.KRISINFORMATION)
    feeds.set(KRIS_PATH, [news("n1", "Stockholms län"), news("n2", "Skåne län")])
    await poll(app, w)
    feeds.set(KRIS_PATH, [news("n1", "Stockholms län", updated="2026-11-30T11:00:00+01:00",
                               headline="Stormen når Stockholm i kväll")])
    await poll(app, w)
    posts = forum_posts(chat)
    assert len(posts) == 2, posts
    assert posts[0].startswith("ℹ️ **Krisinformation.se** — Krisinformation: Storm i Stockh")
    assert "https://www.krisinformation.se/nyheter/n1" in posts[0]
    assert posts[1].startswith("ℹ️ **Uppdaterat på Krisinformation.se**")


async def test_runtime_runs_every_configured_feed_until_closed(
        app: App, chat: RecordingPlatform, feeds: FeedServer) -> None:
    feeds.set(SMHI_PATH, smhi_feed(RED))
    feeds.set(VMA_PATH, {"alerts": []})
    feeds.set(KRIS_PATH, [news("n9", "Stockholms län")])
    runtime = WatcherRuntime(app, app.settings.watchers)
    await runtime.start()
    try:
        assert sorted(w.feed.source.value for w in runtime.watchers) == [
            "krisinformation", "smhi", "vma"]
        await until(lambda: len(forum_posts(chat)) == 2)
    finally:
        await runtime.close()
    assert runtime.tasks == [] and runtime.session is None
    hits = feeds.hits
    await asyncio.sleep(0.2)
    assert feeds.hits == hits  # closed: no more polling




async def test_only_the_leader_runs_the_watchers(app: App, chat: RecordingPlatform,
                                                 feeds: FeedServer) -> None:
    from bot.runner import Leader

    feeds.set(SMHI_PATH, smhi_feed(RED))
    leader = Leader(app, None)
    assert leader.watchers.tasks == []  # a follower polls nothing
    await asyncio.sleep(0.1)
    assert feeds.hits == 0
    await leader.elected()
    try:
        assert len(leader.watchers.tasks) == 3
        await until(lambda: len(forum_posts(chat)) == 1)  # the relay of the leader posts it
    finally:
        await leader.lost()
    assert leader.watchers.tasks == []
    hits = feeds.hits
    await asyncio.sleep(0.2)
    assert feeds.hits == hits
