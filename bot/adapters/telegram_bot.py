"""The Telegram bot's behaviour behind one ``Application``: who may ask (a Telegram bot
can be found by anyone), what each update runs, and how a reply is delivered (HTML
messages from ``telegram_html``, long replies split, a chart as a photo, a pressed
button's message edited in place). Every command, button press and private message goes
through ``handlers.dispatch.handle``, in the handler worker thread."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from telegram import CallbackQuery, Chat, LinkPreviewOptions, Message, ReplyParameters, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import messages as M
from bot.adapters.telegram_html import CallbackCommands, keyboard, render
from bot.adapters.telegram_links import decode_start_payload
from bot.replies import Reply, ReplyKind
from bot.runtime import Runtime
from handlers.dispatch import split_command
from handlers.worker import handle_off_loop

log = logging.getLogger("bot.adapters.telegram")

PLATFORM = "telegram"
STRANGER_COOLDOWN = 60.0  # seconds: a stranger can't make the bot answer faster than this
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


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
        if message is None or not message.text or not self._for_us(message, message.text, context.bot.username):
            return
        if not self.is_allowed(message.chat, message.from_user):
            await self._turn_away(message)
            return
        reply_to = message.message_id if message.chat.type != Chat.PRIVATE else None
        text = self._start_command(message.text)
        if text is None:
            reply = Reply(kind=ReplyKind.USAGE, title=M.TELEGRAM_BAD_START, shareable=False)
        else:
            reply = await self._run(text, message.chat, message.from_user)
        await self.send_reply(context.bot, message.chat.id, reply, reply_to=reply_to)

    def _for_us(self, message: Message, text: str, username: str | None) -> bool:
        """'/cmd@otherbot' is not for us; nor, in a group, an unknown bare command (probably
        another bot's)."""
        name, _ = split_command(text)
        target = text.split(" ", 1)[0].partition("@")[2]
        if target:
            return target.lower() == (username or "").lower()
        return message.chat.type == Chat.PRIVATE or name in self.rt.registry or name == "start"

    def _start_command(self, text: str) -> str | None:
        """The command to run for ``text``: a deep link (t.me/<bot>?start=PAYLOAD) runs the
        command it carries, a bare /start introduces the bot; None for a payload not ours."""
        name, payload = split_command(text)
        if name != "start" or "start" in self.rt.registry:
            return text
        return decode_start_payload(payload) if payload else "/help"

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
