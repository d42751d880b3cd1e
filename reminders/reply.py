"""The message a channel gets: one per channel and moment, listing each milestone with
what, when (as precisely as it is known), D-N as of the send day, department, program
and source. Late sends say so."""

from __future__ import annotations

from datetime import datetime

from bot import messages as M
from bot.clock import SEOUL
from bot.config import Settings
from bot.replies import Reply, ReplyKind, Section
from bot.replies.digest import build_digest
from bot.replies.milestones import source_text, when_text
from bot.replies.when import dot_date
from bot.store import Store
from reminders.plan import PlannedSend
from reminders.policy import slot_label


def _late_line(sends: list[PlannedSend]) -> str:
    due = sends[0].due_at.astimezone(SEOUL)
    return M.REMINDER_LATE.format(due=f"{dot_date(due.date(), weekday=True)} {due:%H:%M}")


def reminder_reply(store: Store, sends: list[PlannedSend], late: bool = False) -> Reply:
    """One message for the reminders due in one channel at one moment."""
    sections: list[Section] = []
    labels: list[str] = []
    for s in sends:
        m, slot = s.milestone, s.slot
        if m is None or slot is None:
            continue
        label = slot_label(m, slot, s.due_at.astimezone(SEOUL).date())
        labels.append(label)
        lines = [f"{M.REMINDER_WHEN}: {when_text(m)}"]
        if m.dept:
            lines.append(f"{M.REMINDER_DEPT}: {m.dept}")
        if m.program:
            lines.append(f"{M.REMINDER_PROGRAM}: {m.program}")
        lines.append(f"{M.REMINDER_SOURCE}: {source_text(store, m)}")
        sections.append(Section(heading=f"{label} · {m.title}", lines=lines))
    if len(sections) == 1 and sends[0].milestone is not None:
        title = M.REMINDER_TITLE_ONE.format(dday=labels[0], title=sends[0].milestone.title)
    else:
        day = sends[0].due_at.astimezone(SEOUL).date()
        title = M.REMINDER_TITLE_MANY.format(count=len(sections), date=dot_date(day, weekday=True))
    return Reply(
        kind=ReplyKind.ANSWER,
        title=title,
        summary=[_late_line(sends)] if late else [],
        sections=sections,
        footnote=M.REMINDER_FOOTNOTE,
        shareable=False,
    )


def digest_reply(store: Store, settings: Settings, send: PlannedSend, since: datetime | None, late: bool = False) -> Reply:
    reply = build_digest(store, settings, send.due_at.astimezone(SEOUL).date(), since)
    if late:
        reply.summary.insert(0, _late_line([send]))
    return reply
