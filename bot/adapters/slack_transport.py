"""How Slack's requests reach the Bolt app and their acknowledgements leave: HTTP mode
(``POST /slack/events`` served by aiohttp) and Socket Mode (slack_sdk's
``SocketModeClient``), both through Bolt's public ``AsyncApp.async_dispatch``.

Both transports put an event into the request's context (``ACK_SENT``) and set it once
Slack's acknowledgement is on the wire; a listener calls ``await ack()`` and then
``await acked(context)`` before its lookup, so under a burst every ack goes out before
the lookups start competing with the event loop for the interpreter.

HTTP requests are checked here before Bolt sees them. Bolt itself would log an unsigned request's whole body (one 1 MiB POST, one 1 MiB log
line, newlines and all), answer a non-numeric timestamp or a broken body with a 500 and a
traceback, and run a signed request as often as it is replayed. Here a bad or missing
timestamp or a malformed body is a 400, a bad signature a 401, and a replay (a signature
already taken, within Slack's 5 minutes) an empty 200 — each logged as one short line,
never with the body."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt import BoltResponse
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.logs import REQUEST_ID, new_request_id

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Slack retries an event three times within minutes; an hour of ids is plenty.
SEEN_EVENTS_TTL = 3600.0
SEEN_EVENTS_MAX = 10_000
# HTTP mode: Slack signs a timestamp and refuses it after 5 minutes; so do we.
SIGNATURE_WINDOW = 300
SEEN_SIGNATURES_MAX = 100_000  # requests within one window before the oldest is forgotten
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are a few kB; aiohttp answers 413 above this
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
ACK_SENT = "reportbot_ack_sent"  # request-context key: an Event set once Slack has our ack
ACK_WAIT = 3.0  # never hold a listener longer than Slack would wait for the ack anyway


async def acked(context: Mapping[str, Any]) -> None:
    """Wait until the transport has sent this request's acknowledgement (no wait when the
    request came some other way, e.g. a test calling ``async_dispatch`` directly)."""
    sent = context.get(ACK_SENT)
    if isinstance(sent, asyncio.Event):
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(sent.wait(), ACK_WAIT)


class SeenEvents:
    """Ids already taken, so Slack's retries (``X-Slack-Retry-Num``) and replayed
    signatures run once."""

    def __init__(self, ttl: float = SEEN_EVENTS_TTL, maximum: int = SEEN_EVENTS_MAX) -> None:
        self._ttl = ttl
        self._max = maximum
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        now = time.monotonic()
        while self._seen and (len(self._seen) > self._max or next(iter(self._seen.values())) < now - self._ttl):
            self._seen.popitem(last=False)
        if event_id in self._seen:
            return False
        self._seen[event_id] = now
        return True


def well_formed(body: bytes, content_type: str) -> bool:
    """A body Bolt can read: UTF-8, a JSON object, or a form whose ``payload`` (if any)
    is a JSON object."""
    try:
        text = body.decode("utf-8")
        if content_type == "application/json":
            return isinstance(json.loads(text), dict)
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text), max_num_fields=1000)
        if "payload" in form:
            return isinstance(json.loads(form["payload"][0]), dict)
        return True
    except (UnicodeDecodeError, ValueError):  # JSONDecodeError is a ValueError
        return False


def _refused(status: int, text: str, why: str, *args: object) -> web.Response:
    log.warning("Slack request refused: " + why, *args)
    return web.Response(status=status, text=text)


class SlackHttpEndpoint:
    """``POST /slack/events`` for one Bolt app, with our checks in front of it."""

    def __init__(self, app: AsyncApp, signing_secret: str) -> None:
        self.app = app
        self._verifier = SignatureVerifier(signing_secret)
        # a signature is unique to its timestamp and body: seen again within Slack's
        # window, it is the same request replayed (by an attacker or a proxy)
        self.seen_signatures = SeenEvents(ttl=SIGNATURE_WINDOW + 60, maximum=SEEN_SIGNATURES_MAX)
        self._runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Bolt's aiohttp glue, plus: the request is checked by us first (``refusal``),
        every log line it causes carries its request id, and the 200 is written before
        ``ACK_SENT`` is set. Bolt returns as soon as the listener has called ``ack()``."""
        token = REQUEST_ID.set(new_request_id())
        try:
            refusal = await self.refusal(request)
            if refusal is not None:
                return refusal
            try:
                bolt_req = await to_bolt_request(request)
            except ValueError:  # a body Bolt cannot parse after all
                return _refused(400, "malformed request", "malformed body")
            sent = asyncio.Event()
            bolt_req.context[ACK_SENT] = sent
            try:
                response = await to_aiohttp_response(await self.app.async_dispatch(bolt_req))
                await response.prepare(request)
                await response.write_eof()
            finally:
                sent.set()
            return response
        finally:
            REQUEST_ID.reset(token)

    async def refusal(self, request: web.Request) -> web.Response | None:
        """The answer to a request Bolt must not see, or None to let it through."""
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _refused(413, "request too large", "body over %d bytes", MAX_BODY_BYTES)
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not _TIMESTAMP.fullmatch(timestamp):
            return _refused(400, "malformed request", "missing or malformed timestamp (%d bytes)", len(body))
        try:
            body.decode("utf-8")  # Slack sends UTF-8; slack_sdk's verifier would raise
        except UnicodeDecodeError:
            return _refused(400, "malformed request", "body is not UTF-8 (%d bytes)", len(body))
        if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW:
            return _refused(401, "invalid request", "timestamp outside the %d s window", SIGNATURE_WINDOW)
        if not self._verifier.is_valid(body, timestamp, signature):
            return _refused(401, "invalid request", "bad signature (%d bytes)", len(body))
        if not self.seen_signatures.first_time(signature):
            log.info("Slack request replayed (same signature): answered once already")
            return web.Response(status=200, text="")
        if not well_formed(body, request.content_type):
            return _refused(400, "malformed request", "malformed %s body (%d bytes)", request.content_type or "untyped", len(body))
        return None

    async def start(self, host: str, port: int) -> int:
        """Listen on ``host:port``; returns the bound port (``port=0`` picks a free one).
        Raises OSError when the address cannot be had."""
        web_app = web.Application(client_max_size=MAX_BODY_BYTES)
        web_app.router.add_post(EVENTS_PATH, self.handle)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host=host, port=port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        bound = [address for address in runner.addresses if isinstance(address, tuple)]
        return int(bound[0][1]) if bound else port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _retry_headers(req: SocketModeRequest) -> dict[str, str | Sequence[str]]:
    """Socket Mode's retry fields as the HTTP headers a retried event carries."""
    headers: dict[str, str | Sequence[str]] = {}
    if req.retry_attempt is not None:
        headers["x-slack-retry-num"] = str(req.retry_attempt)
    if req.retry_reason is not None:
        headers["x-slack-retry-reason"] = req.retry_reason
    return headers


