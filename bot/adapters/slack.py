"""Slack adapter: slack-bolt's ``AsyncApp`` wired to the platform-free handlers.

Every request is acknowledged first and answered afterwards (Slack gives 3 seconds):
slash commands and button clicks through their ``response_url``, mentions and shares
through ``chat.postMessage``. Lookups answer ephemerally with a "채널에 공유" button;
paging and candidate buttons replace the message they sit on. Both connection modes
share one app: Socket Mode (``SLACK_APP_TOKEN``, no public URL) and HTTP (``/slack/events``,
signed with ``SLACK_SIGNING_SECRET``). Slack's 429s are waited out by slack_sdk's
rate-limit retry handler on every outgoing call. Tokens never reach a log line."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import re
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_bolt.adapter.socket_mode.internals import build_headers
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot import messages as M
from bot.logs import REQUEST_ID, new_request_id
from bot.adapters.slack_blocks import ACTION_RUN_PREFIX, ACTION_SHARE, SlackMessage, escape, render_reply, user_mention
from bot.adapters.slack_home import ACTION_HOME_UNSUBSCRIBE, home_view, parse_unsubscribe
from bot.runtime import Runtime
from handlers.dispatch import split_command
from handlers.notice import ChannelNotice, collecting
from handlers.worker import handle_off_loop
from handlers.mention import to_command as mention_to_command
from bot.replies import Reply, ReplyKind

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
PLATFORM = "slack"
RATE_LIMIT_RETRIES = 3
ACK_SENT = "reportbot_ack_sent"  # request-context key: an Event set once Slack has our 200
ACK_WAIT = 3.0  # never hold a listener longer than Slack would wait for the ack anyway
# Slack retries an event three times within minutes; an hour of ids is plenty.
SEEN_EVENTS_TTL = 3600.0
SEEN_EVENTS_MAX = 10_000
# HTTP mode: Slack signs a timestamp and refuses it after 5 minutes; so do we.
SIGNATURE_WINDOW = 300
SEEN_SIGNATURES_MAX = 100_000  # requests within one window before the oldest is forgotten
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are a few kB; aiohttp answers 413 above this
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# Errors after which a share falls back to the response_url (the bot is not in the channel).
_NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived"}
_BAD_TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
_LOOKUP_KINDS = {ReplyKind.ANSWER}  # a candidate list is not worth sharing
# Slack takes 5 posts to one response_url (within 30 minutes); the 6th is lost. Beyond
# that the answer goes with chat.postEphemeral / chat.postMessage where the bot is a member.
RESPONSE_URL_POSTS = 5
RESPONSE_URL_TTL = 30 * 60.0
RESPONSE_URLS_MAX = 10_000
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,20}$")
_DIGEST_SUBSCRIBE = {"subscribe", "구독"}
_SLACK_MARKUP = re.compile(r"<([^<>]*)>")


def api_base_url(url: str) -> str:
    """slack_sdk drops the last path segment unless the base URL ends in '/'."""
    return url if url.endswith("/") else url + "/"


def retry_handlers() -> list[AsyncRetryHandler]:
    """Connection errors (slack_sdk's default) plus 429s, waited out per Retry-After."""
    return [AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)]


def make_client(token: str, api_url: str) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=api_base_url(api_url), retry_handlers=retry_handlers())


# -- text from Slack -------------------------------------------------------------------


def _unmarkup(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):  # <@U123> or <@U123|name>
        return "@" + (label or target[1:])
    if target.startswith("#"):  # <#C123|general>
        return "#" + (label or target[1:])
    if target.startswith("!"):  # <!channel>, <!subteam^S1|@team>, <!date^…|fallback>
        return label or "@" + target[1:].split("^", 1)[0]
    return label or target  # <https://…|label> or <https://…>


def slack_to_plain(text: str) -> str:
    """Slack's wire format → what the user typed: markup to plain words, entities decoded.
    The handlers see plain text; the reply is escaped again on the way out."""
    return html.unescape(_SLACK_MARKUP.sub(_unmarkup, text or "")).strip()


