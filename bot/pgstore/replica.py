"""What a bot process does because other processes may share its store.

On a PostgreSQL store (several replicas, one truth) the scheduler runs only while this
process holds the scheduler lock (``leader``), and other replicas' writes reach this
process's listeners (``notify``). On a TinyDB file nothing changes: the scheduler runs
here from start to stop, and another process's write is noticed by the file's stat.

``bot.serve`` passes the scheduler's start and stop as plain callables, so this module
knows nothing of reminders."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # psycopg loads only for a shared store
    from bot.pgstore.leader import SchedulerLeadership
    from bot.pgstore.notify import ChangeListener

log = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[Any]]


def is_shared(store: object) -> bool:
    """A store other processes may use at the same time (PostgreSQL)."""
    url = getattr(store, "url", None)
    return isinstance(url, str) and url.startswith(("postgresql://", "postgres://"))


class ReplicaDuties:
    """The scheduler under the lock (or always, on TinyDB) and the change notices."""

    def __init__(self, store: object, start_scheduler: Hook, stop_scheduler: Hook) -> None:
        self.store = store
        self.start_scheduler = start_scheduler
        self.stop_scheduler = stop_scheduler
        self.leadership: SchedulerLeadership | None = None
        self.listener: ChangeListener | None = None
        if is_shared(store):
            from bot.pgstore.leader import leadership_for

            self.leadership = leadership_for(store)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start listening and, alone or once the lock is ours, the scheduler. Returns at
        once on PostgreSQL: the lock is competed for in the background."""
        if self.leadership is None:
            await self.start_scheduler()
            return
        from bot.pgstore.notify import listen_for_changes

        self.listener = listen_for_changes(self.store)
        log.info("shared store: reminders run on whichever replica holds the scheduler lock")
        self._task = asyncio.create_task(self.leadership.run(self.start_scheduler, self.stop_scheduler), name="scheduler-lock")

    async def stop(self) -> None:
        """Stop the scheduler (if it runs here), free the lock, stop listening."""
        try:
            if self.leadership is None:
                await self.stop_scheduler()
            else:
                await self.leadership.stop()
                if self._task is not None:
                    await asyncio.gather(self._task, return_exceptions=True)
        finally:
            if self.listener is not None:
                self.listener.stop()
