"""Telegram adapter (python-telegram-bot 22): the same commands as everywhere else.

Every command, button press and private message goes through ``handlers.dispatch.handle``;
this module only decides who may ask (a Telegram bot can be found by anyone), turns the
reply into HTML messages (``telegram_html``) and delivers them: rate-limited, a
``RetryAfter`` waited out, long replies split. It runs inside the caller's event loop
(``serve_telegram``), so Slack, Telegram and the reminder scheduler share one loop."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import logging
import re
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from telegram import (
    BotCommand,
    CallbackQuery,
    Chat,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot import messages as M
from bot.adapters.telegram_html import CallbackCommands, keyboard, render
from bot.runtime import Runtime
from handlers.dispatch import split_command
from handlers.registry import Registry
from bot.replies import Reply, ReplyKind
from handlers.worker import handle_off_loop

log = logging.getLogger(__name__)

PLATFORM = "telegram"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
COMMAND_NAME_OK = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
RATE_LIMIT_RETRIES = 5  # RetryAfter answers waited out per request before giving up
STRANGER_COOLDOWN = 60.0  # seconds: a stranger can't make the bot answer faster than this
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


# -- the token never reaches a log ----------------------------------------------------
_secrets: set[str] = set()
_factory_installed = False


def _redact(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, "<telegram-token>")
    return text


def protect_token(token: str) -> None:
    """Redact ``token`` from every log record made in this process.

    httpx logs each request URL, and the Bot API puts the token in the URL; PTB logs it
    at debug level. A record factory sees every record, whichever handler prints it."""
    global _factory_installed
    _secrets.add(token)
    for name in ("httpx", "httpcore"):  # one INFO line per request otherwise
        logging.getLogger(name).setLevel(logging.WARNING)
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        clean = _redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if _redact(text) != text:
                record.exc_text = _redact(text)
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True


def webhook_secret(token: str) -> str:
    """The webhook's secret_token, derived from the bot token: nothing extra to configure,
    unguessable without the token, allowed characters only (hex)."""
    return hmac.new(b"reportbot-telegram-webhook", token.encode("utf-8"), hashlib.sha256).hexdigest()


def _chat_key(chat_id: int | str) -> int | str:
    """Numeric chat ids as int; '@channelname' stays a string."""
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)


class TelegramBot:
    """The handlers behind one ``Application``: access rules, replies, button presses."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.callbacks = CallbackCommands(store=rt.store)
        self._stranger_answered: dict[int, float] = {}

    # -- who may ask --------------------------------------------------------------------
    @property
    def allowed_chats(self) -> set[str]:
        return self.rt.settings.allowed_telegram_chats()

    def is_admin(self, user: User | None) -> bool:
        return user is not None and str(user.id) in set(self.rt.settings.telegram.admin_users)

    def is_allowed(self, chat: Chat | None, user: User | None) -> bool:
        """An allowed chat, or a private chat with an allowed user or an admin.

        An allowed user in a stranger's group is not answered: everyone there would read it."""
        if chat is None:
            return False
        if str(chat.id) in self.allowed_chats:
            return True
        if chat.type == Chat.PRIVATE and user is not None:
            return str(user.id) in self.allowed_chats or self.is_admin(user)
        return False

    def _stranger_may_hear(self, chat_id: int) -> bool:
        now = time.monotonic()
        last = self._stranger_answered.get(chat_id)
        if last is not None and now - last < STRANGER_COOLDOWN:
            return False
        self._stranger_answered[chat_id] = now
        if len(self._stranger_answered) > 10_000:  # forget the oldest half
            for key in sorted(self._stranger_answered, key=self._stranger_answered.get)[:5_000]:  # type: ignore[arg-type]
                del self._stranger_answered[key]
        return True

    async def _turn_away(self, message: Message) -> None:
        if self._stranger_may_hear(message.chat.id):
            await message.get_bot().send_message(
                chat_id=message.chat.id, text=M.TELEGRAM_NOT_ALLOWED.format(chat_id=message.chat.id)
            )

    async def _run(self, text: str, chat: Chat, user: User | None) -> Reply:
        ctx = self.rt.context(
            PLATFORM,
            user_id=str(user.id) if user else None,
            channel_id=str(chat.id),
            is_admin=self.is_admin(user),
        )
        return await handle_off_loop(text, ctx)  # off the loop: polling and sends go on meanwhile

    # -- sending ------------------------------------------------------------------------
    async def send_reply(
        self, bot: Any, chat_id: int | str, reply: Reply, reply_to: int | None = None
    ) -> list[Message]:
        """Send a reply as one or more messages; the keyboard goes under the last one."""
        chunks = render(reply)
        markup = keyboard(reply, self.callbacks.encode)
        sent: list[Message] = []
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            sent.append(
                await bot.send_message(
                    chat_id=chat_id,
                    text=chunk,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_PREVIEW,
                    reply_markup=markup if last else None,
                    reply_parameters=(
                        ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
                        if reply_to is not None and i == 0
                        else None
                    ),
                )
            )
        if reply.chart is not None:
            await self._send_chart(bot, chat_id, reply)
        return sent

    async def _send_chart(self, bot: Any, chat_id: int | str, reply: Reply) -> None:
        """The reply's chart as a photo under the text; the text answer stands without it."""
        from bot.charts import render_png

        assert reply.chart is not None
        try:
            png = await asyncio.to_thread(render_png, reply.chart)
            await bot.send_photo(chat_id=chat_id, photo=png, caption=reply.chart.title[:1024])
        except Exception:  # a chart that cannot be drawn or sent never loses the answer
            log.warning("telegram chart not sent", exc_info=True)

    async def on_group_mention(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """'@reportbot_bot 뉴미디어 예산' in a group: read as a question, answered as a reply."""
        message = update.effective_message
        if message is None or not message.text:
            return
        handle_name = "@" + (context.bot.username or "")
        if handle_name == "@" or handle_name.lower() not in message.text.lower():
            return  # another user or bot was mentioned
        if not self.is_allowed(message.chat, message.from_user):
            await self._turn_away(message)
            return
        idx = message.text.lower().index(handle_name.lower())
        text = (message.text[:idx] + message.text[idx + len(handle_name) :]).strip() or "/help"
        reply = await self._run(text, message.chat, message.from_user)
        await self.send_reply(context.bot, message.chat.id, reply, reply_to=message.message_id)

    async def _edit_reply(self, query: CallbackQuery, reply: Reply) -> None:
        """Replace the pressed message with the new reply; any overflow follows as new messages."""
        message = query.message
        if not isinstance(message, Message):  # too old to edit: answer below it instead
            if message is not None:
                await self.send_reply(query.get_bot(), message.chat.id, reply)
            return
        chunks = render(reply)
        markup = keyboard(reply, self.callbacks.encode)
        try:
            await message.edit_text(
                chunks[0],
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=markup if len(chunks) == 1 else None,
            )
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                # Too old or deleted: the answer still arrives, as a new message.
                log.info("could not edit message %s (%s); sending anew", message.message_id, exc.message)
                await self.send_reply(query.get_bot(), message.chat.id, reply)
                return
        for i, chunk in enumerate(chunks[1:], start=2):
            await query.get_bot().send_message(
                chat_id=message.chat.id,
                text=chunk,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=markup if i == len(chunks) else None,
            )

    # -- updates ------------------------------------------------------------------------
    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        name, _ = split_command(message.text)
        target = message.text.split(" ", 1)[0].partition("@")[2]
        if target and target.lower() != (context.bot.username or "").lower():
            return  # '/cmd@otherbot' in a group is not for us
        in_group = message.chat.type != Chat.PRIVATE
        if in_group and not target and name not in self.rt.registry and name != "start":
            return  # an unknown bare command in a group is probably another bot's
        if not self.is_allowed(message.chat, message.from_user):
            await self._turn_away(message)
            return
        text = message.text
        if name == "start" and "start" not in self.rt.registry:
            payload = split_command(message.text)[1]
            decoded = decode_start_payload(payload) if payload else "/help"  # no payload: the bot introduces itself
            if decoded is None:
                reply = Reply(kind=ReplyKind.USAGE, title=M.TELEGRAM_BAD_START, shareable=False)
                await self.send_reply(context.bot, message.chat.id, reply, reply_to=message.message_id if in_group else None)
                return
            text = decoded  # a deep link (t.me/<bot>?start=PAYLOAD) runs the command it carries
        reply = await self._run(text, message.chat, message.from_user)
        await self.send_reply(context.bot, message.chat.id, reply, reply_to=message.message_id if in_group else None)

    async def on_private_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        if not self.is_allowed(message.chat, message.from_user):
            await self._turn_away(message)
            return
        reply = await self._run(message.text or "", message.chat, message.from_user)
        await self.send_reply(context.bot, message.chat.id, reply)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        chat = update.effective_chat
        if not self.is_allowed(chat, query.from_user):
            chat_id = chat.id if chat else query.from_user.id
            await query.answer(M.TELEGRAM_NOT_ALLOWED.format(chat_id=chat_id), show_alert=True)
            return
        command = self.callbacks.decode(query.data)
        if command is None or chat is None:
            await query.answer(M.TELEGRAM_BUTTON_EXPIRED, show_alert=True)
            return
        await query.answer()  # stop the button's spinner before the lookup
        reply = await self._run(command, chat, query.from_user)
        await self._edit_reply(query, reply)

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A report file sent to the bot (bot/upload.py): a preview with 저장/취소 buttons.
        In a group only an admin's file is taken up (others share files for other reasons)."""
        from telegram.error import TelegramError
        from telegram.ext import ApplicationHandlerStop

        from bot.upload import Incoming, Uploads

        message = update.effective_message
        if message is None or message.document is None:
            return
        user = message.from_user
        admin = self.is_admin(user)
        if not self.is_allowed(message.chat, user):
            await self._turn_away(message)
            raise ApplicationHandlerStop
        if message.chat.type != Chat.PRIVATE and not admin:
            raise ApplicationHandlerStop
        doc = message.document
        incoming = Incoming(
            name=doc.file_name or "file",
            size=doc.file_size,
            user=str(user.id) if user else "",
            user_label=(user.full_name if user else "") or (str(user.id) if user else "?"),
            platform=PLATFORM,
            chat=str(message.chat.id),
        )
        uploads = Uploads(self.rt.store, self.rt.settings)
        reply = uploads.refusal(incoming, admin)
        if reply is None:
            try:
                tg_file = await context.bot.get_file(doc.file_id)
                data = bytes(await tg_file.download_as_bytearray())
            except TelegramError:
                log.warning("telegram file download failed")
                reply = Reply(title=M.UPLOAD_DOWNLOAD_FAILED.format(name=incoming.name), shareable=False)
            else:
                reply = await asyncio.to_thread(uploads.receive, incoming, data, admin)
        await self.send_reply(context.bot, message.chat.id, reply)
        raise ApplicationHandlerStop  # the file is answered: no text handler after it

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed", exc_info=context.error)

    # -- wiring -------------------------------------------------------------------------
    def build(self, token: str, base_url: str) -> Application:
        app = (
            Application.builder()
            .token(token)
            .base_url(base_url)
            .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
            .base_file_url(file_url(base_url))
            .build()
        )
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, self.on_document), group=-1)
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, self.on_command))
        app.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.COMMAND, self.on_private_text)
        )
        app.add_handler(
            MessageHandler(
                filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & filters.Entity("mention") & ~filters.COMMAND,
                self.on_group_mention,
            )
        )
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_error_handler(self.on_error)
        return app


