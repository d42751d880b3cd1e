"""What the bot does with each Slack request: slash commands, mentions, direct messages,
shared files, button clicks and the App Home tab.

Acknowledged the way Bolt documents it for a long-running app: commands and actions call
``await ack()`` first, events are acknowledged by Bolt before the listener runs, and Bolt
(``process_before_response=False``, its default) hands the ack to the transport as soon
as ``ack()`` is called while the listener goes on. Each listener then waits for the ack to
be on the wire (``slack_transport.acked``) and runs the lookup in the handler worker
thread (``handlers.worker``), so the event loop stays free to acknowledge the next request.
Lookups answer ephemerally with a "채널에 공유" button; paging and candidate buttons
replace the message they sit on."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncBoltRequest
from slack_sdk.errors import SlackApiError

from bot import messages as M
from bot.adapters.slack_blocks import ACTION_RUN_PREFIX, ACTION_SHARE, SlackMessage, render_reply
from bot.adapters.slack_delivery import SlackDelivery, api_error, open_dm
from bot.adapters.slack_home import ACTION_HOME_UNSUBSCRIBE, home_view, parse_unsubscribe
from bot.adapters.slack_text import feed_command, slack_to_plain, slash_to_command, strip_bot_mention
from bot.adapters.slack_transport import SeenEvents, acked
from bot.pgstore.replica import is_shared
from bot.replies import Reply, ReplyKind
from bot.runtime import Runtime
from handlers.notice import ChannelNotice, collecting
from handlers.worker import handle_off_loop, run_off_loop

log = logging.getLogger(__name__)

PLATFORM = "slack"
_LOOKUP_KINDS = {ReplyKind.ANSWER}  # a candidate list is not worth sharing
Body = dict[str, Any]


def retry_identity(body: Body) -> str | None:
    """What stays the same when Slack retries a request or a proxy repeats it: an event's
    ``event_id``, a command's or an action's ``trigger_id``."""
    if not isinstance(body, dict):
        return None
    if body.get("event_id"):
        return f"slack:event:{body['event_id']}"
    if body.get("trigger_id"):
        return f"slack:trigger:{body['trigger_id']}"
    return None


def _ids(body: Body) -> tuple[str | None, str | None]:
    """(user, channel) of a block action's body."""
    return (body.get("user") or {}).get("id"), (body.get("channel") or {}).get("id")