def strip_bot_mention(text: str, bot_user_id: str | None) -> str:
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    return text


def feed_command(text: str) -> str | None:
    """'subscribe' or 'digest' when ``text`` subscribes the channel it is typed in (also
    through the /reportbot umbrella) — the commands that need the bot able to post there."""
    name, args = split_command(text)
    if name == "reportbot" and args:
        name, args = split_command("/" + args)
    if name == "subscribe" and args.strip():
        return "subscribe"
    if name == "digest" and args.strip().lower() in _DIGEST_SUBSCRIBE:
        return "digest"
    return None


def api_error(exc: Exception) -> str | None:
    """Slack's error code of a failed Web API call (``not_in_channel`` …), else None."""
    if isinstance(exc, SlackApiError) and exc.response is not None:
        return exc.response.get("error")
    return None


async def open_dm(client: AsyncWebClient, user_id: str) -> str:
    """The app's direct-message channel with ``user_id`` (conversations.open, im:write)."""
    res = await client.conversations_open(users=user_id)
    return str((res.get("channel") or {}).get("id") or user_id)


class ResponseUrlBudget:
    """Posts made to each response_url, so the 6th is never sent (Slack drops it)."""

    def __init__(self, limit: int = RESPONSE_URL_POSTS, ttl: float = RESPONSE_URL_TTL, maximum: int = RESPONSE_URLS_MAX) -> None:
        self.limit = limit
        self._ttl = ttl
        self._max = maximum
        self._used: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def _forget_old(self) -> None:
        now = time.monotonic()
        while self._used and (len(self._used) > self._max or next(iter(self._used.values()))[1] < now - self._ttl):
            self._used.popitem(last=False)

    def take(self, url: str) -> bool:
        """Count one post to ``url``; False (nothing counted) when its 5 are used up."""
        self._forget_old()
        used, first = self._used.get(url, (0, time.monotonic()))
        if used >= self.limit:
            return False
        self._used[url] = (used + 1, first)
        return True

    def left(self, url: str) -> int:
        self._forget_old()
        return self.limit - self._used.get(url, (0, 0.0))[0]


def slash_to_command(command: str, text: str) -> str:
    """'/budget' + '뉴미디어' → '/budget 뉴미디어'. '/reportbot …' goes through as well: its
    handler takes help, admin verbs and free text, on every platform alike."""
    name = command.lstrip("/").strip().lower()
    return f"/{name} {slack_to_plain(text)}".strip()


async def _ack_sent(context: AsyncBoltContext) -> None:
    """Let Slack's 200 (HTTP response or Socket Mode ack) go out before the lookup runs.

    Handlers are synchronous and run on the event loop (the store and the scheduler are
    not thread-safe); without this wait Bolt's dispatcher would only return the ack once
    the listener yields, i.e. after the lookup."""
    sent = context.get(ACK_SENT)
    if sent is not None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(sent.wait(), ACK_WAIT)


