"""행정사무감사 처리결과 and 결산검사 시정권고 follow-ups.

The section is found by its heading, then read row by row. Everything is decided from
the report's own structure (the table header, the kind sub-headings, the status marker
in the answer cell, the department named after the requirement, in a 소관 column or
as a heading above a group), never from the wording of a particular report:

- an answer cell may hold an HTML ``<table>``; the converter also flattens that table
  into extra tab cells on the same line and repeats it as plain rows below. Those
  copies are recognised by their cell texts and skipped, so they never become items,
  header rows or group headings;
- statuses are printed with or without spaces ('추진 중', '추진중', '추진완료');
- the 총괄 table is the source of the summary; when the body prints fewer items than
  the 총괄 counts, both numbers are kept and the gap is noted on the document.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from bot.ingest.dates import find_dates
from bot.ingest.text import Document, clean, squash
from bot.models import AuditItem, AuditStatus, AuditSummary, Department, Source

KIND_CORRECTION = "시정·처리요구"
KIND_SUGGESTION = "건의"
KIND_OTHER = "기타"
KIND_SETTLEMENT = "결산검사시정권고"

# --- section boundaries -------------------------------------------------------------

_ROMAN_HEADING = re.compile(r"^\s*(?:#{1,6}\s*)?(?:[IVX]{1,5}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]{1,3})\s*[.．]")
_AUDIT_WORD = re.compile(r"(행정사무감사|결산검사|감사)")
_AUDIT_RESULT = re.compile(r"(처리결과|조치결과|처리상황|조치상황|추진상황|시정권고|시정요구|처리보고|조치내역)")
_AUDIT_HINT = re.compile(r"[감검]\s*사")
_MAX_HEADING = 60

# --- statuses -----------------------------------------------------------------------

_STATUS_WORD = (
    r"(?:추\s*진\s*완\s*료|조\s*치\s*완\s*료|처\s*리\s*완\s*료|완\s*료|추\s*진\s*중|진\s*행\s*중|조\s*치\s*중"
    r"|처\s*리\s*중|검\s*토\s*중|장\s*기\s*검\s*토|미\s*반\s*영|반\s*영\s*불\s*가|불\s*수\s*용|수\s*용\s*불\s*가)"
)
_STATUS_LABELLED = re.compile(
    r"(?:추\s*진\s*상\s*황|처\s*리\s*상\s*황|조\s*치\s*상\s*황|추\s*진\s*현\s*황|처\s*리\s*현\s*황|조\s*치\s*현\s*황)"
    r"\s*[:：]\s*(" + _STATUS_WORD + ")"
)
_STATUS_ARROW = re.compile(r"[▶►▷→■]\s*(" + _STATUS_WORD + ")")
_STATUS_LEADING = re.compile(r"^[□■○◎\s]*(" + _STATUS_WORD + r")(?=$|[\s(（])")


def normalize_status(text: str) -> AuditStatus | None:
    """'추진 중' → 추진중, '추진완료' → 완료; the header cells of the 총괄 use the same words."""
    s = squash(text)
    if not s:
        return None
    if any(w in s for w in ("미반영", "반영불가", "불수용", "수용불가")):
        return AuditStatus.NOT_REFLECTED
    if "검토" in s:
        return AuditStatus.REVIEWING
    if "완료" in s and not any(w in s for w in ("일부완료", "부분완료")):
        return AuditStatus.DONE
    if s.endswith("중") or "추진" in s or "완료" in s:
        return AuditStatus.IN_PROGRESS
    return None


def find_status(answer: str) -> tuple[AuditStatus, str] | None:
    """The status printed in an answer cell, and the exact phrase it was read from."""
    for pattern in (_STATUS_LABELLED, _STATUS_ARROW, _STATUS_LEADING):
        m = pattern.search(answer)
        if m:
            status = normalize_status(m.group(1))
            if status is not None:
                return status, m.group(0)
    return None


# --- kinds --------------------------------------------------------------------------


def kind_of(label: str) -> str | None:
    """The follow-up kind a sub-heading, header cell or 총괄 row label stands for."""
    s = squash(label)
    if not s or len(s) > 30:
        return None
    if "건의" in s:
        return KIND_SUGGESTION
    if "기타" in s or "자료제출" in s or "자료요구" in s:
        return KIND_OTHER
    if "권고" in s:
        return KIND_SETTLEMENT
    if "시정" in s or "처리요구" in s:
        return KIND_CORRECTION
    return None


_KIND_LABEL_END = re.compile(r"(사항|요구|건의|기타)(\(.*\))?$")


def _kind_heading(text: str) -> str | None:
    """A sub-heading that is nothing but a kind label ('건의 사항', '기 타 사 항',
    '1. 시정·처리 요구사항'); a sentence that merely mentions 기타 is not one."""
    s = squash(_HEADING_DECOR.sub("", clean(text)))
    if len(s) > 15 or not _KIND_LABEL_END.search(s):
        return None
    kind = kind_of(s)
    return kind if kind != KIND_SETTLEMENT else None


# --- departments --------------------------------------------------------------------

_DEPT_SUFFIX = re.compile(
    r"(담당관|기획관|정책관|보좌관|조정관|관리관|비서관|대변인|본부|센터|사업소|위원회|사무처|비서실|[가-힣]{2,}실|[가-힣]{2,}국|[가-힣]{2,}단"
    r"|[가-힣]{2,}(?<![결효성경통초부교])과)$"
)
_DEPT_PREFIX = re.compile(r"^(?:소관(?:부서|실국)?|담당(?:부서)?|부서(?:명)?)\s*[:：]?\s*")
_TRAILING_PAREN = re.compile(r"[(（]([^()（）]{2,40})[)）]\s*$")
# Bullets, brackets and numbering around a heading ('< 뉴미디어담당관 >', '【…】', '1. …',
# '… (3건)'); \W keeps Hangul, letters and digits.
_HEADING_DECOR = re.compile(r"^(?:\W|_)*(?:\d{1,2}\s*[.)]\s*(?:\W|_)*)?|\s*[(（]\s*\d+\s*건\s*[)）]|(?:\W|_)*$")


def _dept_name(text: str, departments: list[Department]) -> str | None:
    """A department name, canonical when the report's department list knows it."""
    s = squash(_DEPT_PREFIX.sub("", clean(text)))
    if not s or len(s) > 20:
        return None
    for d in departments:
        if squash(d.name) == s:
            return d.name
    return s if _DEPT_SUFFIX.search(s) else None


