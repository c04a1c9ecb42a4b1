"""One war room on two platforms, end to end: the real Synapse and the spec-checking Slack fake
served by one bot. The police read the war room on Slack (the roster prefers it for them),
Länsstyrelsen on Matrix: messages, edits and deletions go both ways headed by name, function
and actor; commands from either side land in one record; a restart (with a replayed sync, a
retried Slack event and relayed items left unsettled as by a crash) relays nothing twice; and
the bot's own messages are never relayed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from fake_slack_state import BOT_ID, BOT_USER
from nio import RoomRedactResponse, RoomSendResponse
from sqlalchemy import text

from bot.archive.export import protocol_markdown
from bot.domain.roster import FunctionRef
from bot.platforms.matrix.listener import token_key
from tests.bridge.harness import BridgeHarness
from tests.matrix.harness import Person

pytestmark = pytest.mark.synapse

TIB = "tib@lansstyrelsen"
POLICE = "vakthavande-befal@polisen"


async def _send(person: Person, room: str, content: dict[str, Any]) -> str:
    resp = await person.client.room_send(room, "m.room.message", content)
    assert isinstance(resp, RoomSendResponse), resp
    return str(resp.event_id)


async def _bot_events(both: BridgeHarness, person: Person, room: str) -> list[dict[str, Any]]:
    return [e for e in await person.messages(room, 200)
            if e["sender"] == both.bot_user.user_id]


def _label(both: BridgeHarness, ref: str) -> str:
    key = both.holder(ref)
    return f"{both.app.roster.person(key).name} " \
           f"({both.app.roster.function_label(FunctionRef.parse(ref))})"


@dataclass
class Scene:
    """The war room on both sides and what the steps learn on the way."""

    both: BridgeHarness
    tib: Person
    war: str  # Matrix room id
    channel: str  # Slack channel id
    start_token: str | None = None  # Matrix sync token before the first message
    taken: set[tuple[str, str]] = field(default_factory=set)  # expected bridge_events keys
    relayed: dict[str, Any] = field(default_factory=dict)  # Slack copy of the first message
    event: dict[str, Any] = field(default_factory=dict)  # Matrix copy of the Slack message

    def user(self, ref: str) -> str:
        return self.both.users[self.both.holder(ref)]

    def name(self, ref: str) -> str:
        return self.both.app.roster.person(self.both.holder(ref)).name


async def _open(both: BridgeHarness) -> Scene:
    """`!aktivera` on Matrix: a war room on each platform, people invited where preferred."""
    tib = await both.person(TIB)
    standing = await both.standing_room("samordnande")
    assert "#2026-001" in (await tib.say(standing, "!aktivera verkstallande Vattenläcka"))["body"]
    await both.both_settled()
    war = await both.war_room("2026-001")
    async with both.app.uow() as uow:
        channel = await uow.rooms.room("activation", "2026-001", "slack")
        token = await uow.kv.get(token_key(both.bot_user.user_id))
    assert channel is not None
    await tib.join(war)
    scene = Scene(both, tib, war, channel, token)
    # The police on Slack (the roster prefers it for them), everyone else on Matrix.
    assert set(both.fake.ws.channels[channel].members) == {BOT_USER, scene.user(POLICE)}
    on_matrix = await tib.members(war, "invite") | await tib.members(war, "join")
    police_mxid = both.mxid(both.holder(POLICE))
    assert police_mxid not in on_matrix and tib.mxid in on_matrix and len(on_matrix) > 3
    return scene


async def _matrix_to_slack(s: Scene) -> str:
    """Header, line breaks, a link, a pill as a native mention, typed HTML inert."""
    police_mxid, police = s.both.mxid(s.both.holder(POLICE)), s.name(POLICE)
    first = await _send(s.tib, s.war, {
        "msgtype": "m.text",
        "body": f"Vatten i källaren på Storgatan\nKarta: https://example.se/karta "
                f"{police} <b>inte fet</b>",
        "format": "org.matrix.custom.html",
        "formatted_body": f'Vatten i källaren på Storgatan<br>Karta: <a href="https://example.se'
                          f'/karta">https://example.se/karta</a> <a href="https://matrix.to/#/'
                          f'{police_mxid}">{police}</a> &lt;b&gt;inte fet&lt;/b&gt;'})
    (s.relayed,) = await s.both.wait(lambda: [m for m in s.both.slack_messages(s.channel)
                                              if "Storgatan" in m["text"]])
    assert s.relayed["text"] == (
        f"*{_label(s.both, TIB)}:*\nVatten i källaren på Storgatan\nKarta: "
        f"<https://example.se/karta|https://example.se/karta> <@{s.user(POLICE)}> "
        f"&lt;b&gt;inte fet&lt;/b&gt;"), s.relayed["text"]
    s.taken.add(("matrix", first))
    return first


async def _slack_to_matrix(s: Scene) -> str:
    """Entities as typed, a labelled link, a mention as a pill."""
    ts = await s.both.slack_says(POLICE, s.channel, "Polisen på plats &amp; spärrar av\n"
                                 f"<https://polisen.se|Polisens sida> <@{s.user(TIB)}>")
    (s.event,) = await s.both.wait(lambda: _bot_with(s.both, s.tib, s.war, "Polisen på plats"))
    content = s.event["content"]
    assert content["msgtype"] == "m.text"
    assert content["body"] == (f"{_label(s.both, POLICE)}:\nPolisen på plats & spärrar av\n"
                               f"Polisens sida (https://polisen.se) {s.name(TIB)}"), content
    assert '<a href="https://polisen.se">Polisens sida</a>' in content["formatted_body"]
    assert f"https://matrix.to/#/{s.tib.mxid}" in content["formatted_body"]
    assert content["m.mentions"] == {"user_ids": [s.tib.mxid]}
    s.taken.add(("slack", f"{s.channel}:{ts}"))
    return ts


async def _edits(s: Scene, first: str, ts: str) -> dict[str, Any]:
    """Slack's message_changed → m.replace of the relayed event; a Matrix edit → chat.update
    of the relayed message."""
    police = s.user(POLICE)
    edited = {"type": "message", "user": police, "ts": ts,
              "text": "Polisen på plats, avspärrning klar",
              "edited": {"user": police, "ts": "1710099999.1"}}
    await s.both.slack_event({"subtype": "message_changed", "channel": s.channel,
                              "hidden": True, "ts": "1710099999.2", "message": edited})
    (edit,) = await s.both.wait(lambda: _bot_with(s.both, s.tib, s.war, "avspärrning klar"))
    assert edit["content"]["m.relates_to"] == {"rel_type": "m.replace",
                                               "event_id": s.event["event_id"]}
    mx_edit = await _send(s.tib, s.war, {
        "msgtype": "m.text", "body": "* Vatten i källaren på Storgatan 5",
        "m.new_content": {"msgtype": "m.text", "body": "Vatten i källaren på Storgatan 5"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": first}})
    ts_relayed = s.relayed["ts"]
    await s.both.wait(lambda: "Storgatan 5" in _message(s.both, s.channel, ts_relayed)["text"])
    assert [c.args["ts"] for c in s.both.fake.calls_to("chat.update")] == [ts_relayed]
    # An edit of a message that was never relayed (sent before the bridge saw it): a
    # correction, marked, as a new message.
    never = {"type": "message", "user": police, "ts": "1709999999.5", "text": "Rättad uppgift",
             "edited": {"user": police, "ts": "1710099999.6"}}
    await s.both.slack_event({"subtype": "message_changed", "channel": s.channel,
                              "hidden": True, "ts": "1710099999.7", "message": never})
    (fixed,) = await s.both.wait(lambda: _bot_with(s.both, s.tib, s.war, "Rättad uppgift"))
    assert fixed["content"]["body"] == f"{_label(s.both, POLICE)}: ✏️ rättelse Rättad uppgift"
    assert "m.relates_to" not in fixed["content"]
    s.taken |= {("matrix", mx_edit), ("slack", f"{s.channel}:{ts}:edit:1710099999.1"),
                ("slack", f"{s.channel}:1709999999.5:edit:1710099999.6")}
    return edited


async def _deletions(s: Scene, first: str, ts: str, edited: dict[str, Any]) -> None:
    """Slack's message_deleted → a redaction; a Matrix redaction → chat.delete."""
    await s.both.slack_event({"subtype": "message_deleted", "channel": s.channel,
                              "hidden": True, "ts": "1710099999.3", "deleted_ts": ts,
                              "previous_message": edited})
    await s.both.wait(lambda: _redacted(s.tib, s.war, s.event["event_id"]))
    resp = await s.tib.client.room_redact(s.war, first)
    assert isinstance(resp, RoomRedactResponse), resp
    await s.both.wait(lambda: (s.channel, s.relayed["ts"]) in s.both.fake.ws.deleted)
    s.taken |= {("matrix", resp.event_id), ("slack", f"{s.channel}:{ts}:delete")}


