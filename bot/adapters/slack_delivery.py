"""Everything the Slack adapter sends: Web API posts, response_url answers, charts,
channel notices, file downloads, and the reminder sender.

Slack takes 5 posts to one response_url (within 30 minutes) and drops the 6th, so the
posts are counted and the rest go by chat.postEphemeral / chat.postMessage. Slack's 429s
are waited out by slack_sdk's rate-limit retry handler on every outgoing call."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot import messages as M
from bot.adapters.slack_blocks import SlackMessage, escape, render_reply, user_mention
from bot.replies import Reply, ReplyKind
from handlers.notice import ChannelNotice
from reminders.receipts import send_metadata

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3
# Errors after which a post cannot reach the channel (the bot is not in it, it is gone).
NOT_IN_CHANNEL = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
RESPONSE_URL_POSTS = 5
RESPONSE_URL_TTL = 30 * 60.0
RESPONSE_URLS_MAX = 10_000
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,20}$")


def api_base_url(url: str) -> str:
    """slack_sdk drops the last path segment unless the base URL ends in '/'."""
    return url if url.endswith("/") else url + "/"


def retry_handlers() -> list[AsyncRetryHandler]:
    """Connection errors (slack_sdk's default) plus 429s, waited out per Retry-After."""
    return [AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)]


def make_client(token: str, api_url: str) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=api_base_url(api_url), retry_handlers=retry_handlers())


def api_error(exc: Exception) -> str | None:
    """Slack's error code of a failed Web API call (``not_in_channel`` …), else None."""
    if isinstance(exc, SlackApiError) and exc.response is not None:
        error = exc.response.get("error")
        return str(error) if error is not None else None
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


def _cannot_post_reply(hint: str) -> Reply:
    return Reply(kind=ReplyKind.ERROR, title=M.SLACK_CANNOT_POST_TITLE, summary=[hint], shareable=False)


