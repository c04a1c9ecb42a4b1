"""Logging set-up: plain text lines (default) or JSON lines (`SAMVERKAN_LOG_FORMAT=json`,
one object per line with time, level, logger and message, for log shippers), and a filter
that masks every configured secret wherever it would appear in a record."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from bot.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"


class SecretFilter(logging.Filter):
    """Replaces each secret (tokens, passwords, signing secrets) in a record's message and
    arguments by `***`. A safety net: the bot never logs secrets on purpose."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            text = record.getMessage()
            if any(secret in text for secret in self.secrets):
                for secret in self.secrets:
                    text = text.replace(secret, MASK)
                record.msg, record.args = text, None
        return True


def configured_secrets(settings: Settings) -> list[str]:
    """Every secret value set in `settings` (SecretStr fields), as plain strings."""
    values = [settings.calendar_secret, settings.matrix.access_token, settings.matrix.password,
              settings.slack.bot_token, settings.slack.app_token, settings.slack.signing_secret]
    return [v.get_secret_value() for v in values if v is not None]


def configure_logging(settings: Settings) -> None:
    """Sets the root logger from `settings.log_level` and `settings.log_format` ("text" or
    "json"), writing to standard error; quiets APScheduler's and Alembic's per-step INFO."""
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                                           rename_fields={"asctime": "time",
                                                          "levelname": "level",
                                                          "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(SecretFilter(configured_secrets(settings)))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    for chatty in ("apscheduler", "alembic"):  # every job / every migration step at INFO
        logging.getLogger(chatty).setLevel(logging.WARNING)
