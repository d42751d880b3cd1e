"""What a bot process does because other processes may share its store.

On a PostgreSQL store (several replicas, one truth) the scheduler runs only while this
process holds the scheduler lock (``leader``), and other replicas' writes reach this
process's listeners (``notify``). On a TinyDB file nothing changes: the scheduler runs
here from start to stop, and another process's write is noticed by the file's stat.

A replica that takes the lock over waits until every open send claim is ``HANDOVER``
seconds old before its scheduler resolves them: a previous holder that lost its lock
session but still runs may be finishing a send it claimed (it notices the loss within
5 s and lets sends under way finish for up to 5 s more); asked too early, Slack would not
have the message yet and the new holder would send it again. A holder that died leaves
claims that simply wait out the rest of those seconds.

``bot.serve`` passes the scheduler's start and stop as plain callables, so this module
knows nothing of reminders."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # psycopg loads only for a shared store
    from bot.pgstore.leader import SchedulerLeadership
    from bot.pgstore.notify import ChangeListener

log = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[Any]]
HANDOVER = 20.0  # seconds: the lock holder's loss check (5) + its sends' last 5 s, with margin


def is_shared(store: object) -> bool:
    """A store other processes may use at the same time (PostgreSQL)."""
    url = getattr(store, "url", None)
    return isinstance(url, str) and url.startswith(("postgresql://", "postgres://"))


class ReplicaDuties:
    """The scheduler under the lock (or always, on TinyDB) and the change notices."""

    def __init__(self, store: object, start_scheduler: Hook, stop_scheduler: Hook, *, handover: float = HANDOVER) -> None:
        self.store = store
        self.handover = handover
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
        self._task = asyncio.create_task(self.leadership.run(self._take_over, self.stop_scheduler), name="scheduler-lock")

    async def _take_over(self) -> None:
        """The lock is ours: start the scheduler once no open claim is younger than
        ``handover`` (see the module doc), unless the lock went again meanwhile."""
        wait = self.handover - await asyncio.to_thread(self._youngest_claim_age)
        if wait > 0:
            log.info("scheduler lock taken: waiting %.1f s for a send the previous holder may still be finishing", wait)
            await asyncio.sleep(wait)
        if self.leadership is not None and self.leadership.held:
            await self.start_scheduler()

    def _youngest_claim_age(self) -> float:
        """Seconds since the newest open send claim was made (by wall time), or inf."""
        claims = getattr(self.store, "claims", None)
        if claims is None:
            return float("inf")
        walls = [float(c.get("wall") or 0) for c in claims() if not c.get("resend")]
        return time.time() - max(walls) if walls else float("inf")

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
