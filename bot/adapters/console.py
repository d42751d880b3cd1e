"""The console: the bot without any tokens, on the bundled corpus.

On a terminal it is interactive (a prompt, line editing). With input piped in it answers
one command per line and returns at end of input, so scripts and tests can drive it.
Lines are read by a daemon thread so the event loop stays free for the reminder
scheduler, and Ctrl-C never waits for a pending ``input()``.

``ConsoleSender`` is the console's ``bot.runtime.Sender``: reminders and digests meant for
the console channel are printed like any other reply."""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import TextIO

from bot import messages as M
from bot.clock import SystemClock
from bot.replies import Reply
from bot.replies.when import dot_date
from bot.runtime import Runtime
from handlers.context import Context
from handlers.dispatch import handle
from handlers.render_text import render
from handlers.worker import run_off_loop

QUIT_WORDS = frozenset({"/quit", "/exit", "quit", "exit", "종료", "/종료"})
PROMPT = "reportbot> "


class ConsoleSender:
    """Prints replies addressed to a console channel (reminders, digests)."""

    platform = "console"

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out

    @property
    def out(self) -> TextIO:
        return self._out or sys.stdout

    async def send(self, channel: str, reply: Reply) -> None:
        self.out.write(M.CONSOLE_DELIVERY.format(channel=channel) + "\n" + render(reply) + "\n")
        self.out.flush()


def console_context(rt: Runtime) -> Context:
    """The person at the console runs the bot on their own machine: an admin."""
    return rt.context("console", user_id="console", channel_id=rt.settings.console.channel, is_admin=True)


def answer(rt: Runtime, line: str) -> str:
    """One line in, the reply text out: commands as typed, free text read like a mention."""
    text = line.strip()
    reply = handle(text, console_context(rt))  # free text goes to the question reader
    out = render(reply)
    if reply.chart is not None:
        from bot.charts import save_chart

        path = save_chart(reply.chart)
        out += "\n" + M.CHART_SAVED.format(path=path)
    return out


def _reader(
    stream: TextIO, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None], prompt: str | None, ready: threading.Event
) -> None:
    """Feed lines to the loop. With a prompt, wait until the previous answer is printed
    so the prompt never lands in the middle of it."""
    try:
        while True:
            if prompt is not None:
                ready.wait()
                ready.clear()
                try:
                    line = input(prompt)
                except EOFError:
                    break
            else:
                line = stream.readline()
                if not line:
                    break
            loop.call_soon_threadsafe(queue.put_nowait, line)
    except Exception:  # a closed or broken stdin ends the session like EOF
        pass
    finally:
        loop.call_soon_threadsafe(queue.put_nowait, None)


async def serve_console(rt: Runtime, stdin: TextIO | None = None, stdout: TextIO | None = None, interactive: bool | None = None) -> None:
    """Answer console input until end of input or a quit word."""
    src = stdin or sys.stdin
    out = stdout or sys.stdout
    if interactive is None:
        interactive = stdin is None and src.isatty() and out.isatty()
    rt.add_sender(ConsoleSender(out))
    if interactive:
        pinned = "" if isinstance(rt.clock, SystemClock) else M.CONSOLE_PINNED
        out.write(M.CONSOLE_WELCOME + "\n" + M.CONSOLE_TODAY.format(today=dot_date(rt.clock.today()), pinned=pinned) + "\n\n")
        out.flush()
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    ready = threading.Event()
    ready.set()
    reader = threading.Thread(
        target=_reader, args=(src, loop, queue, PROMPT if interactive else None, ready), name="console-stdin", daemon=True
    )
    reader.start()
    while True:
        line = await queue.get()
        if line is None:
            break
        text = line.strip()
        if text.lower() in QUIT_WORDS:
            break
        if text:
            out.write(await run_off_loop(answer, rt, text) + "\n")  # the loop keeps the reminders going
            out.flush()
        ready.set()
    if interactive:
        out.write(M.CONSOLE_BYE + "\n")
        out.flush()
