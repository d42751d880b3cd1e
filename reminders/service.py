"""The reminder service: APScheduler jobs derived from the store, a sent-log that makes
every send happen once, and a catch-up pass for what came due while the bot was down.

- TinyDB is the source of truth. Jobs live in APScheduler's memory store and are
  rebuilt from milestones and subscriptions at start, every few hours, and whenever
  those tables change (explicit ids, ``replace_existing``), so nothing is pickled.
- Every send has a sent-log key, (milestone identity, offset, channel) or (digest, week,
  channel). Claim, send, confirm: a send is claimed in the store before it goes out and
  confirmed after the platform accepted it. A claim left open by a crash is resolved at
  start: Slack is asked (the message carries its keys as ``metadata``); a platform that
  cannot be asked (Telegram) gets the send again, marked "(재발송일 수 있음)". Two paths
  reaching the same send at once are kept apart by an in-flight set and the claim.
- At start, sends that came due while the bot was down go out marked late when they are
  within the grace period (``reminders.grace_hours``); older ones are logged as
  skipped, not sent. A send is never owed to a channel from before it subscribed.
- APScheduler's defaults would silently drop a job that is one second late
  (``misfire_grace_time=1``); here it is the same grace period, with ``coalesce`` on
  (a job missed several times runs once) and one instance at a time. A job later than
  that is reported by ``EVENT_JOB_MISSED`` and logged as skipped.
- The scheduler runs on wall time; decisions use the runtime's clock. With a pinned
  clock (``--as-of``, tests) clock times are mapped to wall time by the current skew, so
  a demo bot "on 2021-10-27" sends its 09:00 reminders at the next real 09:00-equivalent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot import messages as MS
from bot.clock import SEOUL, Clock
from bot.config import Settings
from bot.lookups.digest import last_digest_at, last_digest_meta_key
from bot.models import SentRecord
from bot.replies import Reply, Sender
from bot.store import Store
from reminders.calendar import WorkCalendar
from reminders.plan import PlannedSend, already, batches, plan_window
from reminders.receipts import can_ask, find_tagged, send_tagged
from reminders.reply import digest_reply, reminder_reply

log = logging.getLogger(__name__)

HORIZON = timedelta(days=14)  # jobs exist for this far ahead; the resync extends it
RESYNC_EVERY = timedelta(hours=6)
LOOKBACK = timedelta(days=366)  # catch-up never digs further back than this
LATE_AFTER = timedelta(seconds=60)  # later than this, a send says it is late
RETRY_AFTER = timedelta(minutes=5)  # a send the platform refused is tried again
WAIT_FOR_SENDER = timedelta(seconds=5)  # a platform still connecting (Telegram after start)
ASKABLE_PLATFORMS = frozenset({"slack"})  # platforms that can say whether a claimed send arrived
SYNC_TABLES = frozenset({"milestones", "reports", "subscriptions", "*"})  # "*": another replica's notices were missed
SEND_PREFIXES = ("reminder|", "digest|")
RESYNC_JOB = "reminders:resync"
_TICK = timedelta(microseconds=1)


def _unreachable(sender: object, exc: Exception) -> str | None:
    """Why the platform will never take this channel's posts as things stand (the
    sender's ``unreachable``: Slack's not_in_channel, channel_not_found …), else None."""
    judge = getattr(sender, "unreachable", None)
    return judge(exc) if judge is not None else None


@dataclass
class CatchUp:
    """What the start-up pass did."""

    late: int = 0  # sends delivered late
    skipped: int = 0  # sends older than the grace period: logged, not sent
    pending: int = 0  # within grace but not deliverable now (platform not connected, send failed)


class ReminderHost(Protocol):
    """What the service needs of the running bot (``bot.runtime.Runtime`` is one): the
    reminders sit beside the commands, below the runtime that owns both."""

    settings: Settings
    store: Store
    clock: Clock
    senders: dict[str, Sender]


class ReminderService:
    def __init__(self, rt: ReminderHost, calendar: WorkCalendar | None = None) -> None:
        self.rt = rt
        self.calendar = calendar or WorkCalendar(rt.settings.reminders.holidays_country)
        self.scheduler: AsyncIOScheduler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._batches: dict[str, list[PlannedSend]] = {}
        self._inflight: set[str] = set()
        self._tasks: set[asyncio.Task[object]] = set()
        self._sync_pending = False
        self._listening = False
        self._stopped = True
        self._skew = timedelta(0)
        self._waiting: set[str] = set()  # batches already reported as waiting for a sender
        self.retry_after = RETRY_AFTER
        self.wait_for_sender = WAIT_FOR_SENDER
        self.last_catch_up = CatchUp()
        self.claims_resolved = {"confirmed": 0, "released": 0, "resent": 0}

    # -- life cycle --------------------------------------------------------------------
    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.rt.settings.reminders.grace_hours)

    @property
    def running(self) -> bool:
        return not self._stopped and self.scheduler is not None and self.scheduler.running

    async def start(self) -> CatchUp:
        """Start in the running event loop: catch up, then schedule what lies ahead."""
        self._loop = asyncio.get_running_loop()
        self.scheduler = AsyncIOScheduler(
            timezone=SEOUL,
            job_defaults={
                "misfire_grace_time": int(self.grace.total_seconds()),
                "coalesce": True,
                "max_instances": 1,
            },
        )
        self.scheduler.add_listener(self._on_missed, EVENT_JOB_MISSED)
        self.scheduler.start()  # must happen inside the running loop
        self._stopped = False
        if not self._listening:
            self.rt.store.on_change(self._on_store_change)
            self._listening = True
        await asyncio.sleep(0)  # let adapters started just before us register their senders
        try:
            await self.resolve_claims()
        except Exception:
            log.exception("resolving open send claims failed")
        try:
            self.last_catch_up = await self.catch_up()
        except Exception:  # a bad record must not keep the bot from answering
            log.exception("reminder catch-up failed")
        jobs = 0
        try:
            jobs = self.sync()
        except Exception:
            log.exception("reminder scheduling failed; the next resync retries")
        self.scheduler.add_job(
            self.sync,
            IntervalTrigger(seconds=RESYNC_EVERY.total_seconds(), timezone=SEOUL),
            id=RESYNC_JOB,
            replace_existing=True,
        )
        c = self.last_catch_up
        log.info("reminders started: %d send jobs, %d late, %d skipped, %d pending", jobs, c.late, c.skipped, c.pending)
        return c

    async def stop(self) -> None:
        """Stop scheduling; let sends already under way finish (briefly)."""
        self._stopped = True
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=5)
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
        self._batches.clear()

    # -- claims a crash left open ---------------------------------------------------------
    async def resolve_claims(self) -> None:
        """Sends claimed but never confirmed (the bot stopped between the two). Where the
        platform can be asked (Slack), what it holds is confirmed and the rest released
        to be sent normally; where it cannot (Telegram), the send is made again, marked."""
        for claim in self.rt.store.claims():
            if claim.get("resend"):  # already decided: goes out again, marked
                continue
            platform = claim["platform"]
            sender = self.rt.senders.get(platform)
            if platform in ASKABLE_PLATFORMS or (sender is not None and can_ask(sender)):
                if sender is None:
                    task = asyncio.create_task(self._resolve_when_connected(claim))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                    continue
                await self._ask_platform(claim, sender)
            else:
                self._resend_marked(claim)

    async def _resolve_when_connected(self, claim: dict) -> None:
        deadline = time.monotonic() + self.grace.total_seconds()
        while not self._stopped and time.monotonic() < deadline:
            sender = self.rt.senders.get(claim["platform"])
            if sender is not None:
                await self._ask_platform(claim, sender)
                await self.catch_up()
                return
            await asyncio.sleep(1)

    async def _ask_platform(self, claim: dict, sender: object) -> None:
        keys: list[str] = claim["keys"]
        found = await find_tagged(sender, claim["channel"], keys, float(claim.get("wall") or 0))
        if found is None:  # it did not answer: as if it could not be asked
            self._resend_marked(claim)
            return
        store = self.rt.store
        if found:
            store.confirm_send(sorted(found), [self._record(k, claim) for k in keys if k in found])
            self.claims_resolved["confirmed"] += len(found)
        rest = [k for k in keys if k not in found]
        if rest:
            store.release_claim(rest)
            self.claims_resolved["released"] += len(rest)
        log.info("open claim in %s:%s: %d delivered (Slack says), %d not: sent now", claim["platform"], claim["channel"], len(found), len(rest))

    def _resend_marked(self, claim: dict) -> None:
        keys: list[str] = claim["keys"]
        self.rt.store.mark_resend(keys)
        self.claims_resolved["resent"] += len(keys)
        log.warning("open claim in %s:%s (%d send(s)): the platform cannot be asked; sending again, marked", claim["platform"], claim["channel"], len(keys))

    def _record(self, key: str, claim: dict) -> SentRecord:
        return SentRecord(
            key=key,
            platform=claim["platform"],
            channel=claim["channel"],
            sent_at=datetime.fromisoformat(claim["claimed_at"]),
            due_at=datetime.fromisoformat(claim["due_at"]),
            late=bool(claim.get("late")),
            status="sent",
        )

    # -- catch-up ----------------------------------------------------------------------
    async def catch_up(self) -> CatchUp:
        """Sends due while the bot was down: late within grace, logged-not-sent beyond."""
        store, now = self.rt.store, self.rt.clock.now()
        subs = store.subscriptions()
        out = CatchUp()
        if not subs:
            return out
        earliest = max(min(s.created_at for s in subs), now - LOOKBACK)
        sent = {r.key for r in store.sent_records()} | store.claimed_keys()
        due = [
            s
            for s in plan_window(store, self.rt.settings, self.calendar, earliest, now + _TICK, subs)
            if not already(sent, s) and s.due_at >= s.subscribed_at
        ]
        within = [s for s in due if now - s.due_at <= self.grace]
        out.skipped = self._skip([s for s in due if now - s.due_at > self.grace])
        for group in batches(within).values():
            late = now - group[0].due_at > LATE_AFTER
            if await self.deliver(group, late=late):
                out.late += len(group)
            else:
                out.pending += len(group)
        return out

    def _skip(self, too_old: list[PlannedSend]) -> int:
        """Sends older than the grace period: logged as skipped, never sent."""
        if not too_old:
            return 0
        for s in too_old:
            log.debug("missed %s (due %s): logged, not sent", s.key, s.due_at)
        log.warning("%d send(s) came due while the bot was down, more than %s ago: logged as skipped, not sent", len(too_old), self.grace)
        return self._record_all(too_old, late=True, status="skipped")

    # -- jobs --------------------------------------------------------------------------
    def sync(self) -> int:
        """Make the scheduler's send jobs match the store (the next ``HORIZON``)."""
        if not self.running or self.scheduler is None:
            return 0
        store, now = self.rt.store, self.rt.clock.now()
        self._skew = datetime.now(SEOUL) - now
        sent = {r.key for r in store.sent_records()} | store.claimed_keys()
        sends = [s for s in plan_window(store, self.rt.settings, self.calendar, now + _TICK, now + HORIZON) if not already(sent, s)]
        wanted = batches(sends)
        for job in self.scheduler.get_jobs():
            if job.id.startswith(SEND_PREFIXES) and job.id not in wanted:
                job.remove()
                self._batches.pop(job.id, None)
        for batch_id, group in wanted.items():
            self._batches[batch_id] = group
            wall = group[0].due_at + self._skew
            job = self.scheduler.get_job(batch_id)
            if job is not None and abs(job.trigger.run_date - wall) < timedelta(seconds=1):
                continue
            self.scheduler.add_job(
                self._fire,
                DateTrigger(run_date=wall, timezone=SEOUL),
                args=[batch_id, wall],
                id=batch_id,
                name=batch_id,
                replace_existing=True,
            )
        return len(wanted)

    def scheduled(self) -> dict[str, list[PlannedSend]]:
        """Send jobs currently in the scheduler, by job id (a batch of sends each)."""
        if self.scheduler is None:
            return {}
        ids = {j.id for j in self.scheduler.get_jobs()}
        return {k: v for k, v in self._batches.items() if k in ids}

    def scheduled_keys(self) -> set[str]:
        return {s.key for group in self.scheduled().values() for s in group}

    def next_run_time(self, batch_id: str) -> datetime | None:
        job = self.scheduler.get_job(batch_id) if self.scheduler else None
        return job.next_run_time if job else None

    async def _fire(self, batch_id: str, wall_due: datetime) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            group = self._batches.get(batch_id)
            if not group:
                return
            late = datetime.now(SEOUL) - wall_due > LATE_AFTER
            await self.deliver(group, late=late)
        finally:
            if task is not None:
                self._tasks.discard(task)

    def _on_missed(self, event: JobExecutionEvent) -> None:
        """A job later than the grace period: log it as skipped, never send it silently late."""
        claimed = self.rt.store.claimed_keys()
        missed = [s for s in self._batches.pop(event.job_id, []) if self.rt.store.sent(*s.keys) is None and s.key not in claimed]
        if missed:
            self._record_all(missed, late=True, status="skipped")
            log.warning("%s ran more than %s late: logged as skipped, not sent", event.job_id, self.grace)

    def _on_store_change(self, table: str) -> None:
        """Runs after every committed store write — this process's, or another replica's
        heard through its change notice — possibly on another thread."""
        if table not in SYNC_TABLES or self._stopped or self._loop is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._request_sync)

    def _request_sync(self) -> None:
        if self._sync_pending or self._loop is None:
            return
        self._sync_pending = True  # a burst of writes (an ingest) resyncs once
        self._loop.call_soon(self._run_sync)

    def _run_sync(self) -> None:
        self._sync_pending = False
        try:
            self.sync()
        except Exception:  # a bad record must not stop the bot; the next resync retries
            log.exception("reminder resync failed")

    async def settled(self) -> None:
        """Wait until store changes seen so far are reflected in the jobs."""
        for _ in range(10):
            await asyncio.sleep(0)
            if not self._sync_pending:
                return

    # -- sending -----------------------------------------------------------------------
    async def deliver(self, group: list[PlannedSend], late: bool = False) -> bool:
        """Send one batch (one channel, one moment) unless already sent; True if sent now.
        Claim, send, confirm: a crash after the claim leaves it to be resolved at start."""
        pending = self._unsent(group)
        sender = self._sender_for(pending) if pending else None
        if sender is None:
            return False
        first = pending[0]
        keys = {s.key for s in pending}
        self._inflight |= keys
        try:
            again = self.rt.store.resend_keys()
            pending = self._claim(pending, late)
            if not pending:
                return False
            try:
                await send_tagged(sender, first.channel, self._compose(pending, again, late), [s.key for s in pending])
            except Exception as exc:
                await self._send_failed(sender, pending, again, exc)
                return False
        finally:
            self._inflight -= keys
        self._sent(pending, late)
        return True

    def _unsent(self, group: list[PlannedSend]) -> list[PlannedSend]:
        """The sends of ``group`` not sent, claimed or being sent already."""
        store = self.rt.store
        claimed = store.claimed_keys()
        return [s for s in group if s.key not in self._inflight and s.key not in claimed and store.sent(*s.keys) is None]

    def _sender_for(self, pending: list[PlannedSend]) -> Sender | None:
        """The platform's sender; when it is not connected (yet) — adapters register senders
        as they connect, some only after a network round-trip — look again shortly."""
        first = pending[0]
        sender = self.rt.senders.get(first.platform)
        if sender is not None:
            self._waiting.discard(first.batch_id)
            return sender
        level = logging.DEBUG if first.batch_id in self._waiting else logging.WARNING
        log.log(level, "no %s sender connected: %d send(s) to %s wait", first.platform, len(pending), first.where)
        self._waiting.add(first.batch_id)
        self._retry(pending, self.wait_for_sender)
        return None

    def _claim(self, pending: list[PlannedSend], late: bool) -> list[PlannedSend]:
        """Claim the batch in the store before sending; the sends this process won."""
        first = pending[0]
        won = set(
            self.rt.store.claim_send(
                {
                    "keys": [s.key for s in pending],
                    "batch": first.batch_id,
                    "platform": first.platform,
                    "channel": first.channel,
                    "due_at": first.due_at.isoformat(),
                    "claimed_at": self.rt.clock.now().isoformat(),
                    "wall": time.time(),
                    "late": late,
                }
            )
        )
        return [s for s in pending if s.key in won]

    def _compose(self, pending: list[PlannedSend], again: set[str], late: bool) -> Reply:
        """The message: the digest or the reminders, marked when it may be a resend."""
        store, first = self.rt.store, pending[0]
        if first.kind == "digest":
            reply = digest_reply(store, self.rt.settings, first, last_digest_at(store, first.platform, first.channel), late=late)
        else:
            reply = reminder_reply(store, pending, late=late)
        if any(s.key in again for s in pending):
            reply.summary.insert(0, MS.MAYBE_RESENT)
        return reply

    async def _send_failed(self, sender: Sender, pending: list[PlannedSend], again: set[str], exc: Exception) -> None:
        first, store = pending[0], self.rt.store
        reason = _unreachable(sender, exc)
        if reason is not None:
            # the platform will not take posts here (the bot is not in the channel):
            # retrying for a day changes nothing; pause and tell the subscriber once
            store.release_claim([s.key for s in pending])
            await self._pause(sender, first.platform, first.channel, reason)
            return
        log.exception("sending %s to %s failed; will retry", first.batch_id, first.where)
        if not again & {s.key for s in pending}:  # a resend claim stays: still owed, still marked
            store.release_claim([s.key for s in pending])
        self._retry(pending, self.retry_after)

    def _sent(self, pending: list[PlannedSend], late: bool) -> None:
        first = pending[0]
        self._record_all(pending, late=late, status="sent", confirm=True)
        if first.kind == "digest":
            self.rt.store.set_meta(last_digest_meta_key(first.platform, first.channel), self.rt.clock.now().isoformat())
        log.info("sent %s (%d item(s)%s)", first.batch_id, len(pending), ", late" if late else "")

    async def _pause(self, sender: object, platform: str, channel: str, reason: str) -> None:
        """Pause the channel's subscriptions; each subscriber hears about it once (the
        platform's ``notify_paused``, a DM in Slack)."""
        paused = self.rt.store.pause_subscriptions(platform, channel, reason)
        log.warning("%s:%s refuses posts (%s): %d subscription(s) paused", platform, channel, reason, len(paused))
        notify = getattr(sender, "notify_paused", None)
        if notify is None or not paused:
            return
        by_user: dict[str, list[str]] = {}
        for sub in paused:
            if sub.created_by:
                by_user.setdefault(sub.created_by, []).append(sub.target if sub.kind == "reminder" else sub.kind)
        for user, targets in by_user.items():
            try:
                await notify(user, channel, targets, reason)
            except Exception:  # the pause stands; telling is best effort
                log.warning("could not tell %s that %s:%s was paused", user, platform, channel, exc_info=True)

    def _record_all(self, sends: list[PlannedSend], late: bool, status: str, confirm: bool = False) -> int:
        """One store write for the whole batch (``confirm``: and the claim's end)."""
        now = self.rt.clock.now()
        write = (lambda recs: self.rt.store.confirm_send([s.key for s in sends], recs)) if confirm else self.rt.store.record_sent_many
        return write(
            [
                SentRecord(
                    key=s.key,
                    platform=s.platform,
                    channel=s.channel,
                    sent_at=now,
                    due_at=s.due_at,
                    late=late,
                    status=status,
                )
                for s in sends
            ]
        )

    def _retry(self, group: list[PlannedSend], delay: timedelta) -> None:
        """Try a batch again after ``delay`` while it is within the grace period."""
        if not self.running or self.scheduler is None:
            return
        if self.rt.clock.now() + delay - group[0].due_at > self.grace:
            log.warning("giving up on %s for now: past the grace period", group[0].batch_id)
            return
        retry_id = f"retry|{group[0].batch_id}"
        self._batches[retry_id] = group
        self.scheduler.add_job(
            self._fire,
            DateTrigger(run_date=datetime.now(SEOUL) + delay, timezone=SEOUL),
            args=[retry_id, group[0].due_at + self._skew],
            id=retry_id,
            replace_existing=True,
        )

