"""Every send in a time window: (milestone send days × subscribed channels) plus the
weekly digests. The scheduler, the start-up catch-up and ``reportbot reminders plan``
all read this one function, so what the CLI shows is what the bot does.

Each send carries its sent-log key — (milestone, offset, channel) for reminders and
(digest, ISO week, channel) for digests — so nothing goes out twice.

One event printed several times in one report (the 축제: twice as '… 개최', once as
'… 개최 기 간') is one milestone for reminders (bot/events.py, the rule /upcoming and
/when use): one set of sends, keyed by the printing that stands for it — the key the
sent-log already holds for that printing — and recognised under the other printings'
keys too, so a sent-log written before the fold does not resend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from bot import messages as M
from bot.clock import SEOUL
from bot.config import Settings
from bot.events import fold_events
from bot.lookups.subscriptions import subscribers
from bot.models import Milestone, Report, Subscription
from bot.replies.when import dot_date
from bot.store import Store, legacy_milestone_key, milestone_key
from reminders.calendar import WorkCalendar
from reminders.policy import SendSlot, send_slots, slot_label

SendKind = Literal["reminder", "digest"]


@dataclass(frozen=True)
class Occasion:
    """A milestone's send day at its send time, before any channel is attached."""

    milestone: Milestone
    slot: SendSlot
    due_at: datetime
    printings: tuple[Milestone, ...] = ()  # the same event printed elsewhere in its report


@dataclass(frozen=True)
class PlannedSend:
    key: str  # the sent-log key
    kind: SendKind
    platform: str
    channel: str
    due_at: datetime  # aware, Asia/Seoul
    subscribed_at: datetime  # the channel wanted it since then (catch-up never sends older)
    milestone: Milestone | None = None
    slot: SendSlot | None = None
    week: str | None = None  # digests: ISO week, e.g. 2021-W43
    legacy_key: str | None = None  # the key before stable identities (still recognised)
    printing_keys: tuple[str, ...] = ()  # the event's other printings' keys (still recognised)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key under which the sent-log may hold this send."""
        own = (self.key, self.legacy_key) if self.legacy_key else (self.key,)
        return own + tuple(k for k in self.printing_keys if k not in own)

    @property
    def where(self) -> str:
        return f"{self.platform}:{self.channel}"

    @property
    def batch_id(self) -> str:
        """Sends to one channel at one moment go out as one message (one job)."""
        return f"{self.kind}|{self.where}|{self.due_at.isoformat()}"


def reminder_key(m: Milestone, slot: SendSlot, platform: str, channel: str, report: Report | None = None) -> str:
    """(milestone identity, send day, channel): stable across a corrected re-ingest."""
    return f"reminder|{milestone_key(m, report)}|{slot.label}|{platform}:{channel}"


def legacy_reminder_key(m: Milestone, slot: SendSlot, platform: str, channel: str) -> str:
    """The key sent-logs before stable identities hold (content hash and line)."""
    return f"reminder|{legacy_milestone_key(m)}|{slot.label}|{platform}:{channel}"


def already(keys: set[str], send: PlannedSend) -> bool:
    """Whether ``keys`` (sent-log and claims) hold ``send`` under any of its keys."""
    return any(k in keys for k in send.keys)


def digest_key(week: str, platform: str, channel: str) -> str:
    return f"digest|{week}|{platform}:{channel}"


def iso_week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def at_send_time(d: date, settings_time: object) -> datetime:
    return datetime.combine(d, settings_time, tzinfo=SEOUL)  # type: ignore[arg-type]


def occasions(store: Store, settings: Settings, cal: WorkCalendar, start: datetime, end: datetime) -> list[Occasion]:
    """Milestone sends due in ``[start, end)``, whoever subscribed: each event once."""
    out: list[Occasion] = []
    for m, others in fold_events(store.milestones()):
        for slot in send_slots(m, settings.reminders, cal):
            due = at_send_time(slot.on, settings.reminders.send_time)
            if start <= due < end:
                out.append(Occasion(m, slot, due, tuple(others)))
    out.sort(key=lambda o: (o.due_at, o.milestone.start, o.milestone.title))
    return out


def plan_window(
    store: Store,
    settings: Settings,
    cal: WorkCalendar,
    start: datetime,
    end: datetime,
    subs: list[Subscription] | None = None,
) -> list[PlannedSend]:
    """Every send due in ``[start, end)``, soonest first."""
    subs = store.subscriptions() if subs is None else subs
    reminder_subs = [s for s in subs if s.kind == "reminder"]
    sends = _reminder_sends(store, settings, cal, start, end, reminder_subs) if reminder_subs else []
    sends.extend(plan_digests(settings, [s for s in subs if s.kind == "digest"], start, end))
    sends.sort(key=lambda s: (s.due_at, s.kind, s.where, s.milestone.start if s.milestone else s.due_at.date()))
    return sends