def file_url(base_url: str) -> str:
    """Where files are downloaded: Telegram's 'https://api.telegram.org/file/bot' beside
    its '…/bot' API root (a local Bot API server or a test fake alike)."""
    root = base_url.rstrip("/")
    return (root[: -len("bot")] if root.endswith("/bot") else root + "/") + "file/bot"


# The menu in the order people use the commands; the rest follow in registry order.
MENU_FIRST = ("budget", "program", "audit", "upcoming", "help")
START_PAYLOAD_MAX = 64  # Telegram: characters of a /start parameter, [A-Za-z0-9_-]
_START_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def start_payload(command: str) -> str | None:
    """The deep-link parameter for ``command``: base64url of its UTF-8, no padding
    (``https://t.me/<bot>?start=<payload>``); None when it would exceed Telegram's 64
    characters (48 bytes: about 15 Korean characters)."""
    payload = base64.urlsafe_b64encode(command.encode("utf-8")).decode("ascii").rstrip("=")
    return payload if len(payload) <= START_PAYLOAD_MAX else None


def deep_link(username: str, command: str) -> str | None:
    payload = start_payload(command)
    return f"https://t.me/{username}?start={payload}" if payload else None


def decode_start_payload(payload: str) -> str | None:
    """The command a /start parameter carries, or None when it is not one of ours."""
    payload = payload.strip()
    if not _START_PAYLOAD.match(payload):
        return None
    try:
        text = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    text = text.strip()
    return text if text and text.isprintable() else None


