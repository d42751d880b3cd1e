"""``reportbot run``: the chosen platforms and the reminder scheduler in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.runtime import Runtime

log = logging.getLogger(__name__)

PLATFORMS = ("console", "slack", "telegram")


async def serve(rt: Runtime, platforms: list[str], http: bool = False, port: int = 3000) -> None:
    """Run until SIGINT/SIGTERM or until every platform task ends."""
    tasks: list[asyncio.Task[None]] = []
    reminder_service = None
    try:
        from reminders.service import ReminderService  # lands with the reminders issue
    except ModuleNotFoundError as exc:
        if exc.name not in {"reminders.service"}:
            raise
        ReminderService = None  # type: ignore[assignment,misc]  # noqa: N806

    if "slack" in platforms:
        from bot.adapters.slack import serve_slack

        tasks.append(asyncio.create_task(serve_slack(rt, http=http, port=port), name="slack"))
    if "telegram" in platforms:
        from bot.adapters.telegram import serve_telegram

        tasks.append(asyncio.create_task(serve_telegram(rt), name="telegram"))
    if "console" in platforms:
        from bot.adapters.console import serve_console

        tasks.append(asyncio.create_task(serve_console(rt), name="console"))

    if ReminderService is not None:
        reminder_service = ReminderService(rt)
        await reminder_service.start()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    stopper = asyncio.create_task(stop.wait(), name="stop")
    try:
        pending = set(tasks) | {stopper}
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            if stopper in done:
                break
            for t in done:
                if t.exception() is not None:
                    raise t.exception()  # type: ignore[misc]
            if pending == {stopper}:
                break
    finally:
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        stopper.cancel()
        if reminder_service is not None:
            await reminder_service.stop()
