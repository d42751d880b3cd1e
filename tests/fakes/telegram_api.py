"""A fake Telegram Bot API on 127.0.0.1, for tests that run the bot's real polling loop.

It speaks the Bot API's wire format (``POST /bot<token>/<method>``, form fields whose
non-string values are JSON, ``{"ok": …, "result": …}`` answers), holds ``getUpdates``
like Telegram's long polling does, and is as strict as Telegram where our bugs would
hide: HTML that Telegram could not parse, a message over 4,096 characters, callback
data over 64 bytes and an edit that changes nothing are all refused the way Telegram
refuses them. Every call is recorded; ``fail_next`` answers 429 with ``retry_after``."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

MAX_HOLD = 2.0  # seconds a getUpdates is held at most, whatever timeout it asks for

# Parameters PTB sends as plain strings; every other value is JSON.
STRING_PARAMS = {
    "text", "parse_mode", "callback_query_id", "url", "secret_token", "language_code",
    "inline_message_id", "business_connection_id", "message_effect_id", "description",
    "short_description", "name", "ip_address",
}

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_BARE_AMP = re.compile(r"&(?![a-zA-Z]+;|#[0-9]+;|#x[0-9a-fA-F]+;)")


class EntityError(ValueError):
    pass


class _TelegramHTML(HTMLParser):
    """Telegram's HTML rules: a few tags, properly nested, four named entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise EntityError(f"Unsupported start tag \"{tag}\"")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise EntityError(f"Unmatched end tag \"{tag}\"")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise EntityError("Unsupported start tag")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            raise EntityError(f"Unsupported HTML entity \"&{name};\"")
        self.text.append(NAMED_ENTITIES[name])

    def handle_charref(self, name: str) -> None:
        code = int(name[1:], 16) if name.lower().startswith("x") else int(name)
        self.text.append(chr(code))


def visible_text(html_text: str) -> str:
    """The text a user sees, or EntityError where Telegram would say "can't parse entities"."""
    if _BARE_AMP.search(html_text):  # Telegram's parser refuses a bare '&' too
        raise EntityError("Can't find end of the entity")
    p = _TelegramHTML()
    p.feed(html_text)
    p.close()
    if p.stack:
        raise EntityError(f"Can't find end tag corresponding to start tag \"{p.stack[-1]}\"")
    return "".join(p.text)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    status: int | None = None  # None while the call is being answered (a held getUpdates)


@dataclass
class SentMessage:
    chat_id: int | str
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    edits: int = 0

    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]