class SlackDelivery:
    """The Web API client and the response_url counts: every way an answer leaves."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self.response_urls = ResponseUrlBudget()

    async def post(self, channel: str, msg: SlackMessage, thread_ts: str | None = None) -> None:
        kwargs: dict[str, Any] = {"channel": channel, "text": msg.text, "blocks": msg.blocks, "unfurl_links": False, "unfurl_media": False}
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        await self.client.chat_postMessage(**kwargs)

    async def respond(self, url: str, body: dict[str, Any]) -> bool:
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

    async def respond_all(
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
            ok = await self.respond(url, body) and ok
        return ok

    async def _post_rest(self, messages: list[SlackMessage], channel: str | None, user: str | None, ephemeral: bool) -> bool:
        if not channel or (ephemeral and not user):
            log.warning("Slack response_url used up and no channel to post in: %d message(s) not sent", len(messages))
            return False
        try:
            for msg in messages:
                kwargs: dict[str, Any] = {"channel": channel, "text": msg.text, "blocks": msg.blocks}
                if ephemeral and user:
                    await self.client.chat_postEphemeral(user=user, **kwargs)
                else:
                    await self.client.chat_postMessage(unfurl_links=False, unfurl_media=False, **kwargs)
        except SlackApiError as exc:
            log.warning("Slack response_url used up and %s failed: %s", "chat.postEphemeral" if ephemeral else "chat.postMessage", api_error(exc))
            return False
        return True

    async def share(self, channel: str | None, response_url: str | None, messages: list[SlackMessage]) -> bool:
        """Post ``messages`` publicly in ``channel``; where the bot is not a member, the
        response_url may still post there. True when they went out."""
        if channel:
            try:
                for msg in messages:
                    await self.post(channel, msg)
                return True
            except SlackApiError as exc:
                if api_error(exc) not in NOT_IN_CHANNEL:
                    log.warning("Slack share failed: %s", api_error(exc))
        return bool(response_url) and await self.respond_all(response_url, messages, in_channel=True)

    async def announce(self, channel: str | None, user_id: str | None, notices: list[ChannelNotice], response_url: str | None) -> None:
        """One short public line per change, in the channel; the asker's details stay ephemeral."""
        if not channel or not notices:
            return
        who = user_mention(user_id or "") or M.NOTICE_SOMEONE
        for notice in notices:
            text = notice.render(who, escape)
            try:
                await self.client.chat_postMessage(channel=channel, text=text, unfurl_links=False, unfurl_media=False)
            except SlackApiError as exc:
                if api_error(exc) not in NOT_IN_CHANNEL or not response_url:
                    log.warning("Slack channel notice failed: %s", api_error(exc))
                    continue
                # not a member: the response_url may still post in the channel
                await self.respond(response_url, {"response_type": "in_channel", "replace_original": False, "text": text})

    async def cannot_post(self, channel: str) -> Reply | None:
        """Why reminders could never reach ``channel`` (a private channel or a DM the bot
        is not in, an archived channel) as a Korean reply, or None when they can. A public
        channel is fine without membership (chat:write.public); a check Slack cannot
        answer (a missing scope, the network) lets the subscription through — a failed
        delivery pauses it later."""
        try:
            info = (await self.client.conversations_info(channel=channel)).get("channel") or {}
        except Exception as exc:
            error = api_error(exc)
            if error in ("channel_not_found", "not_in_channel"):
                return _cannot_post_reply(M.SLACK_DM_HINT if channel.startswith("D") else M.SLACK_INVITE_HINT)
            log.warning("Slack conversations.info failed (%s): subscription allowed unchecked", error or type(exc).__name__)
            return None
        if info.get("is_archived"):
            return _cannot_post_reply(M.SLACK_ARCHIVED_HINT)
        if info.get("is_member") or info.get("is_im"):  # the bot's own DM: it can always post there
            return None
        if info.get("is_private") or info.get("is_group") or info.get("is_mpim"):
            return _cannot_post_reply(M.SLACK_INVITE_HINT)
        return None  # a public channel: chat:write.public posts without joining

    async def upload_chart(self, channel: str, reply: Reply, thread_ts: str | None = None) -> None:
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

    async def download_file(self, f: dict[str, Any], limit: int) -> bytes | None:
        """The file's bytes (at most ``limit`` + 1 read); None when Slack did not give the
        file (no files:read scope answers a login page, not the file)."""
        url = f.get("url_private_download") or f.get("url_private")
        try:
            if not url and f.get("id"):
                info = await self.client.files_info(file=f["id"])
                url = (info.get("file") or {}).get("url_private")
            if not url:
                return None
            headers = {"Authorization": f"Bearer {self.client.token}"}
            async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as resp:
                if resp.status != 200 or resp.content_type == "text/html":
                    log.warning("Slack file download refused: HTTP %s %s", resp.status, resp.content_type)
                    return None
                return await resp.content.read(limit + 1)
        except Exception as exc:  # a network hiccup is a polite reply, not a traceback
            log.warning("Slack file download failed: %s", type(exc).__name__)
            return None


class SlackSender:
    """Posts reminders and digests into Slack channels (``rt.senders['slack']``)."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def send(self, channel: str, reply: Reply) -> None:
        for msg in render_reply(reply):
            await self.client.chat_postMessage(
                channel=channel, text=msg.text, blocks=msg.blocks, unfurl_links=False, unfurl_media=False
            )

    async def send_tagged(self, channel: str, reply: Reply, keys: list[str]) -> None:
        """As ``send``, the first message carrying the sent-log keys as Slack ``metadata``,
        so a claim left open by a crash can be asked back at start (reminders/receipts.py)."""
        for i, msg in enumerate(render_reply(reply)):
            await self.client.chat_postMessage(
                channel=channel,
                text=msg.text,
                blocks=msg.blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata=send_metadata(keys) if i == 0 else None,  # None: left out of the call
            )

    def unreachable(self, exc: Exception) -> str | None:
        """The error code when Slack will not take posts in the channel at all (the bot
        is not in it, it is gone or archived): no retry helps until someone acts."""
        error = api_error(exc)
        return error if error in NOT_IN_CHANNEL else None

    async def notify_paused(self, user: str, channel: str, targets: list[str], reason: str) -> None:
        """Tell the subscriber, by DM, that the channel's reminders are paused and why."""
        names = ", ".join(M.TARGET_DIGEST if t == "digest" else (M.TARGET_ALL if t == "all" else t) for t in targets)
        text = M.SLACK_PAUSED_DM.format(channel=channel if _CHANNEL_ID.match(channel) else "?", reason=escape(reason), targets=escape(names))
        dm = await open_dm(self.client, user)
        await self.client.chat_postMessage(channel=dm, text=text, unfurl_links=False, unfurl_media=False)