def menu_commands(registry: Registry) -> list[BotCommand]:
    """Every registered command (not aliases, not admin verbs) with its Korean summary,
    the ones people use most first (``MENU_FIRST``)."""
    out: list[BotCommand] = []
    for key, spec in registry.items():
        if key != spec.name or spec.admin_only:
            continue
        if not (1 <= len(key) <= 32) or not set(key) <= COMMAND_NAME_OK:
            continue
        out.append(BotCommand(key, spec.summary.strip()[:256] or key))
    first = {name: i for i, name in enumerate(MENU_FIRST)}
    return sorted(out, key=lambda c: first.get(c.command, len(first)))  # stable: the rest keep their order


async def register_menu(app: Application, registry: Registry) -> None:
    try:
        await app.bot.set_my_commands(menu_commands(registry))
    except (BadRequest, NetworkError):
        log.warning(M.TELEGRAM_MENU_FAILED, exc_info=True)


class TelegramSender:
    """Posts reminders and digests to Telegram chats (``Runtime.senders['telegram']``)."""

    platform = PLATFORM

    def __init__(self, tbot: TelegramBot, app: Application) -> None:
        self._tbot = tbot
        self._app = app

    async def send(self, channel: str, reply: Reply) -> None:
        # A chat taken off the allow-list stops getting reminders subscribed earlier.
        if str(channel) not in self._tbot.allowed_chats:
            raise PermissionError(M.TELEGRAM_SEND_NOT_ALLOWED.format(chat_id=channel))
        await self._tbot.send_reply(self._app.bot, _chat_key(channel), reply)