async def _commands(s: Scene) -> None:
    """`!läge` on Matrix and `/samverkan läge` on Slack in one lägesbild and protocol; each
    answer in both rooms."""
    both = s.both
    await s.tib.say(s.war, "!läge Vatten i källare, pumpar på väg")
    key = await both.slack_command(POLICE, "läge Avspärrning kring Storgatan", s.channel)
    await both.both_settled()
    (answer,) = both.fake.responses_to(key)
    assert answer["response_type"] == "in_channel"
    await both.wait(lambda: [m for m in both.slack_messages(s.channel)
                             if "pumpar på väg" in m["text"] and m.get("bot_id")])
    await both.wait(lambda: _bot_with(both, s.tib, s.war, "Avspärrning kring Storgatan"))
    picture = (await s.tib.say(s.war, "!lägesbild"))["body"]
    assert "pumpar på väg" in picture and "Avspärrning kring Storgatan" in picture
    _, protocol = await protocol_markdown(both.app, "2026-001")
    assert "pumpar på väg" in protocol and "Avspärrning kring Storgatan" in protocol


async def _attachments(s: Scene) -> None:
    """A Matrix file → a link to the homeserver's media download URL; a Slack file_share →
    a link to the file's permalink (with its caption)."""
    both = s.both
    file_event = await _send(s.tib, s.war, {
        "msgtype": "m.file", "body": "karta.pdf", "url": "mxc://samverkan.test/AbCdEf",
        "info": {"size": 2_500_000, "mimetype": "application/pdf"}})
    url = f"{both.server.base_url}/_matrix/media/v3/download/samverkan.test/AbCdEf/karta.pdf"
    (copy,) = await both.wait(lambda: [m for m in both.slack_messages(s.channel)
                                       if "karta.pdf" in m["text"]])
    assert copy["text"] == f"*{_label(both, TIB)}:* 📎 <{url}|karta.pdf> (2.5 MB)"
    permalink = "https://samverkan-test.slack.com/files/U1/F0000000001/foto.jpg"
    ts = await both.slack_says(POLICE, s.channel, "Bild från platsen", subtype="file_share",
                               files=[{"id": "F0000000001", "name": "foto.jpg", "size": 48_000,
                                       "permalink": permalink}])
    (event,) = await both.wait(lambda: _bot_with(both, s.tib, s.war, "Bild från platsen"))
    assert f'<a href="{permalink}">foto.jpg</a>' in event["content"]["formatted_body"]
    s.taken |= {("matrix", file_event), ("slack", f"{s.channel}:{ts}")}


