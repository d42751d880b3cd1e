"""Logging that belongs to us: one line per record, never a request body, never a forged line.

Anyone on the internet can POST to the Slack endpoint, and slack_bolt logs the whole raw
body of a request that fails the signature check at INFO: one 1 MiB POST was one 1 MiB log
line, and a newline in it made a line of the attacker's choosing. So: the Slack libraries
log at WARNING unless debugging; every message is cut to ``MAX_MESSAGE`` characters with its
line breaks and control characters escaped; each line carries the id of the request it
belongs to; and ``REPORTBOT_LOG_JSON=1`` writes one JSON object per line for collectors.

Switches (environment, or a ``[log]`` section once the settings carry one):
``REPORTBOT_LOG_JSON=1`` JSON lines; ``REPORTBOT_LOG_DEBUG=1`` DEBUG everywhere, the Slack
libraries included (their debug output may hold request bodies: for a developer's machine)."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import uuid
from contextvars import ContextVar
from datetime import datetime
from typing import IO, Any

MAX_MESSAGE = 2000  # characters of one log message; the rest is counted, not written
# Third-party loggers that see raw requests or every HTTP call.
CHATTY_LIBRARIES = ("slack_bolt", "slack_sdk", "aiohttp.access", "aiohttp.server", "aiohttp.web")
ENV_JSON = "REPORTBOT_LOG_JSON"
ENV_DEBUG = "REPORTBOT_LOG_DEBUG"

REQUEST_ID: ContextVar[str] = ContextVar("reportbot_request_id", default="-")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_TRUE = {"1", "true", "yes", "on"}


def new_request_id() -> str:
    """A short id to follow one request through the log (set on ``REQUEST_ID``)."""
    return uuid.uuid4().hex[:12]


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def _setting(settings: Any, name: str) -> bool:
    section = getattr(settings, "log", None)
    return bool(getattr(section, name, False)) if section is not None else False


def json_enabled(settings: Any = None) -> bool:
    return _flag(ENV_JSON) or _setting(settings, "json_lines")


def debug_enabled(settings: Any = None) -> bool:
    return _flag(ENV_DEBUG) or _setting(settings, "debug")


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` as one bounded line: control characters escaped (a newline becomes the two
    characters ``\\n``), anything past ``limit`` replaced by a count."""
    extra = len(text) - limit
    if extra > 0:
        text = text[:limit]
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if m.group() not in "\n\r\t" else repr(m.group())[1:-1], text)
    return text + (f"… (+{extra} chars)" if extra > 0 else "")


class _RequestIdFilter(logging.Filter):
    """Stamps each record with the request it was logged under ('-' outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a bad %-format in some library's call: show the template, not crash
        return str(record.msg)


class TextFormatter(logging.Formatter):
    """``2021-09-06T09:00:00+09:00 INFO bot.x [rid] message`` — one line per record; a
    traceback of ours follows on its own indented lines."""

    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")
        rid = getattr(record, "request_id", REQUEST_ID.get())
        line = f"{ts} {record.levelname} {record.name} [{rid}] {one_line(_message(record))}"
        if record.exc_info:
            trace = self.formatException(record.exc_info)
            line += "\n" + "\n".join("    " + one_line(t) for t in trace.splitlines())
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, request_id, msg (and exc)."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", REQUEST_ID.get()),
            "msg": one_line(_message(record)),
        }
        if record.exc_info:
            out["exc"] = [one_line(t) for t in self.formatException(record.exc_info).splitlines()][-40:]
        return json.dumps(out, ensure_ascii=False)


def quiet_libraries(debug: bool = False) -> None:
    """The Slack libraries at WARNING (they log raw bodies at INFO/DEBUG) unless debugging.
    Called before the Bolt app is built: its loggers copy levels when created."""
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.WARNING)


def configure(settings: Any = None, *, stream: IO[str] | None = None, json_lines: bool | None = None, debug: bool | None = None) -> logging.Handler:
    """Route every record through one handler of ours (replacing ``basicConfig``'s)."""
    json_lines = json_enabled(settings) if json_lines is None else json_lines
    debug = debug_enabled(settings) if debug is None else debug
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    handler.addFilter(_RequestIdFilter())
    handler._reportbot = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for old in list(root.handlers):
        # ours from an earlier call, or basicConfig's plain console handler
        if getattr(old, "_reportbot", False) or (type(old) is logging.StreamHandler and old.stream in (sys.stderr, sys.stdout)):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    quiet_libraries(debug)
    return handler