async def _start(app: Application, rt: Runtime, token: str, poll_timeout: float, webhook_listen: str) -> str:
    """Initialise (getMe), register the menu, start receiving; the mode, for the log."""
    await app.initialize()
    await register_menu(app, rt.registry)
    await app.start()
    assert app.updater is not None
    url = rt.settings.telegram.webhook_url
    if url:
        await app.updater.start_webhook(
            listen=webhook_listen,
            port=rt.settings.telegram.webhook_port,
            url_path=urlparse(url).path.lstrip("/"),
            webhook_url=url,
            secret_token=webhook_secret(token),
            allowed_updates=ALLOWED_UPDATES,
        )
        return M.TELEGRAM_MODE_WEBHOOK.format(url=url)
    await app.updater.start_polling(timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES)
    return M.TELEGRAM_MODE_POLLING


async def _stop(app: Application) -> None:
    with contextlib.suppress(Exception):
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
    with contextlib.suppress(Exception):
        if app.running:
            await app.stop()
    with contextlib.suppress(Exception):
        await app.shutdown()


async def serve_telegram(
    rt: Runtime,
    *,
    poll_timeout: float = 10.0,
    webhook_listen: str = "0.0.0.0",
    retry_delays: Sequence[float] = (1, 2, 5, 10, 30, 60),
) -> None:
    """Run the Telegram bot in the running event loop until cancelled.

    Long polling unless ``telegram.webhook_url`` is configured. An unreachable API is
    retried (the network comes back); a refused token ends the task (it will not)."""
    secret = rt.settings.telegram_bot_token
    if secret is None or not secret.get_secret_value().strip():
        log.error(M.TELEGRAM_NO_TOKEN)
        return
    token = secret.get_secret_value().strip()
    protect_token(token)
    base_url = rt.settings.telegram_api_url.rstrip("/")
    if not rt.settings.allowed_telegram_chats():
        log.warning(M.TELEGRAM_NO_ALLOWED_CHATS)
    attempt = 0
    while True:
        tbot = TelegramBot(rt)
        app = tbot.build(token, base_url)
        try:
            mode = await _start(app, rt, token, poll_timeout, webhook_listen)
        except InvalidToken:
            log.error(M.TELEGRAM_BAD_TOKEN)
            await _stop(app)
            return
        except asyncio.CancelledError:
            await _stop(app)
            raise
        except (NetworkError, TimedOut, RetryAfter, OSError):
            await _stop(app)
            delay = retry_delays[min(attempt, len(retry_delays) - 1)]
            attempt += 1
            log.warning(M.TELEGRAM_UNREACHABLE.format(url=base_url, delay=delay))
            await asyncio.sleep(delay)
            continue
        break
    rt.add_sender(TelegramSender(tbot, app))
    log.info(M.TELEGRAM_STARTED.format(username=app.bot.username, mode=mode, chats=len(rt.settings.allowed_telegram_chats())))
    try:
        await asyncio.Event().wait()  # until cancelled
    finally:
        rt.senders.pop(PLATFORM, None)
        await _stop(app)