def _dept_names(text: str, departments: list[Department]) -> str | None:
    """One name, or several joined by ', ' when a requirement names more than one."""
    parts = [p for p in re.split(r"[,，、/]", text) if p.strip()]
    names = [_dept_name(p, departments) for p in parts]
    if names and all(names):
        return ", ".join(dict.fromkeys(n for n in names if n))
    return None


def split_trailing_dept(text: str, departments: list[Department]) -> tuple[str, str | None]:
    """'… 조치하기 바람 (뉴미디어담당관)' → ('… 조치하기 바람', '뉴미디어담당관')."""
    m = _TRAILING_PAREN.search(text)
    if m:
        dept = _dept_names(m.group(1), departments)
        if dept:
            return text[: m.start()].rstrip(), dept
    return text, None


def dept_cell(text: str, departments: list[Department]) -> str | None:
    """A 소관 column: '시민소통 기획관 (시민소통 담당관)' names the office, then the department."""
    t = clean(text)
    m = _TRAILING_PAREN.search(t)
    if m:
        inner = _dept_names(m.group(1), departments)
        if inner:
            return inner
        t = t[: m.start()]
    return _dept_names(t, departments)


def group_heading_dept(text: str, departments: list[Department]) -> str | None:
    """A short line such as '< 뉴미디어담당관 >' that names the department of the rows below."""
    t = clean(text)
    if not t or len(t) > 40:
        return None
    t = _HEADING_DECOR.sub("", t)
    return _dept_name(t, departments) if t else None


# --- cells and HTML -----------------------------------------------------------------

_TABLE = re.compile(r"<table\b.*?</table>", re.I | re.S)
_ROW = re.compile(r"<tr\b.*?</tr>", re.I | re.S)
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.I | re.S)
_CHECKBOX = re.compile(r"<input\b[^<>]*>", re.I)
_ASCII_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]*>")  # keeps '<명예시장 현황>'


@lru_cache(maxsize=2048)
def _plain(fragment: str) -> str:
    """HTML fragment → one line of text. Only ASCII tag names are tags; '<2020 … 조회수>'
    is a caption the report printed and stays."""
    s = _ASCII_TAG.sub(" ", fragment)
    return clean(html.unescape(s) if "&" in s else s)


