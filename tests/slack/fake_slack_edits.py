"""chat.update and chat.delete in the fake workspace (both in Slack's OpenAPI spec): a bot
may change or delete only its own messages; an unknown `ts` is `message_not_found`."""

from __future__ import annotations

from typing import Any

from fake_slack_state import BOT_ID, SlackError


class EditsMixin:
    """Mixed into `Workspace` (which provides `_channel`, `metadata`, `deleted`)."""

    def _own_message(self, args: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        channel = self._channel(args)  # type: ignore[attr-defined]
        ts = str(args["ts"])
        message = next((m for m in channel.messages if m["ts"] == ts), None)
        if message is None:
            raise SlackError("message_not_found")
        return channel, message

    async def m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, message = self._own_message(args)
        if message.get("bot_id") != BOT_ID:
            raise SlackError("cant_update_message")
        text = str(args.get("text") or "")
        if not text and not args.get("blocks") and not args.get("attachments"):
            raise SlackError("no_text")
        message["text"] = text
        message["edited"] = {"user": message.get("user"), "ts": message["ts"]}
        return {"channel": channel.id, "ts": message["ts"], "text": text,
                "message": {"text": text}}

    async def m_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, message = self._own_message(args)
        if message.get("bot_id") != BOT_ID:
            raise SlackError("cant_delete_message")
        channel.messages.remove(message)
        self.deleted.append((channel.id, message["ts"]))  # type: ignore[attr-defined]
        return {"channel": channel.id, "ts": message["ts"]}
