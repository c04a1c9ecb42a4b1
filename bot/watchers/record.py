"""Turning one successful read of a feed into posts: decide per alert, then in ONE transaction
store the new watch states and put the posts into the outbox. A crash before the commit
leaves both undone (the next poll decides again); after it the outbox performs the posts, so
a restart never posts one twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain.effects import Post, RoomRef
from bot.domain.ports import Clock, UnitOfWorkFactory
from bot.domain.watchers import Alert, Change, Source, WatchState, decide, next_state
from bot.texts import t
from bot.texts.markup import inline

_LEVEL_SV = {"RED": "Röd", "ORANGE": "Orange", "YELLOW": "Gul"}


@dataclass(frozen=True)
class PostContext:
    """Where and how posts are written: the forum whose standing room hears them, its
    command word in suggestions, and the time zone shown."""

    forum: str
    tz: ZoneInfo


def _local(when: datetime | None, tz: ZoneInfo) -> str:
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M") if when else "?"


def suggestion(alert: Alert, ctx: PostContext) -> str:
    """A ready command, e.g. `aktivera samordnande oväder Röd varning storm 2026-11-30`: the
    forum, the roster's weather scenario, and a title of level, event and start date."""
    level = _LEVEL_SV.get(alert.level or "", alert.level or "")
    date = alert.starts_at.astimezone(ctx.tz).strftime("%Y-%m-%d") if alert.starts_at else ""
    event = alert.event_name or (alert.event or "").replace("_", " ")
    title = t("sv", "watch.suggest_title", level=level, event=event.lower(), date=date)
    return t("sv", "watch.suggest", forum=ctx.forum, title=" ".join(title.split()))


def post_text(change: Change, alert: Alert, ctx: PostContext) -> str:
    """The post's light Markdown: headline by source and change, the source's text as a
    quote, validity times, link, and — for a new or updated notable SMHI warning — the
    ready `aktivera … oväder …` command."""
    lines = [t("sv", f"watch.{change.value}.{alert.source.value}", title=inline(alert.title))]
    if change is not Change.CANCEL:  # the feed's text is text: never structure or mentions
        lines += [f"> {inline(line)}" for line in alert.text.splitlines() if line.strip()]
        if alert.starts_at or alert.ends_at:
            lines.append(t("sv", "watch.times", start=_local(alert.starts_at, ctx.tz),
                           end=_local(alert.ends_at, ctx.tz) if alert.ends_at
                           else t("sv", "watch.open_end")))
    if alert.published_at:
        lines.append(t("sv", "watch.published", at=_local(alert.published_at, ctx.tz)))
    if alert.url:
        lines.append(t("sv", "watch.link", url=alert.url))
    if alert.source is Source.SMHI and alert.notable and change is not Change.CANCEL:
        lines.append(suggestion(alert, ctx))
    return "\n".join(lines)


def latest_per_key(alerts: list[Alert]) -> dict[str, Alert]:
    """One alert per key: the one published last (a VMA feed lists an incident's first
    message and its update or cancellation side by side, in any order)."""
    floor = datetime.min.replace(tzinfo=UTC)
    chosen: dict[str, Alert] = {}
    for alert in alerts:
        seen = chosen.get(alert.key)
        if seen is None or (alert.published_at or floor) >= (seen.published_at or floor):
            chosen[alert.key] = alert
    return chosen


def _essence(state: WatchState) -> tuple[str, bool, bool]:
    return state.fingerprint, state.posted, state.closed


@dataclass(frozen=True)
class Outcome:
    """What one read changed: the posts recorded, by kind."""

    posted: tuple[tuple[Change, str], ...]  # (change, alert key)


async def record_read(uow_factory: UnitOfWorkFactory, clock: Clock, ctx: PostContext,
                      source: Source, alerts: list[Alert]) -> Outcome:
    """Compares `alerts` (everything the source lists now) with the stored states of
    `source`, stores the new states and records a post per change — all in one commit."""
    now = clock.now()
    room = RoomRef(kind="forum", key=ctx.forum)
    posted: list[tuple[Change, str]] = []
    async with uow_factory() as uow:
        known = await uow.watchers.of_source(source)
        current = latest_per_key(alerts)
        posts: list[Post] = []
        states: list[WatchState] = []
        for key in sorted(current.keys() | known.keys()):
            prev, alert = known.get(key), current.get(key)
            change = decide(prev, alert, now)
            state = next_state(prev, alert, change, now)
            if state is not None and (prev is None or _essence(state) != _essence(prev)):
                states.append(state)
            if change is not None:
                shown = alert or Alert(source=source, key=key, title=prev.title if prev else key,
                                       text="")
                posts.append(Post(room=room, text=post_text(change, shown, ctx)))
                posted.append((change, key))
        await uow.watchers.save_many(states)
        await uow.outbox.add_many(list(posts))
        await uow.commit()
    return Outcome(tuple(posted))