def _reminder_sends(
    store: Store, settings: Settings, cal: WorkCalendar, start: datetime, end: datetime, subs: list[Subscription]
) -> list[PlannedSend]:
    """Each occasion × each channel that wants it, once per event (a milestone printed
    twice, or under another printing's key, is one send)."""
    sends: list[PlannedSend] = []
    seen: set[str] = set()
    for occ in occasions(store, settings, cal, start, end):
        m = occ.milestone
        report = store.report(m.source.report_id) if m.source else None
        for sub in event_subscribers(subs, occ):
            send = _reminder_send(occ, sub, report)
            if send.key in seen:
                continue
            seen.add(send.key)
            seen.update(send.printing_keys)
            sends.append(send)
    return sends


def _reminder_send(occ: Occasion, sub: Subscription, report: Report | None) -> PlannedSend:
    m, slot = occ.milestone, occ.slot
    printing_keys = tuple(
        k
        for other in occ.printings
        for k in (reminder_key(other, slot, sub.platform, sub.channel, report), legacy_reminder_key(other, slot, sub.platform, sub.channel))
    )
    return PlannedSend(
        key=reminder_key(m, slot, sub.platform, sub.channel, report),
        legacy_key=legacy_reminder_key(m, slot, sub.platform, sub.channel),
        printing_keys=printing_keys,
        kind="reminder",
        platform=sub.platform,
        channel=sub.channel,
        due_at=occ.due_at,
        subscribed_at=sub.created_at,
        milestone=m,
        slot=slot,
    )


def event_subscribers(subs: list[Subscription], occ: Occasion) -> list[Subscription]:
    """Channels that want any printing of the event (a program subscription may match
    only the printing that names the program), each once, earliest subscription first."""
    seen: dict[tuple[str, str], Subscription] = {}
    for m in (occ.milestone, *occ.printings):
        for s in subscribers(subs, m):
            key = (s.platform, s.channel)
            if key not in seen or s.created_at < seen[key].created_at:
                seen[key] = s
    return list(seen.values())


def plan_digests(settings: Settings, subs: list[Subscription], start: datetime, end: datetime) -> list[PlannedSend]:
    """The weekly digest: one per ISO week and channel, on the configured weekday."""
    out: list[PlannedSend] = []
    if not subs:
        return out
    day = start.astimezone(SEOUL).date()
    last = end.astimezone(SEOUL).date()
    while day <= last:
        if day.weekday() == settings.digest.weekday:
            due = at_send_time(day, settings.digest.send_time)
            if start <= due < end:
                week = iso_week(day)
                seen: set[tuple[str, str]] = set()
                for sub in sorted(subs, key=lambda s: s.created_at):
                    if (sub.platform, sub.channel) in seen:
                        continue
                    seen.add((sub.platform, sub.channel))
                    out.append(
                        PlannedSend(
                            key=digest_key(week, sub.platform, sub.channel),
                            kind="digest",
                            platform=sub.platform,
                            channel=sub.channel,
                            due_at=due,
                            subscribed_at=sub.created_at,
                            week=week,
                        )
                    )
        day += timedelta(days=1)
    return out


def batches(sends: list[PlannedSend]) -> dict[str, list[PlannedSend]]:
    """Group by (kind, channel, moment): one message per group."""
    out: dict[str, list[PlannedSend]] = defaultdict(list)
    for s in sends:
        out[s.batch_id].append(s)
    return dict(out)


def plan_lines(store: Store, settings: Settings, cal: WorkCalendar, first: date, last: date, show_all: bool = False) -> list[str]:
    """``reportbot reminders plan``: every send from ``first`` to ``last`` (inclusive) —
    when, where, what — with what the sent-log already says about it."""
    start = datetime.combine(first, datetime.min.time(), tzinfo=SEOUL)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=SEOUL)
    span = {"start": dot_date(first), "end": dot_date(last)}

    def when(d: datetime) -> str:
        return f"{dot_date(d.date(), weekday=True)} {d:%H:%M}"

    def what(m: Milestone, slot: SendSlot, due: datetime) -> str:
        dept = f" ({m.dept})" if m.dept else ""
        return f"{slot_label(m, slot, due.date())} · {m.title}{dept}"

    subs = store.subscriptions()
    if show_all:
        lines = []
        for occ in occasions(store, settings, cal, start, end):
            where = ", ".join(f"{s.platform}:{s.channel}" for s in event_subscribers(subs, occ)) or M.PLAN_NOBODY
            lines.append(M.PLAN_ROW.format(when=when(occ.due_at), where=where, what=what(occ.milestone, occ.slot, occ.due_at)))
        return [M.PLAN_HEADER_ALL.format(count=len(lines), **span), *lines]
    if not subs:
        return [M.PLAN_NO_SUBS]
    sent = {r.key: r for r in store.sent_records()}
    lines = []
    for s in plan_window(store, settings, cal, start, end, subs):
        text = what(s.milestone, s.slot, s.due_at) if s.milestone and s.slot else M.PLAN_DIGEST.format(week=s.week)
        rec = next((sent[k] for k in s.keys if k in sent), None)
        if rec is not None:
            text += M.PLAN_SKIPPED if rec.status == "skipped" else M.PLAN_ALREADY_SENT.format(at=when(rec.sent_at.astimezone(SEOUL)))
        lines.append(M.PLAN_ROW.format(when=when(s.due_at), where=s.where, what=text))
    return [M.PLAN_HEADER.format(count=len(lines), **span), *(lines or [M.PLAN_EMPTY])]