class _AckFirstSocketModeHandler(AsyncSocketModeHandler):
    """Socket Mode with the same ack-first ordering as HTTP mode."""

    async def handle(self, client: Any, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time.time()
        sent = asyncio.Event()
        bolt_req = AsyncBoltRequest(mode="socket_mode", body=req.payload, headers=build_headers(req))
        bolt_req.context[ACK_SENT] = sent
        token = REQUEST_ID.set(new_request_id())  # log lines of this envelope share an id
        try:
            bolt_resp = await self.app.async_dispatch(bolt_req)
            await send_async_response(client, req, bolt_resp, start)
        finally:
            sent.set()
            REQUEST_ID.reset(token)


class _QuietBolt(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN is "unused" whenever it is in the environment and a
    client is given; the client carries that very token, so the warning only misleads."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


class SeenEvents:
    """Event ids already taken, so Slack's retries (``X-Slack-Retry-Num``) run once."""

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


def _well_formed(body: bytes, content_type: str) -> bool:
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


# -- the adapter -----------------------------------------------------------------------


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
        self.seen = SeenEvents()
        self.response_urls = ResponseUrlBudget()
        # a signature is unique to its timestamp and body: seen again within Slack's
        # window, it is the same request replayed (by an attacker or a proxy)
        self.seen_signatures = SeenEvents(ttl=SIGNATURE_WINDOW + 60, maximum=SEEN_SIGNATURES_MAX)
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None  # HTTP mode only
        bolt_log = logging.getLogger("bot.adapters.slack.bolt")
        if not any(isinstance(f, _QuietBolt) for f in bolt_log.filters):
            bolt_log.addFilter(_QuietBolt())
        self.app = AsyncApp(
            client=self.client,
            signing_secret=signing_secret or "",
            # Socket Mode needs no signature; HTTP mode refuses to start without a secret.
            request_verification_enabled=bool(signing_secret),
            logger=bolt_log,
        )
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._register()

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

    # -- wiring ------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.use(self._drop_retries)
        app.command(re.compile(r"^/[\w\-]+$"))(self._on_command)
        app.event("app_mention")(self._on_mention)
        app.event("message")(self._on_direct_message)
        app.action(re.compile(rf"^{ACTION_RUN_PREFIX}\d+$"))(self._on_run_button)
        app.action(ACTION_SHARE)(self._on_share_button)
        app.action(ACTION_HOME_UNSUBSCRIBE)(self._on_home_unsubscribe)
        app.event("app_home_opened")(self._on_home_opened)
        app.error(self._on_error)

    async def _drop_retries(self, body: dict[str, Any], request: Any, resp: BoltResponse, next: Any) -> BoltResponse | None:
        """Answer a redelivered event 200 without running it again."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not self.seen.first_time(str(event_id)):
            retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
            log.info("Slack event %s redelivered (retry %s): already handled", event_id, retry)
            return BoltResponse(status=200, body="")
        await next()
        return resp

    async def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack listener failed: %s", type(error).__name__, exc_info=error)

    def _is_admin(self, user_id: str | None) -> bool:
        return bool(user_id) and user_id in self.rt.settings.slack.admin_users

    async def _run(self, command: str, user_id: str | None, channel_id: str | None) -> Reply:
        """The command in the handler worker thread: the loop keeps acking and sending meanwhile."""
        ctx = self.rt.context(PLATFORM, user_id=user_id, channel_id=channel_id, is_admin=self._is_admin(user_id))
        return await handle_off_loop(command, ctx)

    def _may_share(self, reply: Reply) -> bool:
        return self.rt.settings.slack.share_button and reply.shareable and reply.kind in _LOOKUP_KINDS

    def _render(self, reply: Reply, **kw: Any) -> list[SlackMessage]:
        return render_reply(reply, native_tables=self.rt.settings.slack.native_tables, **kw)

    # -- channel-visible changes -------------------------------------------------------

    async def _cannot_post(self, channel: str) -> Reply | None:
        """Why reminders could never reach ``channel`` (a private channel or a DM the bot
        is not in, an archived channel) as a Korean reply, or None when they can. A public
        channel is fine without membership (chat:write.public); a check Slack cannot
        answer (a missing scope, the network) lets the subscription through — a failed
        delivery pauses it later."""
        try:
            info = (await self.client.conversations_info(channel=channel)).get("channel") or {}
        except SlackApiError as exc:
            error = api_error(exc)
            if error in ("channel_not_found", "not_in_channel"):
                hint = M.SLACK_DM_HINT if channel.startswith("D") else M.SLACK_INVITE_HINT
                return Reply(kind=ReplyKind.ERROR, title=M.SLACK_CANNOT_POST_TITLE, summary=[hint], shareable=False)
            log.warning("Slack conversations.info failed (%s): subscription allowed unchecked", error)
            return None
        except Exception as exc:
            log.warning("Slack conversations.info failed (%s): subscription allowed unchecked", type(exc).__name__)
            return None
        if info.get("is_archived"):
            return Reply(kind=ReplyKind.ERROR, title=M.SLACK_CANNOT_POST_TITLE, summary=[M.SLACK_ARCHIVED_HINT], shareable=False)
        if info.get("is_member") or info.get("is_im"):  # the bot's own DM: it can always post there
            return None
        if info.get("is_private") or info.get("is_group") or info.get("is_mpim"):
            return Reply(kind=ReplyKind.ERROR, title=M.SLACK_CANNOT_POST_TITLE, summary=[M.SLACK_INVITE_HINT], shareable=False)
        return None  # a public channel: chat:write.public posts without joining

    async def _run_for_channel(self, text: str, user_id: str | None, channel_id: str | None) -> tuple[Reply, list[ChannelNotice]]:
        """Run ``text``; a subscription only where the bot can post. Also returns what the
        channel should hear about it (the handlers' notices)."""
        feed = feed_command(text)
        if feed and channel_id:
            refusal = await self._cannot_post(channel_id)
            if refusal is not None:
                return refusal, []
        with collecting() as notices:  # the worker thread runs in a copy of this context
            reply = await self._run(text, user_id, channel_id)
        return reply, notices

    async def _announce(self, channel: str | None, user_id: str | None, notices: list[ChannelNotice], response_url: str | None) -> None:
        """One short public line per change, in the channel; the asker's details stay ephemeral."""
        if not channel or not notices:
            return
        who = user_mention(user_id or "") or M.NOTICE_SOMEONE
        for notice in notices:
            text = notice.render(who, escape)
            try:
                await self.client.chat_postMessage(channel=channel, text=text, unfurl_links=False, unfurl_media=False)
            except SlackApiError as exc:
                if api_error(exc) not in _NOT_IN_CHANNEL or not response_url:
                    log.warning("Slack channel notice failed: %s", api_error(exc))
                    continue
                # not a member: the response_url may still post in the channel
                await self._respond(response_url, {"response_type": "in_channel", "replace_original": False, "text": text})

    # -- listeners ---------------------------------------------------------------------

    async def _on_command(self, ack: Any, command: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()  # first, always: the lookup runs after Slack has its 200
        await _ack_sent(context)
        text = slash_to_command(command.get("command", ""), command.get("text", ""))
        user_id, channel_id = command.get("user_id"), command.get("channel_id")
        reply, notices = await self._run_for_channel(text, user_id, channel_id)
        messages = self._render(reply, command=text, share=self._may_share(reply))
        url = command.get("response_url")
        await self._respond_all(url, messages, ephemeral=True, channel=channel_id, user=user_id)
        await self._announce(channel_id, user_id, notices, url)

    async def _on_mention(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        if event.get("files"):
            await self._on_files(event, context)  # a report file shared with a mention
            return
        await _ack_sent(context)  # Bolt acknowledges events itself, before this runs
        raw = strip_bot_mention(event.get("text", ""), context.bot_user_id)
        text = slack_to_plain(raw).strip() or "/help"  # free text: handle() reads it as a question
        channel = event.get("channel")
        reply = await self._run(text, event.get("user"), channel)
        if not channel:
            return
        # in the thread it was asked in; a top-level mention gets a thread of its own
        thread_ts = event.get("thread_ts") or (event.get("ts") if self.rt.settings.slack.mention_in_thread else None)
        for msg in self._render(reply, command=text):
            await self._post(channel, msg, thread_ts=thread_ts)
        await self._upload_chart(channel, reply, thread_ts=thread_ts)

    async def _on_direct_message(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """A direct message to the bot (message.im): read as a question like a mention.
        Other message events (channels, edits, the bot's own posts) are not for us."""
        if event.get("files") and event.get("channel_type") == "im" and not event.get("bot_id"):
            await self._on_files(event, context)  # a report file sent to the bot
            return
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        await _ack_sent(context)
        text = slack_to_plain(event.get("text", "")).strip() or "/help"
        channel = event.get("channel")
        reply = await self._run(text, event.get("user"), channel)
        if not channel:
            return
        for msg in self._render(reply, command=text):
            await self._post(channel, msg)
        await self._upload_chart(channel, reply)

    async def _on_files(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """A report file shared with the bot (DM or mention): a preview with 저장/취소
        (bot/upload.py). Downloaded from url_private with the bot token (files:read)."""
        from bot.upload import Incoming, Uploads

        await _ack_sent(context)
        channel, user = event.get("channel"), event.get("user")
        if not channel:
            return
        uploads = Uploads(self.rt.store, self.rt.settings)
        admin = self._is_admin(user)
        f = (event.get("files") or [{}])[0]  # one report per message
        incoming = Incoming(
            name=str(f.get("name") or f.get("title") or "file"),
            size=f.get("size") if isinstance(f.get("size"), int) else None,
            user=user or "",
            user_label=user or "?",
            platform=PLATFORM,
            chat=channel,
        )
        reply = uploads.refusal(incoming, admin)
        if reply is None:
            data = await self._download_file(f, self.rt.settings.upload.max_upload_bytes)
            if data is None:
                reply = Reply(title=M.UPLOAD_DOWNLOAD_FAILED.format(name=incoming.name), shareable=False)
            else:
                reply = await asyncio.to_thread(uploads.receive, incoming, data, admin)
        for msg in render_reply(reply, command=""):
            await self._post(channel, msg, thread_ts=event.get("thread_ts"))

    async def _download_file(self, f: dict[str, Any], limit: int) -> bytes | None:
        """The file's bytes (at most ``limit`` + 1 read); None when Slack did not give the
        file (no files:read scope answers a login page, not the file)."""
        import aiohttp

        url = f.get("url_private_download") or f.get("url_private")
        try:
            if not url and f.get("id"):
                info = await self.client.files_info(file=f["id"])
                url = (info.get("file") or {}).get("url_private")
            if not url:
                return None
            async with aiohttp.ClientSession() as session:
                async with session.get(url, headers={"Authorization": f"Bearer {self.client.token}"}) as resp:
                    if resp.status != 200 or resp.content_type == "text/html":
                        log.warning("Slack file download refused: HTTP %s %s", resp.status, resp.content_type)
                        return None
                    return await resp.content.read(limit + 1)
        except Exception as exc:  # a network hiccup is a polite reply, not a traceback
            log.warning("Slack file download failed: %s", type(exc).__name__)
            return None

    async def _upload_chart(self, channel: str, reply: Reply, thread_ts: str | None = None) -> None:
        """The reply's chart as an image under the text (files:write); the text answer stands without it."""
        if reply.chart is None:
            return
        from bot.charts import chart_filename, render_png

        try:
            png = await asyncio.to_thread(render_png, reply.chart)
            kwargs: dict[str, Any] = {"channel": channel, "content": png, "filename": chart_filename(reply.chart), "title": reply.chart.title}
            if thread_ts:
                kwargs["thread_ts"] = thread_ts
            await self.client.files_upload_v2(**kwargs)
        except Exception as exc:  # a chart that cannot be drawn or uploaded never loses the answer
            log.warning("Slack chart upload failed: %s", type(exc).__name__)

    async def _on_run_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        await _ack_sent(context)
        command = str(action.get("value", ""))
        user_id = (body.get("user") or {}).get("id")
        channel_id = (body.get("channel") or {}).get("id")
        container = body.get("container") or {}
        if container.get("type") == "view" or body.get("view"):  # App Home: the answer comes by DM
            await self._answer_in_dm(command, user_id)
            return
        ephemeral = bool(container.get("is_ephemeral"))
        reply, notices = await self._run_for_channel(command, user_id, channel_id)
        messages = self._render(reply, command=command, share=self._may_share(reply))
        url = body.get("response_url")
        # Under the asker's own (ephemeral) answer a button turns the page in place; under
        # a shared answer it opens a new ephemeral page for whoever clicked, and the
        # public answer (with its "shared by" line) stays as everyone saw it.
        await self._respond_all(url, messages, ephemeral=True, replace=ephemeral, channel=channel_id, user=user_id)
        await self._announce(channel_id, user_id, notices, url)

    async def _answer_in_dm(self, command: str, user_id: str | None) -> None:
        if not user_id:
            return
        reply = await self._run(command, user_id, None)
        try:
            dm = await open_dm(self.client, user_id)
            for msg in self._render(reply, command=command):
                await self._post(dm, msg)
        except SlackApiError as exc:
            log.warning("Slack DM answer failed: %s", api_error(exc))

    # -- App Home ----------------------------------------------------------------------

    async def _on_home_opened(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """The Home tab, rebuilt each time it is opened: the person's subscriptions (with
        해지 buttons), the next 14 days of what they follow, the latest reports, shortcuts."""
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        await _ack_sent(context)
        await self.publish_home(str(event["user"]))

    async def publish_home(self, user_id: str) -> None:
        view = home_view(self.rt, user_id)
        try:
            await self.client.views_publish(user_id=user_id, view=view)
        except SlackApiError as exc:
            log.warning("Slack views.publish failed: %s", api_error(exc))

    async def _on_home_unsubscribe(self, ack: Any, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext) -> None:
        """해지 on the Home tab: only a subscription this person made; then the tab again."""
        await ack()
        await _ack_sent(context)
        user_id = (body.get("user") or {}).get("id")
        wanted = parse_unsubscribe(str(action.get("value", "")))
        if not user_id or wanted is None:
            return
        channel, target, kind = wanted
        mine = [
            s
            for s in self.rt.store.subscriptions(include_paused=True)
            if s.platform == PLATFORM and s.channel == channel and s.target == target and s.kind == kind and s.created_by == user_id
        ]
        if mine:
            self.rt.store.remove_subscription(PLATFORM, channel, target, kind)
        await self.publish_home(user_id)

    async def _on_share_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        await _ack_sent(context)
        command = str(action.get("value", ""))
        user_id = (body.get("user") or {}).get("id")
        channel_id = (body.get("channel") or {}).get("id")
        response_url = body.get("response_url")
        reply = await self._run(command, user_id, channel_id)
        messages = self._render(reply, command=command, shared_by=user_id)
        shared = False
        if channel_id:
            try:
                for msg in messages:
                    await self._post(channel_id, msg)
                shared = True
            except SlackApiError as exc:
                error = exc.response.get("error") if exc.response is not None else None
                if error not in _NOT_IN_CHANNEL:
                    log.warning("Slack share failed: %s", error)
        if not shared and response_url:
            # not a member of the channel: the response_url may still post there
            shared = await self._respond_all(response_url, messages, in_channel=True)
        if not response_url:
            return
        if shared:
            await self._respond(response_url, {"delete_original": True})
        else:
            await self._respond(response_url, {"response_type": "ephemeral", "replace_original": False, "text": M.SLACK_SHARE_FAILED})

    # -- outgoing ----------------------------------------------------------------------

    async def _post(self, channel: str, msg: SlackMessage, thread_ts: str | None = None) -> None:
        kwargs: dict[str, Any] = {"channel": channel, "text": msg.text, "blocks": msg.blocks, "unfurl_links": False, "unfurl_media": False}
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        await self.client.chat_postMessage(**kwargs)

    async def _respond(self, url: str, body: dict[str, Any]) -> bool:
        if not self.response_urls.take(url):  # Slack would drop it: the caller posts another way
            log.info("Slack response_url used %d times: not posting to it again", RESPONSE_URL_POSTS)
            return False
        client = AsyncWebhookClient(url=url, retry_handlers=retry_handlers(), logger=log)
        try:
            res = await client.send_dict(body)
        except Exception as exc:  # network trouble: logged, the user simply gets no answer
            log.warning("Slack response_url failed: %s", type(exc).__name__)
            return False
        if res.status_code != 200:
            log.warning("Slack response_url answered %s", res.status_code)
            return False
        return True

    async def _respond_all(
        self,
        url: str | None,
        messages: list[SlackMessage],
        *,
        ephemeral: bool = False,
        replace: bool = False,
        in_channel: bool = False,
        channel: str | None = None,
        user: str | None = None,
    ) -> bool:
        """Send ``messages`` through a response_url; the first may replace the original.
        Past the url's 5 posts the rest go by chat.postEphemeral (or chat.postMessage for
        a public answer) to ``channel``, which needs the bot there."""
        if not url:
            return False
        ok = True
        for i, msg in enumerate(messages):
            if self.response_urls.left(url) <= 0:
                return await self._post_rest(messages[i:], channel, user, ephemeral=ephemeral and not in_channel) and ok
            body: dict[str, Any] = {**msg.payload(), "unfurl_links": False, "unfurl_media": False}
            body["response_type"] = "ephemeral" if ephemeral and not in_channel else "in_channel"
            body["replace_original"] = bool(replace and i == 0)
            ok = await self._respond(url, body) and ok
        return ok

    async def _post_rest(self, messages: list[SlackMessage], channel: str | None, user: str | None, ephemeral: bool) -> bool:
        if not channel or (ephemeral and not user):
            log.warning("Slack response_url used up and no channel to post in: %d message(s) not sent", len(messages))
            return False
        try:
            for msg in messages:
                kwargs: dict[str, Any] = {"channel": channel, "text": msg.text, "blocks": msg.blocks}
                if ephemeral:
                    await self.client.chat_postEphemeral(user=user, **kwargs)
                else:
                    await self.client.chat_postMessage(unfurl_links=False, unfurl_media=False, **kwargs)
        except SlackApiError as exc:
            log.warning("Slack response_url used up and %s failed: %s", "chat.postEphemeral" if ephemeral else "chat.postMessage", api_error(exc))
            return False
        return True

    # -- transports --------------------------------------------------------------------

    async def _http_request(self, request: web.Request) -> web.StreamResponse:
        """Bolt's aiohttp glue, plus: the request is checked by us first (see
        ``_refusal``), every log line it causes carries its request id, and the 200 is
        written to the socket before the listener (which waits on ``ACK_SENT``) starts the
        lookup."""
        token = REQUEST_ID.set(new_request_id())
        try:
            refusal = await self._refusal(request)
            if refusal is not None:
                return refusal
            try:
                bolt_req = await to_bolt_request(request)
            except ValueError:  # a body Bolt cannot parse after all
                log.warning("Slack request refused: malformed body")
                return web.Response(status=400, text="malformed request")
            sent = asyncio.Event()
            bolt_req.context[ACK_SENT] = sent
            try:
                bolt_resp = await self.app.async_dispatch(bolt_req)
                response = await to_aiohttp_response(bolt_resp)
                await response.prepare(request)
                await response.write_eof()
            finally:
                sent.set()
            return response
        finally:
            REQUEST_ID.reset(token)

    async def _refusal(self, request: web.Request) -> web.Response | None:
        """The answer to a request Bolt must not see, or None to let it through.

        Bolt itself would log an unsigned request's whole body (one 1 MiB POST, one 1 MiB
        log line, newlines and all), answer a non-numeric timestamp or a broken body with a
        500 and a traceback, and run a signed request as often as it is replayed. Here: a
        bad or missing timestamp or a malformed body is a 400, a bad signature a 401, and
        a replay (a signature already taken, within Slack's 5 minutes) an empty 200 — each
        logged as one short line, never with the body."""
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.warning("Slack request refused: body over %d bytes", MAX_BODY_BYTES)
            return web.Response(status=413, text="request too large")
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not _TIMESTAMP.fullmatch(timestamp):
            log.warning("Slack request refused: missing or malformed timestamp (%d bytes)", len(body))
            return web.Response(status=400, text="malformed request")
        try:
            body.decode("utf-8")  # Slack sends UTF-8; slack_sdk's verifier would raise
        except UnicodeDecodeError:
            log.warning("Slack request refused: body is not UTF-8 (%d bytes)", len(body))
            return web.Response(status=400, text="malformed request")
        if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW:
            log.warning("Slack request refused: timestamp outside the %d s window", SIGNATURE_WINDOW)
            return web.Response(status=401, text="invalid request")
        if self._verifier is None or not self._verifier.is_valid(body, timestamp, signature):
            log.warning("Slack request refused: bad signature (%d bytes)", len(body))
            return web.Response(status=401, text="invalid request")
        if not self.seen_signatures.first_time(signature):
            log.info("Slack request replayed (same signature): answered once already")
            return web.Response(status=200, text="")
        if not _well_formed(body, request.content_type):
            log.warning("Slack request refused: malformed %s body (%d bytes)", request.content_type or "untyped", len(body))
            return web.Response(status=400, text="malformed request")
        return None

    async def check_token(self) -> None:
        """auth.test once at start, so a wrong token is reported now and in Korean rather
        than on the first user's request. An unreachable Slack is only a warning: HTTP mode
        can still receive, and slack_sdk retries later calls."""
        try:
            res = await self.client.auth_test()
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
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
        web_app = web.Application(client_max_size=MAX_BODY_BYTES)
        web_app.router.add_post(EVENTS_PATH, self._http_request)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host=host, port=port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            raise SlackConfigError(M.SLACK_PORT_BUSY.format(host=host, port=port, reason=exc.strerror or exc)) from None
        bound = port
        server = getattr(site, "_server", None)
        if server is not None and server.sockets:
            bound = server.sockets[0].getsockname()[1]
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
            error = exc.response.get("error") if exc.response is not None else None
            if error != "ratelimited":
                raise SlackConfigError(M.SLACK_BAD_APP_TOKEN.format(reason=error)) from None
        except Exception as exc:  # network: slack_sdk keeps trying to connect below
            log.warning(M.SLACK_CHECK_FAILED.format(reason=type(exc).__name__))
        self._socket = _AckFirstSocketModeHandler(self.app, app_token=self.app_token, web_client=self.client, logger=log)
        if url:
            self._socket.client.wss_uri = url
        await self._socket.connect_async()
        log.info(M.SLACK_SOCKET_CONNECTED)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class SlackConfigError(Exception):
    """A missing token or secret; ``message`` is the Korean line for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SlackSender:
    """Posts reminders and digests into Slack channels (``rt.senders['slack']``)."""

    platform = PLATFORM

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def send(self, channel: str, reply: Reply) -> None:
        for msg in render_reply(reply):
            await self.client.chat_postMessage(
                channel=channel, text=msg.text, blocks=msg.blocks, unfurl_links=False, unfurl_media=False
            )

    def unreachable(self, exc: Exception) -> str | None:
        """The error code when Slack will not take posts in the channel at all (the bot
        is not in it, it is gone or archived): no retry helps until someone acts."""
        error = api_error(exc)
        return error if error in _NOT_IN_CHANNEL else None

    async def notify_paused(self, user: str, channel: str, targets: list[str], reason: str) -> None:
        """Tell the subscriber, by DM, that the channel's reminders are paused and why."""
        names = ", ".join(M.TARGET_DIGEST if t == "digest" else (M.TARGET_ALL if t == "all" else t) for t in targets)
        text = M.SLACK_PAUSED_DM.format(channel=channel if _CHANNEL_ID.match(channel) else "?", reason=escape(reason), targets=escape(names))
        dm = await open_dm(self.client, user)
        await self.client.chat_postMessage(channel=dm, text=text, unfurl_links=False, unfurl_media=False)


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
