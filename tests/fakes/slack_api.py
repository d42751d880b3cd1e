"""A fake Slack on 127.0.0.1 for end-to-end tests: the Web API (``/api/<method>``),
response URLs (``/respond/<id>``) and a Socket Mode WebSocket (``/link``).

It records every call, checks the bearer token like Slack does, and can be told to
answer 429 with ``Retry-After`` or an API error, so the adapter's retry and fallback
paths run against real HTTP rather than mocks."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web


@dataclass
class Call:
    method: str  # "chat.postMessage", … or "response_url"
    params: dict[str, Any]
    headers: dict[str, str]
    status: int
    at: float = field(default_factory=time.monotonic)
    path: str = ""


@dataclass
class _Failure:
    status: int
    error: str | None
    retry_after: int | None
    times: int


class FakeSlackApi:
    def __init__(self, bot_token: str = "xoxb-test-bot-token", app_token: str = "xapp-test-app-token", bot_user_id: str = "UBOT0001") -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.bot_user_id = bot_user_id
        self.calls: list[Call] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._ts = itertools.count(1)
        # Socket Mode
        self._ws: web.WebSocketResponse | None = None
        self.socket_connected = asyncio.Event()
        self.socket_acks: dict[str, dict[str, Any]] = {}
        # Messages posted, per channel (oldest first), with their metadata: what
        # conversations.history answers (``wall`` is when the fake received it).
        self.history: dict[str, list[dict[str, Any]]] = {}
        # seconds to hold a method's answer after it took effect (the message is posted,
        # the bot does not know yet) — the fault test kills there
        self.answer_delay: dict[str, float] = {}
        # File uploads (files_upload_v2): bytes per file id, and the completed shares.
        self.uploads: dict[str, bytes] = {}
        self.shared_files: list[dict[str, Any]] = []
        self._file_ids = itertools.count(1)
        # Files users shared (url_private, downloaded with the bot token): id -> (name, bytes).
        self.user_files: dict[str, tuple[str, bytes]] = {}
        self.downloads: list[tuple[str, str]] = []  # (file id, Authorization header)
        # Conversations the bot knows (conversations.info); any other id is a public
        # channel the bot is in. A private channel or DM the bot is not in is invisible
        # to it (channel_not_found), as in Slack; ``kicked`` channels refuse posts
        # (not_in_channel) — the bot was removed after a subscription was made.
        self.conversations: dict[str, dict[str, Any]] = {}
        self.kicked: set[str] = set()
        # App Home views published (views.publish), per user, newest last.
        self.views: dict[str, list[dict[str, Any]]] = {}

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk reads history with GET
        app.router.add_post("/respond/{rid}", self._respond)
        app.router.add_post("/upload/{fid}", self._upload)
        app.router.add_get("/link", self._socket)
        app.router.add_get("/files-pri/{fid}/{name}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, rid: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{rid}"

    # -- scripting ---------------------------------------------------------------------

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get HTTP 429 with ``Retry-After``."""
        self._failures.setdefault(method, []).append(_Failure(429, "ratelimited", retry_after, times))

    def fail_next(self, method: str, error: str, times: int = 1) -> None:
        """The next calls of ``method`` answer ``{"ok": false, "error": error}``."""
        self._failures.setdefault(method, []).append(_Failure(200, error, None, times))

    def add_conversation(self, channel: str, *, private: bool = False, member: bool = True, im: bool = False, archived: bool = False) -> None:
        """A channel (or DM) as the bot sees it; see ``conversations``."""
        self.conversations[channel] = {
            "id": channel,
            "is_channel": not private and not im,
            "is_group": private and not im,
            "is_private": private or im,
            "is_im": im,
            "is_mpim": False,
            "is_member": member,
            "is_archived": archived,
        }

    def _visible(self, channel: str) -> dict[str, Any] | None:
        info = self.conversations.get(channel)
        if info is None:
            im = channel.startswith("D")  # an unknown D… is the bot's own DM with someone
            return {"id": channel, "is_channel": not im, "is_private": im, "is_im": im, "is_member": True, "is_archived": False}
        if (info["is_private"] and not info["is_im"] and not info["is_member"]) or (info["is_im"] and not info["is_member"]):
            return None
        return info

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method) or []
        if not queue:
            return None
        f = queue[0]
        f.times -= 1
        if f.times <= 0:
            queue.pop(0)
        return f

    # -- inspection --------------------------------------------------------------------

    def calls_to(self, method: str, ok_only: bool = True) -> list[Call]:
        return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    def posted(self) -> list[Call]:
        """Messages that reached a user: chat.postMessage and response_url posts."""
        return [c for c in self.calls if c.method in ("chat.postMessage", "response_url") and c.status == 200]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0, ok_only: bool = True) -> list[Call]:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.calls_to(method, ok_only)) >= count), timeout)
        return self.calls_to(method, ok_only)

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until no call has arrived for ``quiet`` seconds (to show nothing more comes)."""
        while True:
            n = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == n:
                return

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()

    # -- handlers ----------------------------------------------------------------------

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if not raw:
            return dict(request.query)
        if request.content_type == "application/json":
            return json.loads(raw)
        return dict(parse_qsl(raw))

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        headers = {k.lower(): v for k, v in request.headers.items()}
        failure = self._take_failure(method)
        if failure is not None and failure.status == 429:
            await self._record(Call(method, params, headers, 429, path=request.path))
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(failure.retry_after)}
            )
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if headers.get("authorization") != f"Bearer {expected}":
            await self._record(Call(method, params, headers, 200, path=request.path))
            return web.json_response({"ok": False, "error": "invalid_auth"})
        await self._record(Call(method, params, headers, 200, path=request.path))
        if failure is not None:
            return web.json_response({"ok": False, "error": failure.error})
        answer = self._answer(method, params)
        if self.answer_delay.get(method):
            await asyncio.sleep(self.answer_delay[method])
        return web.json_response(answer)

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Test",
                "user": "reportbot",
                "team_id": "T0001",
                "user_id": self.bot_user_id,
                "bot_id": "B0001",
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}
        if method in ("chat.postMessage", "chat.postEphemeral", "conversations.info") and str(params.get("channel", "")) in self.kicked:
            return {"ok": False, "error": "not_in_channel"}
        if method in ("chat.postMessage", "chat.postEphemeral", "conversations.info") and self._visible(str(params.get("channel", ""))) is None:
            return {"ok": False, "error": "channel_not_found"}
        if method == "conversations.info":
            return {"ok": True, "channel": self._visible(str(params.get("channel")))}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "")).lstrip("U")[:20]}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1630000000 + next(self._ts)}.000200"}
        if method == "views.publish":
            view = params.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            if not isinstance(view, dict) or view.get("type") != "home" or len(view.get("blocks") or []) > 100:
                return {"ok": False, "error": "invalid_arguments"}
            self.views.setdefault(str(params.get("user_id")), []).append(view)
            return {"ok": True, "view": {"id": "V0001", **view}}
        if method == "chat.postMessage":
            ts = f"{1630000000 + next(self._ts)}.000100"
            self._keep(params, ts)
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": {"text": params.get("text", "")}}
        if method == "conversations.history":
            return self._history(params)
        if method == "files.getUploadURLExternal":
            fid = f"F{next(self._file_ids):04d}"
            return {"ok": True, "file_id": fid, "upload_url": f"http://127.0.0.1:{self.port}/upload/{fid}"}
        if method == "files.completeUploadExternal":
            files = params.get("files")
            if isinstance(files, str):
                files = json.loads(files)
            done = [{"id": f["id"], "title": f.get("title"), "size": len(self.uploads.get(f["id"], b""))} for f in files or []]
            if any(f["id"] not in self.uploads for f in done):
                return {"ok": False, "error": "file_not_found"}
            for f in done:
                self.shared_files.append({**f, "channel_id": params.get("channel_id"), "thread_ts": params.get("thread_ts")})
            return {"ok": True, "files": done}
        return {"ok": True}

    def user_file(self, name: str, data: bytes, size: int | None = None) -> dict[str, Any]:
        """A file a user shares: the file object Slack puts in the message event. ``size``
        may say more than ``data`` holds (the size Slack reports before download)."""
        fid = f"FU{next(self._file_ids):04d}"
        self.user_files[fid] = (name, data)
        url = f"http://127.0.0.1:{self.port}/files-pri/{fid}/{name}"
        return {"id": fid, "name": name, "title": name, "size": size if size is not None else len(data), "url_private": url, "url_private_download": url}

    async def _download(self, request: web.Request) -> web.Response:
        fid = request.match_info["fid"]
        auth = request.headers.get("Authorization", "")
        self.downloads.append((fid, auth))
        if auth != f"Bearer {self.bot_token}":  # Slack answers a login page, not the file
            return web.Response(status=200, text="<html>login</html>", content_type="text/html")
        if fid not in self.user_files:
            return web.Response(status=404)
        return web.Response(body=self.user_files[fid][1], content_type="application/octet-stream")

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal handed out: the file's bytes."""
        fid = request.match_info["fid"]
        self.uploads[fid] = await request.read()
        await self._record(Call("upload", {"file_id": fid, "length": len(self.uploads[fid])}, {}, 200, path=request.path))
        return web.Response(text="OK - " + str(len(self.uploads[fid])))

    def _keep(self, params: dict[str, Any], ts: str) -> None:
        """Remember a posted message (and its ``metadata``) for conversations.history."""
        meta = params.get("metadata")
        if isinstance(meta, str):  # form-encoded posts carry it as a JSON string
            try:
                meta = json.loads(meta)
            except ValueError:
                meta = None
        msg = {"type": "message", "ts": ts, "text": params.get("text", ""), "bot_id": "B0001", "wall": time.time()}
        if isinstance(meta, dict):
            msg["metadata"] = meta
        self.history.setdefault(str(params.get("channel")), []).append(msg)

    def _history(self, params: dict[str, Any]) -> dict[str, Any]:
        """Newest first; ``oldest`` compared with when the fake received each message;
        metadata only with ``include_all_metadata`` (as Slack does)."""
        oldest = float(params.get("oldest") or 0)
        with_meta = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        limit = int(params.get("limit") or 100)
        start = int(params.get("cursor") or 0)
        msgs = [m for m in reversed(self.history.get(str(params.get("channel")), [])) if m["wall"] >= oldest]
        page = msgs[start : start + limit]
        out = [{k: v for k, v in m.items() if k != "wall" and (with_meta or k != "metadata")} for m in page]
        more = start + limit < len(msgs)
        return {
            "ok": True,
            "messages": out,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    async def _respond(self, request: web.Request) -> web.Response:
        params = await self._params(request)
        headers = {k.lower(): v for k, v in request.headers.items()}
        failure = self._take_failure("response_url")
        if failure is not None and failure.status == 429:
            await self._record(Call("response_url", params, headers, 429, path=request.path))
            return web.Response(status=429, text="rate_limited", headers={"Retry-After": str(failure.retry_after)})
        await self._record(Call("response_url", params, headers, 200, path=request.path))
        return web.Response(text="ok")

    # -- Socket Mode -------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}))
        self.socket_connected.set()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                data = json.loads(msg.data)
                if "envelope_id" in data:
                    self.socket_acks[data["envelope_id"]] = data
                    async with self._changed:
                        self._changed.notify_all()
            elif msg.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
                break
        return ws

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        await asyncio.wait_for(self.socket_connected.wait(), 5)
        assert self._ws is not None
        await self._ws.send_str(json.dumps(envelope))

    async def wait_socket_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: envelope_id in self.socket_acks), timeout)
        return self.socket_acks[envelope_id]