def _nospace(text: str) -> str:
    """squash() for text that is already clean: the hot path avoids a second NFKC pass."""
    return "".join(text.split())


def embedded_table_texts(cell: str) -> tuple[list[list[str]], set[str]]:
    """Rows of every HTML table in a cell, and the set of their cell texts (to recognise
    the flattened and repeated copies the converter also printed)."""
    rows: list[list[str]] = []
    for table in _TABLE.findall(cell):
        for row in _ROW.findall(table):
            rows.append([_plain(c) for c in _CELL.findall(row)])
    texts = {_nospace(c) for r in rows for c in r if c}
    return rows, texts


def answer_text(cell: str) -> str:
    """An answer cell as readable text: checkboxes as '□', embedded tables as '[표] a | b; …'."""

    def table_to_text(m: re.Match[str]) -> str:
        rows, _ = embedded_table_texts(m.group(0))
        body = "; ".join(" | ".join(r) for r in rows if any(r))
        return f" [표] {body} " if body else " "

    s = _TABLE.sub(table_to_text, cell)
    s = _CHECKBOX.sub(" □ ", s)
    return _plain(s)


_LABEL = re.compile(r"□\s*([^□○●◦\-–·▶►※\[]*)")
_BULLET = re.compile(r"^[\s○●◦\-–·▶►□※]+")


def split_answer(text: str, status_phrase: str | None) -> tuple[str | None, str | None]:
    """(조치결과, 향후계획) from an answer cell. The plan is separate only where the report
    prints it under its own label ('□ 향후계획'); a combined '추진내용 및 향후계획' stays
    one action text, as printed."""
    if status_phrase:
        text = text.replace(status_phrase, " ", 1)
    action: list[str] = []
    plan: list[str] = []
    pieces = re.split(r"(?=□)", text)
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        target = action
        if piece.startswith("□"):
            m = _LABEL.match(piece)
            label = squash(m.group(1)) if m else ""
            body = piece[m.end() :] if m else piece[1:]
            if re.fullmatch(r"(추진|처리|조치)(상황|현황)[:：]?", label):
                label = ""  # the status label whose value was already taken out
            if "향후" in label and "계획" in label and not re.search(r"(내용|결과|실적)", label):
                target = plan
            elif not body.strip() and label and not re.search(r"(내용|결과|실적|계획)", label):
                body = m.group(1) if m else ""
            piece = body
        piece = re.sub(r"\s+", " ", piece).strip()
        if piece:
            target.append(piece)
    join = " ".join
    return (join(action) or None), (join(plan) or None)


# --- header rows --------------------------------------------------------------------

_ANSWER_HEAD = re.compile(r"(조치결과|처리결과|조치내용|처리내용|추진현황|추진상황|추진실적|조치계획|향후추진계획|조치|결과)")
_NO_HEAD = re.compile(r"^(연번|번호|순번|순위|NO\.?)$", re.I)
_DEPT_HEAD = re.compile(r"(소관|부서|담당)")
_REQUEST_HEAD = re.compile(r"(사항|요구|권고|지적|건의)")
_CONTENT_HEAD = re.compile(r"^(내용|지적내용|주요내용|세부내용|권고내용|요구내용)$")


@dataclass
class Columns:
    """Which column holds what, read from a table header row."""

    no: int | None = None
    request: int | None = None
    content: int | None = None
    answer: int | None = None
    dept: int | None = None
    kind: str | None = None


def read_header(cells: list[str]) -> Columns | None:
    """``cells`` are already plain text."""
    sq = [_nospace(c) for c in cells]
    filled = [s for s in sq if s]
    if len(filled) < 2 or any(re.fullmatch(r"[\d,.\-△%()]+", s) for s in filled):
        return None
    cols = Columns()
    for i, s in enumerate(sq):
        if not s:
            continue
        if _NO_HEAD.match(s) and cols.no is None:
            cols.no = i
        elif _CONTENT_HEAD.match(s) and cols.content is None:
            cols.content = i
        elif cols.request is None and _REQUEST_HEAD.search(s) and not _ANSWER_HEAD.search(s):
            cols.request = i
            cols.kind = kind_of(s)
        elif _DEPT_HEAD.search(s) and not _ANSWER_HEAD.search(s) and cols.dept is None:
            cols.dept = i
        elif _ANSWER_HEAD.search(s) and cols.request is not None and cols.answer is None:
            cols.answer = i
    if cols.request is None or cols.answer is None:
        return None
    return cols


