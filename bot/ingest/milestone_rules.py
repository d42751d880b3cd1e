"""Which dates of a line are milestones, and with what title.

Which dates count depends on the section they sit in:

- plan sections (향후계획, 추진계획, 향후 일정, 행사개요 …): every dated item, even one
  dated before the report (plans are often written weeks before the cover date);
- descriptive sections (사업개요, 추진방향, 주요 추진내용, the purpose line): items
  dated from the report's month on;
- achievement sections (추진실적): only what is still ahead of the report, or marked 예정.

Dates are only taken where the report uses them as a date slot: with a printed year,
in parentheses ('(10월)'), after a colon ('… : 5~6월') or alone in a table cell. A
'(3월)' glued to the next word ('접수(3월)된 과제') is a reference, not an item; '현재',
'기준' and '(현행)' mark status, not plans; a bare year ('21년) is not a milestone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.ingest.dates import DateSpan, find_dates, may_begin_a_date, month_floor, period_end
from bot.ingest.lines import DONE, INFO, PLAN, strip_bullets
from bot.ingest.milestone_titles import ANY_YEAR, Context, item_title, label_of
from bot.ingest.text import Document
from bot.models import Precision

_STATUS_AFTER = re.compile(r"^\s*\.?\s*(?:말\s*)?(?:현재|기준)")
_CHAIN = re.compile(r"\s*[→⇒⇨➡]\s*")
_CHAIN_MARKS = re.compile(r"[→⇒⇨➡]")
_HANGUL = re.compile(r"[가-힣]")
_CURRENT_PRACTICE = re.compile(r"\(\s*현\s*행\s*\)|^현\s*행\b")
_STATUS_LABEL = re.compile(r"현황$")
_UNTIL = re.compile(r"^\s*까지")


@dataclass
class Period:
    """The report's own date, as the cut-off for descriptive and achievement sections."""

    start: date  # first day of the report's month
    day: date  # the report date (first of month when only the month is printed)
    end: date  # last day the report date covers
    day_precise: bool
    year: int | None  # for dates printed without a year

    @classmethod
    def of(cls, doc: Document) -> Period:
        """Without a report date nothing is 'ahead of the report': only plan sections
        count, and dates without a printed year are not guessed."""
        if doc.report_date is None:
            return cls(date.max, date.max, date.max, True, None)
        d = doc.report_date
        prec = doc.report_date_precision or Precision.DAY
        return cls(month_floor(d), d, period_end(d, prec), prec is Precision.DAY, d.year)


def _in_slot(text: str, sp: DateSpan, table_cell: bool) -> bool:
    """A date without a printed year only counts where the report uses it as a date:
    in parentheses, after a colon, in a list of dates, or alone in a table cell."""
    before = text[: sp.pos].rstrip()
    after = text[sp.endpos :].lstrip()
    if table_cell and not before:
        return True
    if not before or before[-1] not in "(:：/,，·~":
        return False
    if before[-1] == "(":
        close = text.find(")", sp.endpos)
        if close >= 0 and close + 1 < len(text) and _HANGUL.match(text[close + 1]):
            return False  # '접수(3월)된 과제': a reference inside a sentence
    return not after or after[0] in ")/,，·:：~" or table_cell or before[-1] in ":："


def _is_status(text: str, sp: DateSpan) -> bool:
    return bool(_STATUS_AFTER.match(text[sp.endpos : sp.endpos + 10]))


PAST = "past"  # a history ('추진경과'): only what it marks 예정 is still ahead
def _keep(sp: DateSpan, kind: str, period: Period, marked_planned: bool) -> bool:
    if kind == PLAN:
        return True
    if kind == INFO:
        if sp.precision is Precision.DAY:
            cutoff = period.day if period.day_precise else period.start
            return sp.start >= cutoff
        # '상반기', '3/4분기' in a report of February: the period is still ahead
        return period_end(sp.start, sp.precision) >= period.day
    if kind == PAST:
        return marked_planned
    return sp.start > period.end or marked_planned

def _segments(text: str) -> list[tuple[str, bool]]:
    """Pieces of a line read one by one: a chain 'A(4월) ⇒ B(5월)' gives A and B; an
    inline '※ …' remark is kept apart (it is read like a descriptive section)."""
    out: list[tuple[str, bool]] = []
    main, note = text, ""
    k = text.find("※")
    if k > 0:
        main, note = text[:k], text[k:]
    for part in _CHAIN.split(main) if _CHAIN_MARKS.search(main) else [main]:
        if part.strip():
            out.append((part, False))
    if note.strip():
        out.append((note, True))
    return out


def from_text(
    text: str,
    *,
    kind: str,
    year: int | None,
    period: Period,
    ctx: Context,
    table_cell: bool = False,
) -> list[tuple[DateSpan, str]]:
    out: list[tuple[DateSpan, str]] = []
    if "현" in text and _CURRENT_PRACTICE.search(text):
        return out
    lab = label_of(strip_bullets(text)) if ":" in text or "：" in text else None  # no colon, no label
    if lab:
        label = lab.group("label").replace(" ", "")
        if _STATUS_LABEL.search(label):
            return out
        if label.endswith("실적") and kind != PLAN:
            kind = DONE  # '※ '15년 ~ '16. 4월말 추진실적 : 6회'
        elif label.endswith("실적"):
            kind = INFO
    for seg, is_note in _segments(text):
        spans = find_dates(_mask_label(seg), year)
        if not spans:
            continue
        seg_kind = INFO if (is_note and kind == PLAN) else kind
        kept_before = False
        for sp in spans:
            if kept_before and _UNTIL.match(seg[sp.endpos : sp.endpos + 4]):
                continue  # '…, 본 전시 '24. 2월까지': how long the item above runs, not an item
            if sp.precision is Precision.YEAR:
                continue
            if not sp.year_printed and not _in_slot(seg, sp, table_cell):
                continue
            if _is_status(seg, sp):
                continue
            planned = "예정" in seg[sp.pos : sp.endpos + 12] or seg.rstrip().endswith(("예정", "예정임"))
            if not _keep(sp, seg_kind, period, planned):
                continue
            title = item_title(seg, sp, spans, ctx)
            if title is None:
                continue
            kept_before = True
            out.append((sp, title))
    return out


def _mask_label(seg: str) -> str:
    """'2025년 예산 편성 : 10월 ~ 11월', '하반기 특별 프로그램 : 9. 29., 10. 27.': when the
    value after the colon is dated, a year or half in the label is part of the item's
    name, not a date (nor the year of the dates after it). Length-preserving."""
    m = label_of(seg)
    if not m or not may_begin_a_date(seg[: m.start("value")]):
        return seg  # masking a label that holds no date would change nothing a date reader sees
    if not find_dates(m.group("value"), ANY_YEAR):
        return seg
    a = m.start("value")
    return " " * a + seg[a:]
