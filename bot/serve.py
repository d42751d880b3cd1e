"""``reportbot run``: the chosen platforms and the reminder scheduler in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot import messages as M
from bot.logs import configure as configure_logging
from bot.runtime import Runtime

log = logging.getLogger(__name__)

PLATFORMS = ("console", "slack", "telegram")


async def serve(rt: Runtime, platforms: list[str], http: bool = False, port: int = 3000) -> int:
    """Run until SIGINT/SIGTERM (exit 0), the console's end of input (exit 0), or a chat
    platform that could not run — a missing or refused token — (exit 1, everything
    stopped: an operator who asked for Slack must not get a bot that silently isn't)."""
    from bot.pgstore.replica import ReplicaDuties
    from reminders.service import ReminderService

    if logging.getLogger().handlers or set(platforms) - {"console"}:
        # `run` asked for log lines: ours (bounded, one per record, request ids; JSON with
        # REPORTBOT_LOG_JSON=1). A quiet console chat stays quiet.
        configure_logging(rt.settings)
    tasks: list[asyncio.Task[None]] = []
    if "slack" in platforms:
        from bot.adapters.slack import serve_slack

        tasks.append(asyncio.create_task(serve_slack(rt, http=http, port=port), name="slack"))
    if "telegram" in platforms:
        from bot.adapters.telegram import serve_telegram

        tasks.append(asyncio.create_task(serve_telegram(rt), name="telegram"))
    if "console" in platforms:
        from bot.adapters.console import serve_console

        tasks.append(asyncio.create_task(serve_console(rt), name="console"))

    reminder_service = ReminderService(rt)
    # one scheduler per store: here, or on whichever replica holds a shared store's lock
    duties = ReplicaDuties(rt.store, reminder_service.start, reminder_service.stop)
    await duties.start()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    stopper = asyncio.create_task(stop.wait(), name="stop")
    code = 0
    try:
        done, _ = await asyncio.wait(set(tasks) | {stopper}, return_when=asyncio.FIRST_COMPLETED)
        for t in done:
            if t is stopper or t.get_name() == "console":
                continue
            if t.exception() is not None:
                raise t.exception()  # type: ignore[misc]
            log.error(M.PLATFORM_STOPPED.format(platform=t.get_name()))
            code = 1
    finally:
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        stopper.cancel()
        await duties.stop()
    return code