# -- requests as Slack sends them ------------------------------------------------------


def sign(secret: str, timestamp: int, body: str) -> str:
    """Slack's v0 request signature: HMAC-SHA256 over 'v0:{timestamp}:{body}'."""
    import hashlib
    import hmac

    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def sign_bytes(secret: str, timestamp: int | str, body: bytes) -> str:
    """``sign`` for a body that may not be UTF-8 (a hostile client's)."""
    import hashlib
    import hmac

    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def signed_headers(secret: str, body: str, content_type: str, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(secret, ts, body),
    }


def slash_command(command: str, text: str, response_url: str, user_id: str = "U0USER01", channel_id: str = "C0CHAN01") -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": "T0001",
        "team_domain": "seoul-test",
        "channel_id": channel_id,
        "channel_name": "budget-team",
        "user_id": user_id,
        "user_name": "staff",
        "command": command,
        "text": text,
        "api_app_id": "A0001",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


def block_action(action_id: str, value: str, response_url: str, user_id: str = "U0USER01", channel_id: str = "C0CHAN01", ephemeral: bool = True) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": "staff", "team_id": "T0001"},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": "1630000000.000100", "channel_id": channel_id, "is_ephemeral": ephemeral},
        "trigger_id": "1.2.4",
        "team": {"id": "T0001", "domain": "seoul-test"},
        "channel": {"id": channel_id, "name": "budget-team"},
        "response_url": response_url,
        "actions": [
            {"action_id": action_id, "block_id": "b1", "value": value, "type": "button", "action_ts": "1630000001.000200", "text": {"type": "plain_text", "text": "x"}}
        ],
    }


def event_callback(event: dict[str, Any], event_id: str, event_time: int) -> dict[str, Any]:
    """The Events API envelope Slack wraps every event in."""
    return {
        "token": "legacy-verification-token",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [{"team_id": "T0001", "user_id": "UBOT0001", "is_bot": True}],
    }


def mention_event(text: str, event_id: str, user_id: str = "U0USER01", channel_id: str = "C0CHAN01", thread_ts: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": user_id,
        "text": text,
        "ts": "1630000002.000300",
        "channel": channel_id,
        "event_ts": "1630000002.000300",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event, event_id, 1630000002)


def file_share_event(files: list[dict[str, Any]], event_id: str, user_id: str = "U0USER01", channel_id: str = "D0DM0001", text: str = "") -> dict[str, Any]:
    """A file shared in a direct message with the bot (message.im, subtype file_share)."""
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "user": user_id,
        "text": text,
        "files": files,
        "ts": "1630000003.000400",
        "channel": channel_id,
        "event_ts": "1630000003.000400",
    }
    return event_callback(event, event_id, 1630000003)
