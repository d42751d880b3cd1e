"""Telegram adapter (python-telegram-bot 22): the same commands as everywhere else.

This module wires a ``TelegramBot`` (``telegram_bot``: who may ask, what each update runs,
how replies are delivered) into PTB's ``Application``, keeps the token out of every log
line, registers the command menu (``telegram_links``) and runs polling or a webhook:
rate-limited, a ``RetryAfter`` waited out. It runs inside the caller's event loop
(``serve_telegram``), so Slack, Telegram and the reminder scheduler share one loop."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, MessageHandler, filters

from bot import messages as M
from bot.adapters.telegram_bot import PLATFORM, TelegramBot
from bot.adapters.telegram_links import menu_commands
from bot.replies import Reply
from bot.runtime import Runtime
from handlers.registry import Registry

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
RATE_LIMIT_RETRIES = 5  # RetryAfter answers waited out per request before giving up


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


def file_url(base_url: str) -> str:
    """Where files are downloaded: Telegram's 'https://api.telegram.org/file/bot' beside
    its '…/bot' API root (a local Bot API server or a test fake alike)."""
    root = base_url.rstrip("/")
    return (root[: -len("bot")] if root.endswith("/bot") else root + "/") + "file/bot"


def build_application(tbot: TelegramBot, token: str, base_url: str) -> Application:
    """PTB's ``Application`` with ``tbot``'s handlers: files first (group -1), then
    commands, private text, group mentions and button presses."""
    app = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .base_file_url(file_url(base_url))
        .build()
    )
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, tbot.on_document), group=-1)
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, tbot.on_command))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.COMMAND, tbot.on_private_text))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & filters.Entity("mention") & ~filters.COMMAND,
            tbot.on_group_mention,
        )
    )
    app.add_handler(CallbackQueryHandler(tbot.on_button))
    app.add_error_handler(tbot.on_error)
    return app


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
    await app.updater.start_polling(timeout=timedelta(seconds=poll_timeout), allowed_updates=ALLOWED_UPDATES)
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
        app = build_application(tbot, token, base_url)
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