async def _taken(both: BridgeHarness) -> set[tuple[str, str]]:
    async with both.app.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT platform, key FROM bridge_events"))).all()
    return {(str(p), str(k)) for p, k in rows}


async def _own_never_relayed(s: Scene) -> None:
    """The bot's events (its notices, relayed copies, echoes) are never taken: exactly the
    people's messages, edits and deletions are, and a bot message from Slack is not."""
    await s.both.slack_event({"type": "message", "channel": s.channel, "user": BOT_USER,
                              "bot_id": BOT_ID, "text": s.relayed["text"],
                              "ts": "1710099999.4"})
    await s.both.both_settled()
    ours = {e["event_id"] for e in await _bot_events(s.both, s.tib, s.war)}
    taken = await _taken(s.both)
    assert not {k for _, k in taken} & ours and len(ours) >= 5
    assert taken == s.taken


async def _restart(s: Scene) -> None:
    """The last two relayed items left unsettled as by a crash, the Matrix sync replayed from
    before the first message, a Slack event retried: nothing is relayed twice."""
    both = s.both
    last_ts = await both.slack_says(POLICE, s.channel, "Sista rapport från platsen")
    last_mx = await s.tib.send(s.war, "Tack, vi tar det på konferensen")
    await both.wait(lambda: _bot_with(both, s.tib, s.war, "Sista rapport"))
    await both.wait(lambda: [m for m in both.slack_messages(s.channel)
                             if "konferensen" in m["text"]])
    await both.both_settled()
    slack_before = [(m["ts"], m["text"]) for m in both.slack_messages(s.channel)]
    matrix_before = [(e["event_id"], e["content"]) for e in await _bot_events(both, s.tib,
                                                                                s.war)]

    async def crashed(engine: Any) -> None:
        async with engine.begin() as conn:
            await conn.execute(text(
                "UPDATE outbox SET finished = false, done = '[]' WHERE id IN (SELECT id FROM "
                "outbox WHERE kind = 'bridge' ORDER BY id DESC LIMIT 2)"))
            await conn.execute(text("UPDATE kv SET value = :token WHERE key = :key"),
                               {"token": s.start_token, "key": token_key(both.bot_user.user_id)})

    await both.restart_with(crashed)
    await both.slack_event({"type": "message", "channel": s.channel, "user": s.user(POLICE),
                            "text": "Sista rapport från platsen", "ts": last_ts}, retry=1)
    assert both.bot is not None
    await both.bot.wait_synced(after=both.bot.syncs)
    await both.both_settled()
    assert [(m["ts"], m["text"]) for m in both.slack_messages(s.channel)] == slack_before
    assert [(e["event_id"], e["content"]) for e in await _bot_events(both, s.tib, s.war)] \
        == matrix_before
    assert await _taken(both) == {*s.taken, ("matrix", last_mx),
                                  ("slack", f"{s.channel}:{last_ts}")}


async def test_one_war_room_on_two_platforms(both: BridgeHarness) -> None:
    scene = await _open(both)
    first = await _matrix_to_slack(scene)
    ts = await _slack_to_matrix(scene)
    edited = await _edits(scene, first, ts)
    await _deletions(scene, first, ts, edited)
    await _commands(scene)
    await _attachments(scene)
    await _own_never_relayed(scene)
    await _restart(scene)


def _message(both: BridgeHarness, channel: str, ts: str) -> dict[str, Any]:
    return next(m for m in both.slack_messages(channel) if m["ts"] == ts)


async def _bot_with(both: BridgeHarness, person: Person, room: str,
                    needle: str) -> list[dict[str, Any]]:
    return [e for e in await _bot_events(both, person, room)
            if needle in str(e["content"].get("body", ""))]


async def _redacted(person: Person, room: str, event_id: str) -> bool:
    return any(e["event_id"] == event_id and not e["content"]
               for e in await person.messages(room, 200))