# --- the 총괄 table -----------------------------------------------------------------

_STATUS_HEAD = re.compile(r"(추진|조치|처리)?완료|(추진|진행|조치|처리|검토)중|(장기)?검토|미반영|반영불가|(불|미)수용|수용불가")
_TOTAL_LABEL = {"계", "합계", "총계", "소계", "전체"}


def _count(cell: str) -> int | None:
    s = _nospace(cell)
    if s in {"-", "–", "—", "－", "0"}:
        return 0
    s = s.rstrip("건")
    return int(s.replace(",", "")) if re.fullmatch(r"\d[\d,]*", s) else None


def _summary_columns(cells: list[str]) -> list[str | None] | None:
    """A 총괄 header such as '구분 | 계 | 완료 | 추진 중 | 검토 중 | 미반영' → per column
    'total' / a status value / None. Needs a total column and at least two statuses."""
    cols: list[str | None] = []
    for c in cells:
        s = _nospace(c)
        if s in _TOTAL_LABEL:
            cols.append("total")
        elif _STATUS_HEAD.fullmatch(s):
            cols.append(normalize_status(s).value)  # type: ignore[union-attr]
        else:
            cols.append(None)
    statuses = [c for c in cols if c and c != "total"]
    return cols if len(set(statuses)) >= 2 and len(statuses) == len(set(statuses)) else None


@dataclass
class _SummaryReader:
    columns: list[str | None]
    line: int
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    overall: dict[str, int] | None = None

    def feed(self, cells: list[str]) -> bool:
        """Read one row; False when the row is not part of the table any more."""
        values: list[int] = []
        i = len(cells)
        while i > 0:
            v = _count(cells[i - 1])
            if v is None:
                if not _nospace(cells[i - 1]) and not values:
                    i -= 1  # trailing empty cells
                    continue
                break
            values.insert(0, v)
            i -= 1
        labels = [_nospace(c) for c in cells[:i] if c.strip()]
        if not values or not labels:
            return False
        columns = self.columns
        if "total" not in columns:
            # header split over two rows ('계' above, statuses below): one extra number
            # in front of the statuses is the total
            columns = ["total", *columns[columns.index(next(c for c in columns if c)) :]]
        cols = columns[-len(values) :] if len(values) <= len(columns) else columns
        row = {col: v for col, v in zip(cols, values[-len(cols) :]) if col}
        if not any(k != "total" for k in row):
            return False
        row.setdefault("total", sum(v for k, v in row.items() if k != "total"))
        label = labels[-1]
        if label in _TOTAL_LABEL or all(lb in _TOTAL_LABEL for lb in labels):
            self.overall = row
        else:
            kind = kind_of(label) or label
            self.by_kind[kind] = row
        return True

    def summary(self, doc: Document) -> AuditSummary | None:
        if self.overall is None and not self.by_kind:
            return None
        statuses = [c for c in self.columns if c and c != "total"]
        if self.overall is not None:
            counts = {s: self.overall.get(s, 0) for s in statuses}
            total = self.overall["total"]
        else:
            counts = {s: sum(r.get(s, 0) for r in self.by_kind.values()) for s in statuses}
            total = sum(r["total"] for r in self.by_kind.values())
        for s in AuditStatus:
            counts.setdefault(s.value, 0)
        return AuditSummary(
            total=total,
            counts=counts,
            by_kind=self.by_kind,
            source=Source(report_id=doc.report_id, doc=doc.doc, line=self.line),
        )


# --- the section reader -------------------------------------------------------------


def _request_head(text: str, limit: int = 28) -> str:
    """The first words of a requirement, whole words only, about ``limit`` characters."""
    words = text.split()
    head: list[str] = []
    for w in words:
        if head and len(" ".join(head + [w])) > limit:
            break
        head.append(w)
    return " ".join(head) if head else text[:limit]


def _strip_bullet(text: str) -> str:
    return _BULLET.sub("", re.sub(r"^\d{1,3}\s*[.)]\s+", "", text)).strip()


@dataclass
class _Row:
    kind: str
    dept: str | None
    status: AuditStatus
    request_head: str
    request: str
    action: str | None
    plan: str | None
    line: int


