"""What the time side posts in rooms: reminders, agendas with roll call, missed notices.

Posts are written in Swedish (the rooms' language); people appear as `<@person-key>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.effects import Post, RoomRef
from bot.domain.guards import DeliveryStatus
from bot.domain.record import Activation
from bot.domain.resources import Resource
from bot.domain.roster import Roster
from bot.domain.schedule import AgendaItem, Firing, Meeting
from bot.grammar.commands import Lang
from bot.handlers.red_days import occurrence_flag
from bot.texts import t
from bot.texts.markup import block, inline
from bot.texts.schedule import DEFAULT_AGENDA, NEEDS_ITEM, NEXT_MEETING, minutes, when

LANG: Lang = "sv"


@dataclass(frozen=True)
class Notices:
    roster: Roster
    tz: ZoneInfo

    def when(self, at: datetime, now: datetime) -> str:
        return when(LANG, at, self.tz, now)

    def _late(self, status: DeliveryStatus, firing: Firing, at: datetime) -> str:
        if status is not DeliveryStatus.LATE:
            return ""
        return t(LANG, "post.late", late=max(1, minutes(at - firing.due)))

    # -- conferences ------------------------------------------------------------------------
    def conference_reminder(self, act: Activation, firing: Firing, status: DeliveryStatus,
                            at: datetime, unacked: Sequence[str]) -> Post:
        text = t(LANG, "post.conference_reminder", when=self.when(firing.occurrence, at),
                 left=max(0, minutes(firing.occurrence - at)), id=act.id, title=inline(act.title),
                 late=self._late(status, firing, at))
        if unacked:
            text += "\n" + t(LANG, "post.unacked", who=_mentions(unacked))
        return Post(RoomRef("activation", act.id), text, list(unacked))

    def conference_start(self, act: Activation, firing: Firing, status: DeliveryStatus,
                         at: datetime, *, called: Sequence[str], next_at: datetime | None,
                         skipped: int, needs: Sequence[Resource] = ()) -> Post:
        agenda = "\n".join(f"{i}. {line}" for i, line in enumerate(self.agenda(act, needs)))
        parts = [
            t(LANG, "post.conference_start", when=self.when(firing.occurrence, at), id=act.id,
              title=inline(act.title), late=self._late(status, firing, at), agenda=agenda),
            "",
            t(LANG, "post.roll_call", who=_mentions(called) or t(LANG, "post.none")),
        ]
        if next_at is not None:
            parts.append(t(LANG, "post.next_conference", when=self.when(next_at, at)))
        text = "\n".join(parts) + self._skipped(skipped)
        return Post(RoomRef("activation", act.id), text, list(called))

    def agenda(self, act: Activation, needs: Sequence[Resource] = ()) -> list[str]:
        """DOMAIN.md's default agenda 0-9, the scenario's additions, then "Nästa möte".
        The "Samverkansbehov" item lists `needs` (the event's open resource needs)."""
        scenario = self.roster.scenarios_by_key.get(act.scenario or "")
        extra = list(scenario.agenda) if scenario else []
        items = list(DEFAULT_AGENDA[LANG])
        if needs:
            items[NEEDS_ITEM] = t(LANG, "agenda.needs", item=items[NEEDS_ITEM], needs="; ".join(
                f"{self._actor(n.actor)}: {n.quantity()} (behov {n.number})" for n in needs))
        return [*items, *extra, NEXT_MEETING[LANG]]

    def _actor(self, key: str) -> str:
        actor = self.roster.actors_by_key.get(key)
        return actor.display if actor else key

    def conference_missed(self, act: Activation, firing: Firing, at: datetime,
                          skipped: int) -> Post:
        text = t(LANG, "post.conference_missed", when=self.when(firing.occurrence, at),
                 id=act.id, late=minutes(at - firing.due)) + self._skipped(skipped)
        return Post(RoomRef("activation", act.id), text)

    def reminder_missed(self, room: RoomRef, what: str, firing: Firing, at: datetime) -> Post:
        text = t(LANG, "post.reminder_missed", what=what, when=self.when(firing.occurrence, at))
        return Post(room, text)

    def conference_what(self) -> str:
        return t(LANG, "post.conference_what")

    # -- ordinary meetings ------------------------------------------------------------------
    def forum_name(self, meeting: Meeting) -> str:
        forum = self.roster.forums_by_key.get(meeting.forum)
        return forum.name if forum else meeting.forum

    def meeting_what(self, meeting: Meeting) -> str:
        return t(LANG, "post.meeting_what", forum=self.forum_name(meeting))

    def meeting_reminder(self, meeting: Meeting, firing: Firing, status: DeliveryStatus,
                         at: datetime, items: int) -> Post:
        text = t(LANG, "post.meeting_reminder", forum=self.forum_name(meeting),
                 when=self.when(firing.occurrence, at),
                 left=max(0, minutes(firing.occurrence - at)), n=items,
                 late=self._late(status, firing, at))
        text += occurrence_flag(LANG, meeting, firing.occurrence, self.tz, at)
        return Post(RoomRef("forum", meeting.forum), text)

    def meeting_start(self, meeting: Meeting, firing: Firing, status: DeliveryStatus,
                      at: datetime, *, items: Sequence[AgendaItem], next_at: datetime | None,
                      skipped: int) -> Post:
        lines = [t(LANG, "post.item", text=block(i.text, 5), who=self._raiser(i)) for i in items]
        text = t(LANG, "post.meeting_start", forum=self.forum_name(meeting),
                 when=when(LANG, firing.occurrence, self.tz),
                 late=self._late(status, firing, at),
                 items="\n".join(lines) or t(LANG, "post.no_items"),
                 next=when(LANG, next_at, self.tz) if next_at else t(LANG, "post.none"))
        return Post(RoomRef("forum", meeting.forum), text + self._skipped(skipped))

    def meeting_missed(self, meeting: Meeting, firing: Firing, at: datetime,
                       skipped: int) -> Post:
        text = t(LANG, "post.meeting_missed", forum=self.forum_name(meeting),
                 when=when(LANG, firing.occurrence, self.tz), late=minutes(at - firing.due))
        return Post(RoomRef("forum", meeting.forum), text + self._skipped(skipped))

    def _raiser(self, item: AgendaItem) -> str:
        actor = self.roster.actors_by_key.get(item.actor or "")
        if actor is not None:
            return actor.display
        person = self.roster.people_by_key.get(item.person or "")
        return person.name if person else (item.person or "–")

    def _skipped(self, skipped: int) -> str:
        return t(LANG, "post.skipped", n=skipped) if skipped else ""


def _mentions(people: Sequence[str]) -> str:
    return ", ".join(f"<@{p}>" for p in dict.fromkeys(people))

