"""Slack adapter: slack-bolt's ``AsyncApp`` wired to the platform-free handlers.

Every request is acknowledged first and answered afterwards (Slack gives 3 seconds):
slash commands and button clicks through their ``response_url``, mentions and shares
through ``chat.postMessage``. Both connection modes share one app: Socket Mode
(``SLACK_APP_TOKEN``, no public URL) and HTTP (``/slack/events``, signed with
``SLACK_SIGNING_SECRET``). Tokens never reach a log line. Only Bolt's and slack_sdk's
public API is used: an ``AsyncApp`` with its listeners, middleware and ``async_dispatch``,
Bolt's aiohttp request/response conversion, slack_sdk's Socket Mode client.

The parts: ``slack_text`` (Slack's markup → command text), ``slack_listeners`` (what each
request does), ``slack_delivery`` (everything sent), ``slack_transport`` (HTTP endpoint,
Socket Mode, the ack-first ordering), ``slack_blocks`` / ``slack_home`` (Block Kit)."""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot import messages as M
from bot.adapters.slack_delivery import SlackDelivery, SlackSender, api_error, make_client
from bot.adapters.slack_listeners import SlackListeners
from bot.adapters.slack_transport import SlackHttpEndpoint, SlackSocketMode
from bot.runtime import Runtime

__all__ = ["SlackAdapter", "SlackConfigError", "SlackSender", "serve_slack"]

log = logging.getLogger(__name__)

_BAD_TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
# Bolt's warning when SLACK_BOT_TOKEN is in the environment and a client is given too.
_TOKEN_UNUSED = "`token` will be unused"


class _QuietBolt(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN is "unused" whenever it is in the environment and a
    client is given; the client carries that very token, so the warning only misleads.
    Matched by its text: should Bolt reword it, the warning shows again, nothing breaks."""

    def filter(self, record: logging.LogRecord) -> bool:
        return _TOKEN_UNUSED not in record.getMessage()


class SlackConfigError(Exception):
    """A missing token or secret; ``message`` is the Korean line for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SlackAdapter:
    """One Bolt app plus the transport it is served over."""

    def __init__(
        self,
        rt: Runtime,
        *,
        token: str,
        api_url: str,
        signing_secret: str | None = None,
        app_token: str | None = None,
    ) -> None:
        self.rt = rt
        self.signing_secret = signing_secret
        self.app_token = app_token
        self.client = make_client(token, api_url)
        self.delivery = SlackDelivery(self.client)
        bolt_log = logging.getLogger("bot.adapters.slack.bolt")
        if not any(isinstance(f, _QuietBolt) for f in bolt_log.filters):
            bolt_log.addFilter(_QuietBolt())
        self.app = AsyncApp(
            client=self.client,
            signing_secret=signing_secret or "",
            # Socket Mode needs no signature; HTTP mode refuses to start without a secret
            # (and checks signatures itself, in slack_transport, before Bolt sees a request).
            request_verification_enabled=bool(signing_secret),
            logger=bolt_log,
        )
        self.listeners = SlackListeners(rt, self.delivery)
        self.listeners.register(self.app)
        self._http: SlackHttpEndpoint | None = None
        self._socket: SlackSocketMode | None = None

    @classmethod
    def from_settings(cls, rt: Runtime) -> SlackAdapter:
        s = rt.settings
        if s.slack_bot_token is None or not s.slack_bot_token.get_secret_value():
            raise SlackConfigError(M.SLACK_NO_BOT_TOKEN)
        return cls(
            rt,
            token=s.slack_bot_token.get_secret_value(),
            api_url=s.slack_api_url,
            signing_secret=s.slack_signing_secret.get_secret_value() if s.slack_signing_secret else None,
            app_token=s.slack_app_token.get_secret_value() if s.slack_app_token else None,
        )

    async def check_token(self) -> None:
        """auth.test once at start, so a wrong token is reported now and in Korean rather
        than on the first user's request. An unreachable Slack is only a warning: HTTP mode
        can still receive, and slack_sdk retries later calls."""
        try:
            res = await self.client.auth_test()
        except SlackApiError as exc:
            error = api_error(exc)
            if error in _BAD_TOKEN:
                raise SlackConfigError(M.SLACK_BAD_TOKEN) from None
            log.warning(M.SLACK_CHECK_FAILED.format(reason=error))
            return
        except Exception as exc:  # network: aiohttp/OS errors after slack_sdk's own retry
            log.warning(M.SLACK_CHECK_FAILED.format(reason=type(exc).__name__))
            return
        log.info(M.SLACK_CONNECTED_AS.format(user=res.get("user"), team=res.get("team")))

    async def start_http(self, host: str = "0.0.0.0", port: int = 3000) -> int:
        """Serve ``/slack/events``; returns the bound port (``port=0`` picks a free one)."""
        if not self.signing_secret:
            raise SlackConfigError(M.SLACK_NO_SIGNING_SECRET)
        endpoint = SlackHttpEndpoint(self.app, self.signing_secret)
        try:
            bound = await endpoint.start(host, port)
        except OSError as exc:
            raise SlackConfigError(M.SLACK_PORT_BUSY.format(host=host, port=port, reason=exc.strerror or exc)) from None
        self._http = endpoint
        log.info(M.SLACK_HTTP_LISTENING.format(host=host, port=bound))
        return bound

    async def start_socket_mode(self) -> None:
        if not self.app_token:
            raise SlackConfigError(M.SLACK_NO_MODE)
        # Ask for the WebSocket URL ourselves first: slack_sdk would retry a rejected app
        # token forever, logging a traceback each time; we stop with one Korean line.
        url: str | None = None
        try:
            url = (await self.client.apps_connections_open(app_token=self.app_token)).get("url")
        except SlackApiError as exc:
            error = api_error(exc)
            if error != "ratelimited":
                raise SlackConfigError(M.SLACK_BAD_APP_TOKEN.format(reason=error)) from None
        except Exception as exc:  # network: slack_sdk keeps trying to connect below
            log.warning(M.SLACK_CHECK_FAILED.format(reason=type(exc).__name__))
        self._socket = SlackSocketMode(self.app, self.app_token, self.client)
        await self._socket.connect(url)
        log.info(M.SLACK_SOCKET_CONNECTED)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None
        if self._http is not None:
            await self._http.stop()
            self._http = None


async def serve_slack(rt: Runtime, http: bool = False, port: int = 3000, host: str = "0.0.0.0") -> None:
    """Run the Slack side of ``reportbot run`` until cancelled.

    Socket Mode when SLACK_APP_TOKEN is set and ``--http`` is not given; HTTP otherwise."""
    try:
        adapter = SlackAdapter.from_settings(rt)
        rt.add_sender(SlackSender(adapter.client))
        await adapter.check_token()
        if http or not adapter.app_token:
            if not http:
                if not adapter.signing_secret:
                    raise SlackConfigError(M.SLACK_NO_MODE)
                log.info(M.SLACK_FALLBACK_HTTP.format(port=port))
            await adapter.start_http(host=host, port=port)
        else:
            await adapter.start_socket_mode()
    except SlackConfigError as exc:
        log.error(exc.message)
        return
    try:
        await asyncio.Event().wait()
    finally:
        await adapter.stop()