class SlackListeners:
    """The listener functions of one Bolt app, over the runtime and the delivery."""

    def __init__(self, rt: Runtime, delivery: SlackDelivery) -> None:
        self.rt = rt
        self.delivery = delivery
        self.seen = SeenEvents()  # event ids already run: Slack's retries are answered once

    def register(self, app: AsyncApp) -> None:
        app.use(self.drop_retries)
        app.command(re.compile(r"^/[\w\-]+$"))(self.on_command)
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_direct_message)
        app.action(re.compile(rf"^{ACTION_RUN_PREFIX}\d+$"))(self.on_run_button)
        app.action(ACTION_SHARE)(self.on_share_button)
        app.action(ACTION_HOME_UNSUBSCRIBE)(self.on_home_unsubscribe)
        app.event("app_home_opened")(self.on_home_opened)
        app.error(self.on_error)

    # -- middleware --------------------------------------------------------------------

    async def drop_retries(self, body: Body, request: AsyncBoltRequest, resp: BoltResponse, next: Any) -> BoltResponse | None:
        """Answer a redelivered event 200 without running it again — also when the first
        delivery went to another replica of a shared store (``taken_elsewhere``)."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not self.seen.first_time(str(event_id)):
            retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
            log.info("Slack event %s redelivered (retry %s): already handled", event_id, retry)
            return BoltResponse(status=200, body="")
        if await self.taken_elsewhere(body):
            return BoltResponse(status=200, body="")
        await next()
        return resp

    async def taken_elsewhere(self, body: Body) -> bool:
        """On a shared (PostgreSQL) store, several replicas behind a load balancer: Slack's
        retry of an event, or a request the balancer repeated, may land on another replica
        than the first. The request's identity (event_id; a command's or action's
        trigger_id) is claimed in the store — a unique insert, one replica wins. A TinyDB
        store serves one process: the local check above is all it needs."""
        key = retry_identity(body)
        claim = getattr(self.rt.store, "claim_once", None)
        if key is None or claim is None or not is_shared(self.rt.store):
            return False
        try:
            first = await asyncio.to_thread(claim, key)
        except Exception:  # the store unreachable: better answered twice than never
            log.warning("could not claim Slack request %s in the shared store; answering it here", key, exc_info=True)
            return False
        if not first:
            log.info("Slack request %s already taken by another replica", key)
        return not first

    async def on_error(self, error: Exception, body: Body) -> None:
        log.error("Slack listener failed: %s", type(error).__name__, exc_info=error)

    # -- running a command -------------------------------------------------------------

    def is_admin(self, user_id: str | None) -> bool:
        return bool(user_id) and user_id in self.rt.settings.slack.admin_users

    async def run(self, command: str, user_id: str | None, channel_id: str | None) -> Reply:
        """The command in the handler worker thread: the loop keeps acking and sending meanwhile."""
        ctx = self.rt.context(PLATFORM, user_id=user_id, channel_id=channel_id, is_admin=self.is_admin(user_id))
        return await handle_off_loop(command, ctx)

    async def run_for_channel(self, text: str, user_id: str | None, channel_id: str | None) -> tuple[Reply, list[ChannelNotice]]:
        """Run ``text``; a subscription only where the bot can post. Also returns what the
        channel should hear about it (the handlers' notices)."""
        if feed_command(text) and channel_id:
            refusal = await self.delivery.cannot_post(channel_id)
            if refusal is not None:
                return refusal, []
        with collecting() as notices:  # the worker thread runs in a copy of this context
            reply = await self.run(text, user_id, channel_id)
        return reply, notices

    def may_share(self, reply: Reply) -> bool:
        return self.rt.settings.slack.share_button and reply.shareable and reply.kind in _LOOKUP_KINDS

    def render(self, reply: Reply, **kw: Any) -> list[SlackMessage]:
        return render_reply(reply, native_tables=self.rt.settings.slack.native_tables, **kw)

    # -- slash commands and messages ---------------------------------------------------

    async def on_command(self, ack: AsyncAck, command: Body, context: AsyncBoltContext) -> None:
        await ack()  # first, always: the lookup runs after Slack has its 200
        await acked(context)
        text = slash_to_command(command.get("command", ""), command.get("text", ""))
        user_id, channel_id = command.get("user_id"), command.get("channel_id")
        reply, notices = await self.run_for_channel(text, user_id, channel_id)
        messages = self.render(reply, command=text, share=self.may_share(reply))
        url = command.get("response_url")
        await self.delivery.respond_all(url, messages, ephemeral=True, channel=channel_id, user=user_id)
        await self.delivery.announce(channel_id, user_id, notices, url)

    async def on_mention(self, event: Body, context: AsyncBoltContext) -> None:
        """Bolt acknowledges events itself, before this runs."""
        await acked(context)
        if event.get("files"):
            await self.on_files(event)  # a report file shared with a mention
            return
        raw = strip_bot_mention(event.get("text", ""), context.bot_user_id)
        text = slack_to_plain(raw).strip() or "/help"  # free text: handle() reads it as a question
        # in the thread it was asked in; a top-level mention gets a thread of its own
        thread_ts = event.get("thread_ts") or (event.get("ts") if self.rt.settings.slack.mention_in_thread else None)
        await self._answer_in_channel(text, event, thread_ts)

    async def on_direct_message(self, event: Body, context: AsyncBoltContext) -> None:
        """A direct message to the bot (message.im): read as a question like a mention.
        Other message events (channels, edits, the bot's own posts) are not for us."""
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        await acked(context)
        if event.get("files"):
            await self.on_files(event)  # a report file sent to the bot
            return
        if event.get("subtype"):
            return
        text = slack_to_plain(event.get("text", "")).strip() or "/help"
        await self._answer_in_channel(text, event, None)

    async def _answer_in_channel(self, text: str, event: Body, thread_ts: str | None) -> None:
        channel = event.get("channel")
        reply = await self.run(text, event.get("user"), channel)
        if not channel:
            return
        for msg in self.render(reply, command=text):
            await self.delivery.post(channel, msg, thread_ts=thread_ts)
        await self.delivery.upload_chart(channel, reply, thread_ts=thread_ts)

    async def on_files(self, event: Body) -> None:
        """A report file shared with the bot (DM or mention): a preview with 저장/취소
        (bot/upload.py). Downloaded from url_private with the bot token (files:read)."""
        from bot.upload import Incoming, Uploads

        channel, user = event.get("channel"), event.get("user")
        if not channel:
            return
        uploads = Uploads(self.rt.store, self.rt.settings)
        admin = self.is_admin(user)
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
            data = await self.delivery.download_file(f, self.rt.settings.upload.max_upload_bytes)
            if data is None:
                reply = Reply(title=M.UPLOAD_DOWNLOAD_FAILED.format(name=incoming.name), shareable=False)
            else:
                reply = await asyncio.to_thread(uploads.receive, incoming, data, admin)
        for msg in render_reply(reply, command=""):
            await self.delivery.post(channel, msg, thread_ts=event.get("thread_ts"))

    # -- buttons -----------------------------------------------------------------------

    async def on_run_button(self, ack: AsyncAck, body: Body, action: Body, context: AsyncBoltContext) -> None:
        await ack()
        await acked(context)
        command = str(action.get("value", ""))
        user_id, channel_id = _ids(body)
        container = body.get("container") or {}
        if container.get("type") == "view" or body.get("view"):  # App Home: the answer comes by DM
            await self._answer_in_dm(command, user_id)
            return
        reply, notices = await self.run_for_channel(command, user_id, channel_id)
        messages = self.render(reply, command=command, share=self.may_share(reply))
        url = body.get("response_url")
        # Under the asker's own (ephemeral) answer a button turns the page in place; under
        # a shared answer it opens a new ephemeral page for whoever clicked, and the
        # public answer (with its "shared by" line) stays as everyone saw it.
        replace = bool(container.get("is_ephemeral"))
        await self.delivery.respond_all(url, messages, ephemeral=True, replace=replace, channel=channel_id, user=user_id)
        await self.delivery.announce(channel_id, user_id, notices, url)

    async def _answer_in_dm(self, command: str, user_id: str | None) -> None:
        if not user_id:
            return
        reply = await self.run(command, user_id, None)
        try:
            dm = await open_dm(self.delivery.client, user_id)
            for msg in self.render(reply, command=command):
                await self.delivery.post(dm, msg)
        except SlackApiError as exc:
            log.warning("Slack DM answer failed: %s", api_error(exc))

    async def on_share_button(self, ack: AsyncAck, body: Body, action: Body, context: AsyncBoltContext) -> None:
        await ack()
        await acked(context)
        command = str(action.get("value", ""))
        user_id, channel_id = _ids(body)
        response_url = body.get("response_url")
        reply = await self.run(command, user_id, channel_id)
        shared = await self.delivery.share(channel_id, response_url, self.render(reply, command=command, shared_by=user_id))
        if not response_url:
            return
        if shared:
            await self.delivery.respond(response_url, {"delete_original": True})
        else:
            await self.delivery.respond(response_url, {"response_type": "ephemeral", "replace_original": False, "text": M.SLACK_SHARE_FAILED})

    # -- App Home ----------------------------------------------------------------------

    async def on_home_opened(self, event: Body, context: AsyncBoltContext) -> None:
        """The Home tab, rebuilt each time it is opened: the person's subscriptions (with
        해지 buttons), the next 14 days of what they follow, the latest reports, shortcuts."""
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        await acked(context)
        await self.publish_home(str(event["user"]))

    async def publish_home(self, user_id: str) -> None:
        view = await run_off_loop(home_view, self.rt, user_id)  # store reads: off the loop
        try:
            await self.delivery.client.views_publish(user_id=user_id, view=view)
        except SlackApiError as exc:
            log.warning("Slack views.publish failed: %s", api_error(exc))

    async def on_home_unsubscribe(self, ack: AsyncAck, body: Body, action: Body, context: AsyncBoltContext) -> None:
        """해지 on the Home tab: only a subscription this person made; then the tab again."""
        await ack()
        await acked(context)
        user_id = (body.get("user") or {}).get("id")
        wanted = parse_unsubscribe(str(action.get("value", "")))
        if not user_id or wanted is None:
            return
        channel, target, kind = wanted
        if any(
            s.platform == PLATFORM and s.channel == channel and s.target == target and s.kind == kind and s.created_by == user_id
            for s in self.rt.store.subscriptions(include_paused=True)
        ):
            self.rt.store.remove_subscription(PLATFORM, channel, target, kind)
        await self.publish_home(user_id)
