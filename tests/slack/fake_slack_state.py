"""The fake workspace: users, channels, messages, and Slack's behaviour for each method.

Each method takes the call's arguments and returns the success body, or raises `SlackError`
with an error code Slack documents for that method (the server checks the code against the
spec's error enum, so the fake cannot invent errors).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fake_slack_views import view_problems

CHANNEL_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")
BOT_USER = "UBOT000001"
BOT_ID = "BBOT000001"
TEAM = "T000000001"
INVITE_LIMIT = 1000  # "Up to 1000 users may be listed." (spec, conversations.invite)


class SlackError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class User:
    id: str
    name: str
    email: str | None

    def as_json(self) -> dict[str, Any]:
        profile = {
            "real_name": self.name, "display_name": self.name, "avatar_hash": "",
            "real_name_normalized": self.name, "display_name_normalized": self.name,
            "title": "", "phone": "", "skype": "", "status_text": "", "status_emoji": "",
            "fields": None, "email": self.email,
        }
        return {"id": self.id, "name": self.name.lower().replace(" ", "."), "profile": profile,
                "is_bot": self.id == BOT_USER, "updated": 1700000000, "is_app_user": False,
                "team_id": TEAM, "real_name": self.name, "deleted": False}


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool
    creator: str
    members: list[str]
    topic: str = ""
    purpose: str = ""
    archived: bool = False
    im_user: str | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        if self.im_user is not None:
            return {"id": self.id}
        topic = {"value": self.topic, "creator": "", "last_set": 0}
        return {
            "id": self.id, "name": self.name, "name_normalized": self.name,
            "created": 1700000000, "creator": self.creator, "is_archived": self.archived,
            "is_channel": not self.is_private, "is_group": self.is_private, "is_general": False,
            "is_mpim": False, "is_im": False, "is_org_shared": False, "is_shared": False,
            "is_private": self.is_private, "is_member": BOT_USER in self.members,
            "topic": topic, "purpose": {**topic, "value": self.purpose},
            "num_members": len(self.members),
        }


Method = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


from fake_slack_edits import EditsMixin  # noqa: E402 - needs SlackError above


class Workspace(EditsMixin):
    """State of one fake workspace; per test."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {BOT_USER: User(BOT_USER, "Samverkansboten", None)}
        self.channels: dict[str, Channel] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.metadata: dict[str, dict[str, Any]] = {}  # message ts -> metadata
        self.triggers: dict[str, bool] = {}  # trigger id -> already exchanged
        self.deleted: list[tuple[str, str]] = []  # (channel, ts) removed by chat.delete
        self.view_failures: list[str] = []
        self.uninvitable: set[str] = set()  # users conversations.invite refuses (cant_invite)
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)

    # -- set-up helpers for tests ------------------------------------------------------
    def add_user(self, name: str, email: str | None) -> str:
        uid = f"U{next(self._ids):09d}"
        self.users[uid] = User(uid, name, email)
        return uid

    def add_channel(self, name: str, *, private: bool = False, members: list[str] = ()) -> str:  # type: ignore[assignment]
        cid = f"C{next(self._ids):09d}"
        self.channels[cid] = Channel(cid, name, private, BOT_USER, list(members))
        return cid

    def new_trigger(self) -> str:
        trigger = f"{next(self._ids)}.{next(self._ids)}.triggerfake"
        self.triggers[trigger] = False
        return trigger

    def user_by_email(self, email: str) -> User | None:
        wanted = email.lower()
        return next((u for u in self.users.values() if (u.email or "").lower() == wanted), None)

    def channel_by_name(self, name: str) -> Channel | None:
        return next((c for c in self.channels.values() if c.name == name), None)

    def methods(self) -> dict[str, Method]:
        return {name.replace("_", "."): getattr(self, f"m_{name}") for name in (
            "auth_test", "users_info", "users_lookupByEmail", "users_list", "conversations_create",
            "conversations_invite", "conversations_members", "conversations_list",
            "conversations_join", "conversations_open", "conversations_setTopic",
            "conversations_setPurpose", "conversations_info", "chat_postMessage",
            "chat_postEphemeral", "views_open", "conversations_history", "chat_update",
            "chat_delete",
        )}

    # -- methods -------------------------------------------------------------------------
    async def m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://samverkan-test.slack.com/", "team": "Samverkan test",
                "user": "samverkansboten", "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}

    async def m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args["user"]))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user.as_json()}

    async def m_users_lookupByEmail(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.user_by_email(str(args["email"]))
        if user is None:
            raise SlackError("users_not_found")
        return {"user": user.as_json()}

    async def m_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 0) or 1000
        everyone = list(self.users.values())
        page = everyone[start:start + limit]
        cursor = str(start + limit) if start + limit < len(everyone) else ""
        return {"members": [u.as_json() for u in page], "cache_ts": 1700000000,
                "response_metadata": {"next_cursor": cursor}}

    async def m_conversations_create(self, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args["name"])
        if not name:
            raise SlackError("invalid_name_required")
        if len(name) > 80:
            raise SlackError("invalid_name_maxlength")
        if not CHANNEL_NAME.match(name):
            raise SlackError("invalid_name_specials")
        if self.channel_by_name(name) is not None:
            raise SlackError("name_taken")
        private = _bool(args.get("is_private", False))
        cid = self.add_channel(name, private=private, members=[BOT_USER])
        return {"channel": self.channels[cid].as_json()}

    def _channel(self, args: dict[str, Any], *, member: bool = True) -> Channel:
        channel = self.channels.get(str(args["channel"]))
        if channel is None or (channel.is_private and BOT_USER not in channel.members):
            raise SlackError("channel_not_found")
        if channel.archived:
            raise SlackError("is_archived")
        if member and BOT_USER not in channel.members:
            raise SlackError("not_in_channel")
        return channel

    async def m_conversations_invite(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        users = [u for u in str(args["users"]).split(",") if u]
        force = _bool(args.get("force", False))
        if not users:
            raise SlackError("no_user")
        if len(users) > INVITE_LIMIT:
            raise SlackError("too_many_users")
        bad = _invite_errors(self, channel, users)
        if bad and not force:
            errors = [{"user": u, "ok": False, "error": e} for u, e in bad]
            raise SlackError(bad[0][1], errors=errors)
        skipped = {u for u, _ in bad}
        channel.members.extend(u for u in dict.fromkeys(users) if u not in skipped)
        return {"channel": channel.as_json()}

    async def m_conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args, member=False)
        start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 100)
        page = channel.members[start:start + limit]
        more = start + limit < len(channel.members)
        cursor = str(start + limit) if more else ""
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    async def m_conversations_list(self, args: dict[str, Any]) -> dict[str, Any]:
        types = set(str(args.get("types") or "public_channel").split(","))
        visible = [
            c for c in self.channels.values()
            if c.im_user is None
            and (("private_channel" in types and c.is_private and BOT_USER in c.members)
                 or ("public_channel" in types and not c.is_private))
            and not (c.archived and _bool(args.get("exclude_archived", False)))
        ]
        start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 100)
        more = start + limit < len(visible)
        return {"channels": [c.as_json() for c in visible[start:start + limit]],
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    async def m_conversations_join(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args, member=False)
        if channel.is_private:
            raise SlackError("method_not_supported_for_channel_type")
        if BOT_USER not in channel.members:
            channel.members.append(BOT_USER)
        return {"channel": channel.as_json()}

    async def m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if len(users) != 1:
            raise SlackError("users_list_not_supplied" if not users else "invalid_user_combination")
        if users[0] not in self.users:
            raise SlackError("user_not_found")
        im = next((c for c in self.channels.values() if c.im_user == users[0]), None)
        if im is None:
            cid = f"D{next(self._ids):09d}"
            im = self.channels[cid] = Channel(cid, "", True, BOT_USER, [BOT_USER, users[0]],
                                              im_user=users[0])
        return {"channel": im.as_json()}

    async def m_conversations_setTopic(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        if len(str(args["topic"])) > 250:
            raise SlackError("too_long")
        channel.topic = str(args["topic"])
        return {"channel": channel.as_json()}

    async def m_conversations_setPurpose(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        if len(str(args["purpose"])) > 250:
            raise SlackError("too_long")
        channel.purpose = str(args["purpose"])
        return {"channel": channel.as_json()}

    async def m_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": self._channel(args, member=False).as_json()}

    async def m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        text = str(args.get("text") or "")
        if not text and not args.get("blocks") and not args.get("attachments"):
            raise SlackError("no_text")
        if len(text) > 40000:
            raise SlackError("msg_too_long")
        ts = f"17000{next(self._ts):05d}.000100"
        message = {"type": "message", "text": text, "ts": ts, "user": BOT_USER, "bot_id": BOT_ID}
        channel.messages.append(message)
        if isinstance(args.get("metadata"), dict):  # kept, shown by history on request
            self.metadata[ts] = args["metadata"]
        return {"channel": channel.id, "ts": ts, "message": message}

    async def m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first, `limit` (default 100) messages; metadata with include_all_metadata."""
        channel = self._channel(args)
        limit = int(args.get("limit") or 100)
        page = [dict(m) for m in reversed(channel.messages[-limit:])]
        if _bool(args.get("include_all_metadata")):
            for message in page:
                if message["ts"] in self.metadata:
                    message["metadata"] = self.metadata[message["ts"]]
        return {"messages": page, "has_more": len(channel.messages) > limit,
                "pin_count": 0, "channel_actions_ts": None, "channel_actions_count": 0}

    async def m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args, member=False)
        if str(args["user"]) not in channel.members:
            raise SlackError("user_not_in_channel")
        return {"message_ts": f"17000{next(self._ts):05d}.000200"}

    async def m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = str(args["trigger_id"])
        if trigger not in self.triggers:
            raise SlackError("invalid_trigger_id")
        if self.triggers[trigger]:
            raise SlackError("exchanged_trigger_id")
        view = args["view"] if isinstance(args["view"], dict) else json.loads(str(args["view"]))
        problems = view_problems(view)
        if problems:
            self.view_failures.extend(problems)
            raise SlackError("invalid_arguments", response_metadata={"messages": problems})
        self.triggers[trigger] = True
        view_id = f"V{next(self._ids):09d}"
        self.views[view_id] = view
        return {"view": {**view, "id": view_id, "state": {"values": {}}}}


def _invite_errors(ws: Workspace, channel: Channel, users: list[str]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    for uid in users:
        if uid == BOT_USER:
            errors.append((uid, "cant_invite_self"))
        elif uid not in ws.users:
            errors.append((uid, "user_not_found"))
        elif uid in channel.members:
            errors.append((uid, "already_in_channel"))
        elif uid in ws.uninvitable:
            errors.append((uid, "cant_invite"))
    return errors


def _bool(value: Any) -> bool:
    return value is True or str(value).lower() in {"true", "1"}
