"""How a milestone is written in any reply: its date as honestly as it is known, its
department, and where it came from. /milestone, /upcoming, the digest and the reminder
messages all say it the same way."""

from __future__ import annotations

from bot import messages as M
from bot.keys import name_key
from bot.models import Milestone
from bot.replies.sources import report_label
from bot.replies.when import describe
from bot.store.api import StoreAPI


def when_text(m: Milestone) -> str:
    """The date as honestly as it is known, with the report's own wording beside it."""
    text = describe(m.start, m.end, m.precision)
    if m.date_text and m.source is not None and name_key(m.date_text) != name_key(text):
        return M.WHEN_PRINTED.format(when=text, printed=m.date_text.strip())
    return text


def source_text(store: StoreAPI, m: Milestone) -> str:
    """'시민소통기획관 주요업무보고(2021.9.6.) 168행', or who added it by hand."""
    if m.manual_id is not None:
        if m.added_by:
            return M.SOURCE_MANUAL_BY.format(id=m.manual_id, by=m.added_by)
        return M.SOURCE_MANUAL.format(id=m.manual_id)
    report = store.report(m.source.report_id) if m.source else None
    if report is None:
        return M.SOURCE_UNKNOWN
    label = report_label(report)
    return M.SOURCE_LINE.format(where=label, line=m.source.line) if m.source and m.source.line else label


def dept_suffix(m: Milestone) -> str:
    """' (뉴미디어담당관)' after a milestone's title, or nothing."""
    return M.MILESTONE_DEPT_SUFFIX.format(dept=m.dept) if m.dept else ""