def _is_heading(text: str) -> bool:
    return "\t" not in text and 0 < len(squash(text)) <= _MAX_HEADING


def audit_sections(doc: Document) -> list[tuple[int, int, bool]]:
    """(first line, last line, is 결산검사) of every audit follow-up section. A table of
    contents entry also matches the heading; its span holds no rows and yields nothing."""
    starts: list[tuple[int, bool]] = []
    for n, text in doc.numbered():
        if not _AUDIT_HINT.search(text) or not _is_heading(text):
            continue  # the cheap test first: squash() on every line would dominate
        s = squash(text)
        if _AUDIT_WORD.search(s) and _AUDIT_RESULT.search(s):
            starts.append((n, "결산검사" in s))
    sections: list[tuple[int, int, bool]] = []
    for k, (n, settlement) in enumerate(starts):
        end = starts[k + 1][0] - 1 if k + 1 < len(starts) else len(doc.lines)
        for m in range(n + 1, end + 1):
            if _ends_section(doc.lines[m - 1]):
                end = m - 1
                break
        sections.append((n, end, settlement))
    return sections


def _ends_section(text: str) -> bool:
    """The next top-level heading ('IV. …'), unless it is one of the section's own parts
    ('Ⅰ. 총괄', 'Ⅱ. 건의사항')."""
    if not _ROMAN_HEADING.match(text) or not _is_heading(text):
        return False
    s = squash(_ROMAN_HEADING.sub("", text))
    return not ("총괄" in s or _kind_heading(s) or _AUDIT_WORD.search(s))


class _SectionReader:
    def __init__(self, doc: Document, departments: list[Department], settlement: bool) -> None:
        self.doc = doc
        self.departments = departments
        self.settlement = settlement
        self.kind = KIND_SETTLEMENT if settlement else KIND_CORRECTION
        self.group_dept: str | None = None
        self.columns: Columns | None = None
        self.echo: set[str] = set()  # cell texts of the last embedded table
        self.summary: _SummaryReader | None = None  # the 총괄 table being read
        self.summaries: list[_SummaryReader] = []
        self.rows: list[_Row] = []
        self.skipped: list[int] = []

    def read(self, start: int, end: int) -> None:
        for n, raw in self.doc.numbered(start + 1, end):
            try:
                self._line(n, raw)
            except (ValueError, IndexError, KeyError, TypeError, AttributeError, re.error):
                self.skipped.append(n)  # an odd line never stops the section; it is noted

    def _line(self, n: int, raw: str) -> None:
        if not raw.strip():
            return
        if "\t" not in raw:
            self._plain_line(n, raw)
            return
        cells = raw.split("\t")
        filled = [c for c in cells if c.strip()]
        if self.echo and filled and all(_nospace(_plain(c)) in self.echo for c in filled):
            return  # a repeated row of the table embedded in the previous answer
        if self.summary is not None:
            if self.summary.feed([_plain(c) for c in cells]):
                return
            self.summary = None
        columns = _summary_columns([_plain(c) for c in cells])
        if columns is not None:
            self.summary = _SummaryReader(columns=columns, line=n)
            self.summaries.append(self.summary)
            return
        header = read_header([_plain(c) for c in cells])
        if header is not None and find_status(_plain(raw)) is None:
            self.columns = header
            if header.kind and not self.settlement and header.kind != KIND_SETTLEMENT:
                self.kind = header.kind
            self.echo = set()
            return
        if len(filled) == 1:
            self._plain_line(n, filled[0])
            return
        self._item(n, cells)

    def _plain_line(self, n: int, raw: str) -> None:
        text = _plain(raw)
        if not text:
            return
        self.summary = None
        if not self.settlement:
            kind = _kind_heading(text)
            if kind:
                self.kind = kind
                self.echo = set()
                return
        dept = group_heading_dept(text, self.departments)
        if dept:
            self.group_dept = dept
            self.echo = set()

    def _item(self, n: int, cells: list[str]) -> None:
        cols = self.columns
        answer_i = None
        status = None
        order = [cols.answer] if cols and cols.answer is not None and cols.answer < len(cells) else []
        order += [i for i in range(len(cells)) if i not in order]
        for i in order:
            found = find_status(answer_text(cells[i]))
            if found and not (cols and i in (cols.request, cols.content, cols.no)):
                answer_i, status = i, found
                break
        if answer_i is None or status is None:
            if any(len(_nospace(_plain(c))) > 15 for c in cells):
                self.skipped.append(n)
            return
        _, echo = embedded_table_texts(cells[answer_i])
        others = [
            i
            for i in range(len(cells))
            if i != answer_i and _nospace(_plain(cells[i])) and _nospace(_plain(cells[i])) not in echo
        ]
        if cols and cols.request is not None and cols.request in others:
            req_i = cols.request
        else:
            req_i = next((i for i in others if not re.fullmatch(r"\d{1,3}\.?", _nospace(_plain(cells[i])))), None)
        if req_i is None:
            self.skipped.append(n)
            return
        title = _strip_bullet(_plain(cells[req_i]))
        content_i = cols.content if cols and cols.content is not None and cols.content in others else None
        request = title
        if content_i is not None and content_i != req_i:
            content = _strip_bullet(_plain(cells[content_i]))
            request = f"{title}: {content}" if content else title
        request, dept = split_trailing_dept(request, self.departments)
        if dept is None:
            title, dept = split_trailing_dept(title, self.departments)
        if dept is None and cols and cols.dept is not None and cols.dept in others:
            dept = dept_cell(cells[cols.dept], self.departments)
        if dept is None:
            tail = [i for i in others if i > answer_i]
            if tail:
                dept = dept_cell(cells[tail[-1]], self.departments)
        if dept is None:
            dept = self.group_dept
        action, plan = split_answer(answer_text(cells[answer_i]), status[1])
        if action is None and plan is None and cols and cols.answer is not None and cols.answer in others:
            # the status sat in a column of its own; the answer text is in the 조치결과 column
            action, plan = split_answer(answer_text(cells[cols.answer]), None)
        head = title if content_i is not None and title and len(title) <= 40 else _request_head(request)
        self.rows.append(
            _Row(
                kind=self.kind,
                dept=dept,
                status=status[0],
                request_head=head,
                request=request,
                action=action,
                plan=plan,
                line=n,
            )
        )
        self.echo = echo


