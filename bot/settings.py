"""Configuration from the environment (prefix SAMVERKAN_, nested with __) or a .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(ValueError):
    """Half-configured settings; the message names the missing variable."""


def _missing(prefix: str, present: dict[str, bool], needed: list[list[str]]) -> list[str]:
    """Names of the variables missing from each group of alternatives."""
    return [" eller ".join(f"{prefix}{n.upper()}" for n in group) for group in needed
            if not any(present[n] for n in group)]


class MatrixSettings(BaseModel):
    homeserver: str | None = None
    user_id: str | None = None
    access_token: SecretStr | None = None
    password: SecretStr | None = None
    device_id: str | None = None

    @property
    def enabled(self) -> bool:
        return any(v is not None for v in (self.homeserver, self.user_id, self.access_token,
                                            self.password))

    def check(self) -> None:
        present = {"homeserver": bool(self.homeserver), "user_id": bool(self.user_id),
                   "access_token": self.access_token is not None,
                   "password": self.password is not None}
        missing = _missing("SAMVERKAN_MATRIX__", present,
                           [["homeserver"], ["user_id"], ["access_token", "password"]])
        if self.enabled and missing:
            raise SettingsError(f"Matrix är delvis konfigurerat; saknas: {', '.join(missing)}")


class SlackSettings(BaseModel):
    bot_token: SecretStr | None = None
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    api_url: str | None = None

    @property
    def enabled(self) -> bool:
        return any(v is not None for v in (self.bot_token, self.app_token, self.signing_secret))

    def check(self) -> None:
        present = {"bot_token": self.bot_token is not None,
                   "app_token": self.app_token is not None,
                   "signing_secret": self.signing_secret is not None}
        missing = _missing("SAMVERKAN_SLACK__", present,
                           [["bot_token"], ["app_token", "signing_secret"]])
        if self.enabled and missing:
            raise SettingsError(f"Slack är delvis konfigurerat; saknas: {', '.join(missing)}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SAMVERKAN_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    database_url: str = "sqlite+aiosqlite:///./samverkan.db"
    roster: Path | None = None
    scenarios: Path | None = None  # the region's own playbooks; default <roster folder>/scenarios
    timezone: str = "Europe/Stockholm"
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    calendar_secret: SecretStr | None = None
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    matrix: MatrixSettings = MatrixSettings()
    slack: SlackSettings = SlackSettings()

    def check(self) -> None:
        self.matrix.check()
        self.slack.check()
