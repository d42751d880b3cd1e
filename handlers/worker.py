"""Commands run off the event loop, in one worker thread.

A lookup is plain CPU work on the store; run on the event loop it would hold back every
ack, every other answer and the reminder scheduler for as long as it takes (a burst of
200 Slack commands once delivered its last answer ~23 s late). The adapters hand each
command to ``handle_off_loop``: the loop stays free to ack and send while the worker
answers one command after another. One thread, not a pool: the store's lazily built
indexes and record cache are then only ever filled by one thread besides the loop's
own (reminders), commands stay in arrival order, and with the GIL more threads would
not answer sooner on CPU-bound lookups anyway."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from bot.replies import Reply
from handlers.context import Context
from handlers.dispatch import handle

_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportbot-handler")
T = TypeVar("T")


async def run_off_loop(fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` in the worker thread, with the caller's context variables."""
    loop = asyncio.get_running_loop()
    run = contextvars.copy_context().run
    return await loop.run_in_executor(_EXECUTOR, partial(run, fn, *args))


async def handle_off_loop(text: str, ctx: Context) -> Reply:
    """``handlers.dispatch.handle`` in the worker thread; the caller's context variables
    (the request id the logs carry) go with it."""
    return await run_off_loop(handle, text, ctx)
