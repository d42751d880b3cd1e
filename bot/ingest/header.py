"""Title, issuing office and date of a report, found wherever the document states them.

Covers come in every order and shape: three lines (title, date, office), one line
('가람구청 | 2030. 12.'), a first heading that names the office ('# 가람구 보건소 업무보고'),
a date in parentheses with the committee ('(2031. 2. 5. 행정복지위원회)'), or no cover at
all. Nothing here is a gate: what the cover lacks is taken from the text (the first
dated line) or from the caller (``reportbot ingest --title/--office/--date``), and every
guess is reported as a warning so a person can tell whether to trust it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from bot.ingest.dates import DateSpan, find_dates
from bot.ingest.text import Document, NotAReportError, clean
from bot.models import Precision

COVER_LINES = 40  # the cover is read from at most this many lines, up to the first section
BODY_DATE_LINES = 400  # a date taken from the text is looked for in this many lines
UNKNOWN_ORG = "기관 미상"

# A section heading ends the cover: 'Ⅰ. 일반현황', '# I . 일 반 현 황', '목 차'.
_SECTION = re.compile(r"^\s*(?:#+\s*)?(?:[IVX]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ])\s*\.\s*\S|^\s*목\s*차\s*$")
_TITLE_HINT = re.compile(r"(보고|업무|결산|현황|계획|감사|처리결과)")
# The last word of an office's name: 실·국·본부·과·팀·센터·사무국·구청·의회·공단 …
_ORG_END = re.compile(
    r"(기획관|담당관|비서실|사무처|사무국|위원회|본부|센터|공단|공사|의회|구청|군청|시청|도청|보건소|사업소"
    r"|[실국과팀단청원처관구군시도])$"
)
_LABELLED = re.compile(r"^[^:：]{1,12}\s*[:：]")
_SPLIT = re.compile(r"\s*(?:\||\t|\s/\s)\s*")
_RULE = re.compile(r"^[-=_*#~·\s]*$")
_FISCAL = re.compile(r"((?:19|20)\d\d)\s*회계\s*연도")
_NOISE = re.compile(r"[()\[\]<>〈〉「」『』【】|/,·ㆍ\s.]+")


@dataclass
class CoverOverride:
    """What the person ingesting a report says about it; wins over what is read."""

    title: str | None = None
    org: str | None = None
    report_date: date | None = None


@dataclass
class Cover:
    title: str
    org: str
    report_date: date
    precision: Precision
    kind: str  # work | settlement
    fiscal_year: int | None
    title_line: int
    warnings: list[str] = field(default_factory=list)


class NoDateError(NotAReportError):
    """No date anywhere: a report cannot be placed in time without one."""


def _is_org(text: str) -> bool:
    s = text.strip()
    if not s or len(s) > 30 or re.search(r"\d", s) or _LABELLED.match(s) or _TITLE_HINT.search(s):
        return False
    words = s.split()
    return len(words) <= 4 and bool(_ORG_END.search(words[-1])) and all(re.fullmatch(r"[가-힣·]+", w) for w in words)


def _cover_date(text: str) -> tuple[DateSpan, str] | None:
    """A date that is the point of its line (what is left is a short note or the
    office), not a labelled fact such as '감사기간 : 2007.12.3~12.10'."""
    if _LABELLED.match(text):
        return None
    spans = [sp for sp in find_dates(text) if sp.year_printed]
    if len(spans) != 1 or spans[0].end is not None or spans[0].precision not in (Precision.DAY, Precision.MONTH):
        return None
    sp = spans[0]
    rest = (text[: sp.pos] + " " + text[sp.endpos :]).strip()
    if len(_NOISE.sub("", rest)) > 20:
        return None
    return sp, rest


def _split_title_org(title: str) -> tuple[str, str | None]:
    """'가람구 보건소 업무보고' -> ('업무보고', '가람구 보건소'): leading words that name
    an office, as long as what remains is still a title."""
    words = title.split()
    k = 0
    while k < len(words) - 1 and _is_org(words[k]):
        k += 1
    if k == 0 or not _TITLE_HINT.search(" ".join(words[k:])):
        return title, None
    return " ".join(words[k:]), " ".join(words[:k])


def _body_date(doc: Document, start: int) -> DateSpan | None:
    for _, raw in doc.numbered(start, start + BODY_DATE_LINES):
        if not raw.strip():
            continue
        spans = [sp for sp in find_dates(clean(raw)) if sp.year_printed]
        if spans:
            return spans[0]
    return None


def _read_cover(doc: Document) -> tuple[str | None, int, DateSpan | None, str | None]:
    """Title (and its line), date and issuing office as the cover lines print them, up to
    the first section heading (or a dozen lines once a title or date is seen)."""
    title: str | None = None
    title_line = 0
    found: DateSpan | None = None
    org: str | None = None
    seen = 0
    for n, raw in doc.numbered(1, COVER_LINES):
        s = clean(raw)
        if not s or _RULE.match(s):
            continue
        if _SECTION.match(raw) or _SECTION.match(s):
            break
        seen += 1
        if seen > 12 and (title or found):
            break
        for part in (p for p in _SPLIT.split(s) if p):
            dated = _cover_date(part) if found is None else None
            if dated is not None:
                found = dated[0]  # a note beside it (a committee) is whom it was reported to
                continue
            if title is None and _TITLE_HINT.search(part) and len(part) <= 60 and not _LABELLED.match(part):
                title, title_line = part, n
                continue
            if org is None and _is_org(part):
                org = part
    return title, title_line, found, org


def _report_date(
    doc: Document, given: CoverOverride, found: DateSpan | None, warnings: list[str]
) -> tuple[date, Precision]:
    """The date given, else the cover's, else the body's first dated line (said in ``warnings``)."""
    if given.report_date:
        return given.report_date, Precision.DAY
    if found is not None:
        return found.start, Precision.DAY if found.precision == Precision.DAY else Precision.MONTH
    body = _body_date(doc, 1)
    if body is None:
        raise NoDateError("보고서 날짜를 찾을 수 없습니다. --date YYYY-MM-DD 로 지정해 주세요")
    warnings.append(
        f"표지에 날짜가 없어 본문의 첫 날짜({body.text.strip()})를 보고서 날짜로 썼습니다. --date 로 지정할 수 있습니다"
    )
    return body.start, Precision.DAY if body.precision == Precision.DAY else Precision.MONTH


def parse_cover(doc: Document, given: CoverOverride | None = None) -> Cover:
    given = given or CoverOverride()
    warnings: list[str] = []
    title, title_line, found, org = _read_cover(doc)
    if title is not None and org is None:
        title, org = _split_title_org(title)
    if given.title:
        title = given.title
    elif title is None:
        title = PurePath(doc.doc).stem
        warnings.append(f"제목을 찾지 못해 파일 이름({title})을 제목으로 썼습니다. --title 로 지정할 수 있습니다")
    if given.org:
        org = given.org
    elif org is None:
        org = UNKNOWN_ORG
        warnings.append("작성 기관을 찾지 못했습니다. --office 로 지정할 수 있습니다")
    report_date, precision = _report_date(doc, given, found, warnings)
    fiscal = _FISCAL.search(title)
    return Cover(
        title=title,
        org=org,
        report_date=report_date,
        precision=precision,
        kind="settlement" if "결산" in title.replace(" ", "") else "work",
        fiscal_year=int(fiscal.group(1)) if fiscal else None,
        title_line=title_line,
        warnings=warnings,
    )
