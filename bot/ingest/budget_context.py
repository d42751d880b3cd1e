"""What surrounds a budget table: its money unit, 기준일 and caption.

A table counts as a budget table when a money unit is declared for it: a line such as
"(2021.7.31. 기준, 단위 : 천원, %)", "(천원)" above it, or a unit in its column headers
("예산액(천원)"). The lines between the previous table and this one also say whether
it goes on from the table above (nothing but blank, unit or page-number lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.ingest.numbers import find_date
from bot.ingest.text import Document, clean, unspace_label, unspace_runs

_UNIT_DECL = re.compile(r"단위\s*[:：]?\s*(?P<rest>[^)]*)")
MONEY = re.compile(r"(백만원|천원|억원|(?<![가-힣])원)(?![가-힣])")
_BARE_UNIT = re.compile(r"^\(?\s*(백만원|천원|억원|원)\s*\)?$")
_FILLER = re.compile(r"^(?:[-=_*#~\s]*|[-–\s]*\d{1,4}[-–\s]*|\(?\s*\d+\s*/\s*\d+\s*\)?)$")
_CAPTION_MARK = re.compile(r"^[\s○●◎□■▣◇◆※*<〈《\[【#\-·ㆍ]+")
GAP_SCAN = 12  # lines above a table searched for its unit, 기준일 and caption


@dataclass
class Context:
    unit: str | None = None
    non_money_unit: bool = False
    as_of: date | None = None
    caption: str | None = None
    filler_only: bool = True  # nothing but blank/unit/page lines between this table and the last


def money_unit(text: str) -> tuple[str | None, bool]:
    """(money unit, declared-but-not-money) for one line of text."""
    s = clean(text)
    bare = _BARE_UNIT.match(s.replace(" ", ""))
    if bare:
        return bare.group(1), False
    m = _UNIT_DECL.search(s)
    if not m:
        return None, False
    rest = m.group("rest")
    money = MONEY.search(rest.replace(" ", ""))
    if money:
        return money.group(1), False
    return None, True


_BOLD_LEAD = re.compile(r"^\s*(?:#+\s*)?\*\*(?P<b>[^*]{1,40})\*\*")
_BULLET_LEAD = re.compile(r"^\s*[-·ㆍ•▶▷►→*]\s")
_AS_OF_NOTE = re.compile(r"[\[(【]\s*(?:기준일?|작성일|현재)\s*[:：]?[^\]\)】]{0,30}[\])】]")  # '[기준일: 2030-07-31]'
_NUMBERING_LEAD = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|[가-하])\s*[.)]\s*")
_TABLE_PHRASE = re.compile(r"(?<!\s)\s{0,3}(?:내용|현황|결과)?[은는]?\s{0,3}아래\s{0,3}표.*$")


def _caption(text: str, allow_bullet: bool = False) -> str | None:
    """A short name for the table from a line above it: a caption ('○ 총괄표',
    '< 부서별 >'), a bold lead-in ('**'18년 결산** …'), or a sentence introducing the
    table ('- 세입결산 내용은 아래 표와 같습니다.' -> '세입결산'). Prose is not a caption."""
    bold = _BOLD_LEAD.match(text)
    if bold:
        return unspace_label(clean(bold.group("b")))
    s = clean(text)
    if _BULLET_LEAD.match(s) and not allow_bullet:
        return None
    s = _AS_OF_NOTE.sub("", s)
    s = _UNIT_DECL.sub("", s)
    s = re.sub(r"\(\s*\)", "", s)
    s = _TABLE_PHRASE.sub("", s)
    s = _CAPTION_MARK.sub("", s).strip(" >〉》]】:-.")
    if s and len(s) > 40:
        # '4. 예    산 : 예산현액 137,452,000천원, …': the label before the colon names the table
        head = re.split(r"\s[:：]\s", s)[0]
        s = _NUMBERING_LEAD.sub("", head) if len(head) < len(s) else ""
    if not s or len(s) > 40:
        return None
    s = _NUMBERING_LEAD.sub("", re.split(r"\s[:：]\s", s)[0])  # '2. 부서별 결산' -> '부서별 결산'
    return unspace_runs(s) if s else None


def context_above(doc: Document, first: int, last: int) -> Context:
    """Read the lines first..last (the gap above a table), nearest first."""
    ctx = Context()
    seen = 0
    for n in range(last, max(first, last - GAP_SCAN + 1) - 1, -1):
        raw = doc.line(n)
        s = clean(raw)
        if not s:
            continue
        seen += 1
        unit, non_money = money_unit(s)
        is_unit_line = unit is not None or non_money
        if is_unit_line and ctx.unit is None and not ctx.non_money_unit and seen <= 4:
            ctx.unit, ctx.non_money_unit = unit, non_money
            ctx.as_of = find_date(s)
            before = raw.split("(단위")[0] if "(단위" in raw else ""
            if before.strip() and not ctx.caption:
                ctx.caption = _caption(before, allow_bullet=True)
        elif ctx.as_of is None and s.startswith("(") and ("기준" in s or "현재" in s) and seen <= 3:
            ctx.as_of = find_date(s)
            is_unit_line = True
        elif ctx.as_of is None and (note := _AS_OF_NOTE.search(s)) is not None:
            ctx.as_of = find_date(note.group(0))  # '4. 예산 집행현황 [기준일: 2030-07-31]'
            if not ctx.caption:
                ctx.caption = _caption(raw)
        elif not ctx.caption:
            ctx.caption = _caption(raw)
        if not (is_unit_line or _FILLER.match(s)):
            ctx.filler_only = False
    return ctx