def _due(doc: Document, row: _Row) -> date | None:
    """The next follow-up date of an open item: the first date in its answer that is
    not already past at the report's date ('21.10.~'22.5.(예정) → 2021-10-01). Dates
    of what was done, and anything in a finished item, are history, not a due date."""
    if row.status == AuditStatus.DONE or doc.report_date is None:
        return None
    floor = doc.report_date.replace(day=1)
    text = " ".join(t for t in (row.action, row.plan) if t)
    for span in find_dates(text, doc.report_date.year):
        if span.start >= floor:
            return span.start
    return None


def _note_gaps(doc: Document, items: list[AuditItem], summary: AuditSummary) -> None:
    """The 총괄 and the body disagree in some reports: keep both numbers, say so."""
    printed = len(items)
    if printed != summary.total:
        doc.notes.append(f"감사 처리결과: 총괄은 {summary.total}건, 본문에 실린 항목은 {printed}건")
    for kind, row in summary.by_kind.items():
        n = sum(1 for i in items if i.kind == kind)
        if "total" in row and n != row["total"]:
            doc.notes.append(f"감사 처리결과({kind}): 총괄은 {row['total']}건, 본문에 실린 항목은 {n}건")


def parse_audit(doc: Document, departments: list[Department]) -> tuple[list[AuditItem], AuditSummary | None]:
    """Every follow-up item of the report, numbered in print order, and the 총괄 summary."""
    items: list[AuditItem] = []
    summary: AuditSummary | None = None
    for start, end, settlement in audit_sections(doc):
        reader = _SectionReader(doc, departments, settlement)
        reader.read(start, end)
        if summary is None:
            summary = next((s for s in (r.summary(doc) for r in reader.summaries) if s), None)
        for row in reader.rows:
            items.append(
                AuditItem(
                    kind=row.kind,
                    dept=row.dept,
                    status=row.status,
                    request_head=row.request_head,
                    request=row.request,
                    action=row.action,
                    plan=row.plan,
                    due=_due(doc, row),
                    number=len(items) + 1,
                    source=Source(report_id=doc.report_id, doc=doc.doc, line=row.line),
                )
            )
        if reader.skipped:
            doc.notes.append(f"감사 처리결과: 읽지 못한 줄 {', '.join(map(str, reader.skipped[:10]))}")
    if summary is not None:
        _note_gaps(doc, items, summary)
    return items, summary
