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


SMHI_WARNINGS = "https://opendata-download-warnings.smhi.se/ibww/api/version/1/warning.json"
SR_VMA = "https://vmaapi.sr.se/api/v3/alerts"
KRISINFORMATION_NEWS = ("https://api.krisinformation.se/v3/news"
                        "?counties=Stockholms%20l%C3%A4n&days=1&language=sv")


class WatcherSettings(BaseModel):
    """The read-only watchers of public warnings (only the leader runs them). An empty URL
    turns that one watcher off; `enabled=false` turns all off. Seconds throughout."""

    enabled: bool = True
    forum: str = "samordnande"  # whose standing room hears the warnings
    smhi_url: str = SMHI_WARNINGS
    vma_url: str = SR_VMA
    krisinformation_url: str = KRISINFORMATION_NEWS
    interval: float = 120.0
    backoff_max: float = 900.0
    timeout: float = 30.0


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
    public_url: str | None = None  # how people reach the HTTP server, e.g. https://bot.example
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    matrix: MatrixSettings = MatrixSettings()
    slack: SlackSettings = SlackSettings()
    watchers: WatcherSettings = WatcherSettings()

    @property
    def public_base_url(self) -> str:
        """`public_url`, else the HTTP server's own address (for links in war rooms)."""
        return (self.public_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")

    def check(self) -> None:
        self.matrix.check()
        self.slack.check()
