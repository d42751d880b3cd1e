"""The cover page: title, date and issuing office, read from the first lines.

Every later date without a year is resolved against the date found here, so a text
without a recognisable cover is refused rather than guessed at."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.ingest.text import Document, NotAReportError, clean
from bot.models import Precision

COVER_LINES = 25

_DATE = re.compile(r"^(?P<y>(?:19|20)\d\d)\s*\.\s*(?P<m>\d{1,2})\s*\.?(?:\s*(?P<d>\d{1,2})\s*\.?)?\s*(?:\(\s*\S\s*\))?\s*$")
_ORG_END = re.compile(r"(기획관|실|국|본부|단|청|원|위원회|담당관|비서실|사무처|센터|과)$")
_TITLE_HINT = re.compile(r"(보고|업무|결산|현황)")
_FISCAL = re.compile(r"((?:19|20)\d\d)\s*회계\s*연도")


@dataclass
class Cover:
    title: str
    org: str
    report_date: date
    precision: Precision
    kind: str  # work | settlement
    fiscal_year: int | None
    title_line: int


def _is_rule(s: str) -> bool:
    return not s or set(s) <= set("-=_*#") or s in {"목차", "목 차"}


def parse_cover(doc: Document) -> Cover:
    title: str | None = None
    title_line = 0
    found_date: tuple[date, Precision] | None = None
    org: str | None = None
    for n, raw in doc.numbered(1, COVER_LINES):
        s = clean(raw)
        if _is_rule(s):
            continue
        m = _DATE.match(s)
        if m and found_date is None:
            y, mo = int(m["y"]), int(m["m"])
            d = int(m["d"]) if m["d"] else None
            try:
                found_date = (date(y, mo, d or 1), Precision.DAY if d else Precision.MONTH)
            except ValueError:
                raise NotAReportError(f"표지의 날짜가 올바르지 않습니다({s})") from None
            continue
        if title is None and _TITLE_HINT.search(s) and len(s) <= 60:
            title, title_line = s, n
            continue
        if found_date and org is None and len(s) <= 30 and _ORG_END.search(s.replace(" ", "")):
            org = s.replace(" ", "")
            break
    if title is None or found_date is None or org is None:
        missing = [w for w, v in (("제목", title), ("날짜", found_date), ("작성 부서", org)) if v is None]
        raise NotAReportError(f"보고서 표지에서 {'·'.join(missing)}을(를) 찾을 수 없습니다")
    fiscal = _FISCAL.search(title)
    kind = "settlement" if "결산" in title.replace(" ", "") else "work"
    return Cover(
        title=title,
        org=org,
        report_date=found_date[0],
        precision=found_date[1],
        kind=kind,
        fiscal_year=int(fiscal.group(1)) if fiscal else None,
        title_line=title_line,
    )
