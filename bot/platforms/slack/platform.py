"""The Slack adapter: a Bolt `AsyncApp` for commands in, the `ChatPlatform` port for effects
out. Built only by the composition root (`bot.bootstrap.slack_platform`); nothing happens
at import time.

Transport: Socket Mode when an app-level token is configured (`connect_async`, which returns
once connected), and/or HTTP mode when a signing secret is configured (`add_routes` puts
`POST /slack/events` on the bot's one aiohttp application; signatures are verified).
"""

from __future__ import annotations

import logging

from aiohttp import web
from pydantic import SecretStr
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError

from bot.domain.ports import UnitOfWorkFactory
from bot.handlers.service import CommandService
from bot.platforms.slack.bridge import SlackBridgedRooms
from bot.platforms.slack.client import api_error_text, make_web_client
from bot.platforms.slack.commands import SlackCommands
from bot.platforms.slack.directory import Directory
from bot.platforms.slack.inflight import InFlight
from bot.platforms.slack.reply import Replier
from bot.settings import SlackSettings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


class SlackStartError(RuntimeError):
    """Slack refused the configured token at start."""


class SlackPlatform(SlackBridgedRooms):
    def __init__(self, settings: SlackSettings, service: CommandService,
                 uow: UnitOfWorkFactory) -> None:
        bot_token = _secret(settings.bot_token)
        if not bot_token:
            raise ValueError("SAMVERKAN_SLACK__BOT_TOKEN saknas")
        client = make_web_client(bot_token, settings.api_url)
        super().__init__(client, Directory(client, service.roster), uow, service.roster)
        self._bot_token = bot_token
        self._app_token = _secret(settings.app_token)
        self._signing_secret = _secret(settings.signing_secret)
        self._auth: AuthorizeResult | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self.inflight = InFlight()
        self.bolt = self._bolt(settings.api_url)
        replier = Replier(self.directory, uow)
        SlackCommands(service, self.directory, replier, self.inflight).register(self.bolt)
        self.register_bridge(self.bolt)  # war-room messages in (Events API `message`)

    def _bolt(self, api_url: str | None) -> AsyncApp:
        # The app's own client carries no token: each request gets one from `_authorize`,
        # which answers from a cached auth.test instead of calling it before every ack.
        # (A closure, not the bound method: Bolt's authorize injection does not skip `self`.)
        async def authorize() -> AuthorizeResult:
            return await self._authorize()

        return AsyncApp(
            name="samverkansboten",
            client=make_web_client(None, api_url),
            authorize=authorize,
            signing_secret=self._signing_secret or "",  # never read SLACK_* from the env
            request_verification_enabled=self._signing_secret is not None,
            process_before_response=False,
            logger=logging.getLogger("bot.platforms.slack.bolt"),
        )

    async def _authorize(self) -> AuthorizeResult:
        if self._auth is None:
            response = await self.client.auth_test()
            self._auth = AuthorizeResult.from_auth_test_response(
                auth_test_response=response, bot_token=self._bot_token)
            self.workspace.know_bot_user(self._auth.bot_user_id)
        return self._auth

    # -- transport -----------------------------------------------------------------------
    @property
    def http_enabled(self) -> bool:
        return self._signing_secret is not None

    def add_routes(self, web_app: web.Application) -> None:
        """`POST /slack/events` (HTTP mode). Without a signing secret nothing is added: an
        unverifiable endpoint would accept forged commands."""
        if not self.http_enabled:
            log.info("Slack HTTP mode off (no signing secret); %s not served", EVENTS_PATH)
            return
        web_app.router.add_post(EVENTS_PATH, self.handle_http)

    async def handle_http(self, request: web.Request) -> web.Response:
        response = await self.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def start(self) -> None:
        """Check the bot token (auth.test) and connect Socket Mode if configured. A refused
        token stops the start with the reason in Swedish (SlackStartError)."""
        try:
            auth = await self._authorize()
        except SlackApiError as exc:
            raise SlackStartError(api_error_text(exc)) from exc
        log.info("Slack: signed in as %s in %s", auth.bot_user_id, auth.team)
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self.bolt, app_token=self._app_token)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("Slack Socket Mode connected")

    async def health(self) -> str | None:
        """None when the bot token was accepted (auth.test) and, in Socket Mode, the socket is
        connected; else the reason in Swedish, for `GET /healthz`."""
        if self._auth is None:
            return "inte inloggad (auth.test)"
        if self._app_token and self._socket is None:
            return "Socket Mode är inte ansluten"
        return None

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        try:
            await self.inflight.wait(within=10)
        except TimeoutError:
            log.warning("Slack: %s commands still running at shutdown", len(self.inflight))

    async def wait_idle(self, within: float = 30.0) -> None:
        """Until every command received so far has been answered (tests, shutdown)."""
        await self.inflight.wait(within)