class FakeTelegram:
    """Start with ``await fake.start()``; point the bot at ``fake.base_url``."""

    def __init__(self, token: str = "123456:TEST-token-not-real", username: str = "reportbot_test_bot") -> None:
        self.token = token
        self.bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "reportbot",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}  # file_id -> bytes, served by getFile + /file/bot…
        self.downloads: list[str] = []
        self.messages: dict[tuple[int | str, int], SentMessage] = {}
        self.commands: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._callback_ids = itertools.count(1)
        self._failures: dict[str, list[int]] = {}
        self._outages: dict[str, int] = {}
        # seconds to hold a method's answer after it took effect (a slow network: the
        # message is delivered, the bot does not know yet) — the fault test kills there
        self.answer_delay: dict[str, float] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        async with self._changed:  # release held getUpdates so the server can close at once
            self._closing = True
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- what the test does -----------------------------------------------------------
    def fail_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get 429 Too Many Requests."""
        self._failures.setdefault(method, []).extend([retry_after] * times)

    def break_next(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get 502 Bad Gateway (Telegram having a bad day)."""
        self._outages[method] = self._outages.get(method, 0) + times

    async def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        update["update_id"] = next(self._update_ids)
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()
        return update

    async def user_says(
        self, chat_id: int, text: str, user_id: int | None = None, chat_type: str = "private"
    ) -> dict[str, Any]:
        """A user's message; a leading /command gets its bot_command entity, as in Telegram."""
        user_id = user_id if user_id is not None else chat_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "직원"
        else:
            chat["title"] = "테스트 방"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "직원", "language_code": "ko"},
            "text": text,
        }
        if text.startswith("/"):
            head = text.split(" ", 1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(head)}]
        elif (at := text.find("@" + self.bot_user["username"])) >= 0:  # a group @mention, as Telegram marks it
            message["entities"] = [{"type": "mention", "offset": utf16_len(text[:at]), "length": utf16_len(self.bot_user["username"]) + 1}]
        return await self._push({"message": message})

    async def user_sends_document(
        self,
        chat_id: int,
        file_name: str,
        data: bytes,
        user_id: int | None = None,
        chat_type: str = "private",
        file_size: int | None = None,
    ) -> dict[str, Any]:
        """A user sends a file (a document message); getFile and the download serve it.
        ``file_size`` may say more than ``data`` holds, as Telegram reports it before download."""
        user_id = user_id if user_id is not None else chat_id
        file_id = f"file{len(self.files) + 1}"
        self.files[file_id] = data
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        chat["first_name" if chat_type == "private" else "title"] = "직원" if chat_type == "private" else "테스트 방"
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "관리자", "language_code": "ko"},
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": file_name,
                "file_size": file_size if file_size is not None else len(data),
            },
        }
        return await self._push({"message": message})

    async def _api_getFile(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = p.get("file_id")
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self.files[file_id]), "file_path": f"documents/{file_id}"}

    async def _download(self, request: web.Request) -> web.Response:
        self.downloads.append(request.match_info["path"])
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    async def press(self, sent: SentMessage, data: str, user_id: int | None = None) -> dict[str, Any]:
        """A user presses an inline button under one of the bot's messages."""
        chat_id = sent.chat_id
        user_id = user_id if user_id is not None else int(chat_id)
        chat_type = "private" if int(chat_id) > 0 else "group"
        query = {
            "id": str(next(self._callback_ids)),
            "from": {"id": user_id, "is_bot": False, "first_name": "직원"},
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": {
                "message_id": sent.message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": chat_type},
                "from": self.bot_user,
                "text": visible_text(sent.text) if sent.parse_mode == "HTML" else sent.text,
            },
        }
        return await self._push({"callback_query": query})

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.status == 200]

    def sent_to(self, chat_id: int | str) -> list[SentMessage]:
        """Messages the bot sent to a chat (current state, edits applied), oldest first."""
        return sorted(
            (m for (c, _), m in self.messages.items() if str(c) == str(chat_id)), key=lambda m: m.message_id
        )

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until ``predicate()`` is truthy (checked after every call); its value."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"fake Telegram: condition not met in {timeout} s; calls: {[c.method for c in self.calls]}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    async def polling(self) -> None:
        """Wait until the bot is polling for updates."""
        await self.wait_for(lambda: [c for c in self.calls if c.method == "getUpdates"])

    # -- the API ----------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json()) if request.can_read_body else {}
        form = await request.post()
        out: dict[str, Any] = {}
        for key, value in form.items():
            if not isinstance(value, str):
                if hasattr(value, "file"):  # a multipart upload (sendPhoto): keep the bytes
                    out[key] = value.file.read()
                continue
            if key in STRING_PARAMS:
                out[key] = value
            else:
                try:
                    out[key] = json.loads(value)
                except ValueError:
                    out[key] = value
        return out

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params = await self._params(request)
        call = Call(method, params)
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        try:
            if self._outages.get(method):
                self._outages[method] -= 1
                raise ApiError(502, "Bad Gateway")
            pending = self._failures.get(method)
            if pending:
                retry_after = pending.pop(0)
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(params)
            body: dict[str, Any] = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            status = exc.code
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
        async with self._changed:
            call.status = status
            self._changed.notify_all()
        if self.answer_delay.get(method):
            await asyncio.sleep(self.answer_delay[method])
        return web.json_response(body, status=status)

    async def _api_getMe(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    async def _api_deleteWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    async def _api_setWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = dict(p)
        return True

    async def _api_setMyCommands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands") or []
        for c in commands:
            name, desc = c.get("command", ""), c.get("description", "")
            if not (1 <= len(name) <= 32) or not all(ch.isascii() and (ch.islower() or ch.isdigit() or ch == "_") for ch in name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not (1 <= len(desc) <= 256):
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands = commands
        return True

    async def _api_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        timeout = float(p.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, MAX_HOLD)
        async with self._changed:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._closing and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
            return list(self._updates)

    def _check_text(self, p: dict[str, Any]) -> str:
        text = p.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        visible = text
        if (p.get("parse_mode") or "").upper() == "HTML":
            try:
                visible = visible_text(text)
            except EntityError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        if utf16_len(visible) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        markup = p.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and not (1 <= len(data.encode("utf-8")) <= 64):
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return text

    def _message_json(self, m: SentMessage) -> dict[str, Any]:
        chat_type = "private" if int(m.chat_id) > 0 else "group"
        out: dict[str, Any] = {
            "message_id": m.message_id,
            "date": int(time.time()),
            "chat": {"id": m.chat_id, "type": chat_type},
            "from": self.bot_user,
            "text": visible_text(m.text) if m.parse_mode == "HTML" else m.text,
        }
        if m.reply_markup:
            out["reply_markup"] = m.reply_markup
        return out

    async def _api_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        text = self._check_text(p)
        chat_id = p.get("chat_id")
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        m = SentMessage(chat_id, next(self._message_ids), text, p.get("parse_mode"), p.get("reply_markup"))
        self.messages[(chat_id, m.message_id)] = m
        return self._message_json(m)

    async def _api_sendPhoto(self, p: dict[str, Any]) -> dict[str, Any]:
        """A photo upload: the PNG bytes are kept in ``self.photos`` (chat_id, bytes, caption)."""
        chat_id = p.get("chat_id")
        photo = p.get("photo")
        if chat_id is None or not isinstance(photo, bytes) or not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        if not hasattr(self, "photos"):
            self.photos: list[tuple[Any, bytes, str]] = []
        self.photos.append((chat_id, photo, str(p.get("caption") or "")))
        m = SentMessage(chat_id, next(self._message_ids), str(p.get("caption") or ""), None, None)
        out = self._message_json(m)
        out["photo"] = [{"file_id": f"photo{m.message_id}", "file_unique_id": f"u{m.message_id}", "width": 800, "height": 600}]
        return out

    async def _api_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:
        text = self._check_text(p)
        key = (p.get("chat_id"), int(p.get("message_id") or 0))
        m = self.messages.get(key)
        if m is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = p.get("reply_markup")
        if m.text == text and m.reply_markup == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message",
            )
        m.text, m.parse_mode, m.reply_markup = text, p.get("parse_mode"), markup
        m.edits += 1
        return self._message_json(m)

    async def _api_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        return True