def _socket_ack(envelope_id: str, resp: BoltResponse) -> SocketModeResponse:
    """Bolt's acknowledgement as a Socket Mode response (a body becomes its payload)."""
    if not resp.body:
        return SocketModeResponse(envelope_id=envelope_id)
    if resp.headers.get("content-type", [""])[0].startswith("application/json"):
        return SocketModeResponse(envelope_id=envelope_id, payload=json.loads(resp.body))
    return SocketModeResponse(envelope_id=envelope_id, payload={"text": resp.body})


class SlackSocketMode:
    """Socket Mode over slack_sdk's client: each envelope dispatched to the Bolt app and
    acknowledged on the socket, in the envelope's own task with its own request id."""

    def __init__(self, app: AsyncApp, app_token: str, web_client: AsyncWebClient) -> None:
        self.app = app
        self.client = SocketModeClient(app_token=app_token, logger=log, web_client=web_client)
        self.client.socket_mode_request_listeners.append(self.handle)

    async def handle(self, client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        token = REQUEST_ID.set(new_request_id())
        sent = asyncio.Event()
        try:
            bolt_req = AsyncBoltRequest(mode="socket_mode", body=req.payload, headers=_retry_headers(req) or None, context={ACK_SENT: sent})
            resp = await self.app.async_dispatch(bolt_req)
            if resp.status == 200:
                await client.send_socket_mode_response(_socket_ack(req.envelope_id, resp))
            else:  # not acknowledged: Slack delivers it again
                log.info("Slack envelope not acknowledged (status %s)", resp.status)
        finally:
            sent.set()
            REQUEST_ID.reset(token)

    async def connect(self, wss_url: str | None) -> None:
        """Connect; ``wss_url`` is an apps.connections.open answer already in hand."""
        if wss_url:
            self.client.wss_uri = wss_url
        await self.client.connect()

    async def close(self) -> None:
        await self.client.close()
