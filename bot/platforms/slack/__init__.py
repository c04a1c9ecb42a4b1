"""Slack: slash commands and the activation form in (slack-bolt, async), war rooms out."""

from bot.platforms.slack.commands import SLASH_COMMANDS
from bot.platforms.slack.platform import (
    EVENTS_PATH,
    SlackPlatform,
    SlackStartError,
)

__all__ = ["EVENTS_PATH", "SLASH_COMMANDS", "SlackPlatform", "SlackStartError"]
