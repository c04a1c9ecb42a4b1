"""Neutral texts → Matrix message content: m.notice with escaped HTML, pills for people."""

from __future__ import annotations

from html import escape
from typing import Any

from bot.domain.roster import Roster
from bot.platforms.common import markdown_to_html, mentioned_keys, replace_mentions
from bot.texts.markup import plain

# Room events may be at most 64 KiB; the HTML of a chunk is roughly twice its Markdown.
CHUNK_CHARS = 12_000


def person_name(roster: Roster, key: str) -> str:
    person = roster.people_by_key.get(key)
    return person.name if person else key


def pill(roster: Roster, key: str) -> str:
    """A Matrix pill (clients render the link as the person's chip) or the escaped name."""
    person = roster.people_by_key.get(key)
    if person is None:
        return escape(f"@{key}")
    if not person.matrix_id:
        return f"<strong>{escape(person.name)}</strong>"
    return f'<a href="https://matrix.to/#/{escape(person.matrix_id)}">{escape(person.name)}</a>'


def room_link(room_id: str, label: str, server: str) -> str:
    href = f"https://matrix.to/#/{room_id}?via={server}"
    return f'<a href="{escape(href)}">{escape(label)}</a>'


def notice(text: str, roster: Roster, *, mentions: tuple[str, ...] | list[str] = (),
           reply_to: str | None = None) -> dict[str, Any]:
    """An m.notice (bots answer with notices, so other bots do not answer them) with a plain
    body and an HTML formatted_body; mentioned people also go into `m.mentions`."""
    keys = list(dict.fromkeys([*mentioned_keys(text), *mentions]))
    user_ids = [p.matrix_id for k in keys
                if (p := roster.people_by_key.get(k)) is not None and p.matrix_id]
    content: dict[str, Any] = {
        "msgtype": "m.notice",
        "body": replace_mentions(plain(text), lambda k: person_name(roster, k)),
        "format": "org.matrix.custom.html",
        "formatted_body": markdown_to_html(text, lambda k: pill(roster, k)),
        "m.mentions": {"user_ids": user_ids},
    }
    if reply_to:
        content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
    return content


def html_notice(body: str, formatted_body: str) -> dict[str, Any]:
    """A notice the adapter writes itself (already safe HTML)."""
    return {"msgtype": "m.notice", "body": body, "format": "org.matrix.custom.html",
            "formatted_body": formatted_body, "m.mentions": {}}


def edit_content(content: dict[str, Any], event_id: str) -> dict[str, Any]:
    """An m.replace edit of `event_id` with `content` as the new content."""
    new = {k: v for k, v in content.items() if k != "m.relates_to"}
    return {**new, "body": "* " + new["body"], "m.new_content": new,
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id}}
