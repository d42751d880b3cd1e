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
  the 총괄 counts, both numbers are kept and the gap is noted on the document. A 총괄
  printed as prose ('시정요구사항 10건(완료 8, 추진중 2)', '총 14건 : 완료 9건, 추진중 5건')
  is read the same way;
- items are table rows, or numbered paragraphs ('1. … (부서)') each followed by a marked
  answer ('▶ 조치결과 : … (조치완료)'); numbers are kept as printed, per kind;
- an item whose status is not printed takes the one the 총괄's counts force, else
  '미기재' — it is never dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from bot.ingest.dates import find_dates
from bot.ingest.text import Document, clean, squash
from bot.ingest.units import looks_like_unit
from bot.models import AuditItem, AuditStatus, AuditSummary, Department, Source

KIND_CORRECTION = "시정·처리요구"
KIND_SUGGESTION = "건의"
KIND_OTHER = "기타"
KIND_SETTLEMENT = "결산검사시정권고"
KIND_SETTLEMENT_CORRECTION = "결산검사 시정요구"
KIND_SETTLEMENT_ADVICE = "결산검사 권고"

# --- section boundaries -------------------------------------------------------------

_ROMAN_HEADING = re.compile(r"^\s*(?:#{1,6}\s*)?(?:[IVX]{1,5}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]{1,3})\s*[.．]")
_AUDIT_WORD = re.compile(r"(행정사무감사|결산검사|감사)")
_AUDIT_RESULT = re.compile(r"(처리결과|조치결과|처리상황|조치상황|추진상황|시정권고|시정요구|처리보고|조치내역)")
_AUDIT_HINT = re.compile(r"[감검]\s*사")
# '감사결과', '결산검사 의견': the audit word right before what it produced
_AUDIT_OUTCOME = re.compile(r"(행정사무감사|결산검사|감사)(결과|의견)")
# a part of the section ('Ⅱ. 처리결과'), not the next chapter
_AUDIT_PART = re.compile(r"(처리결과|조치결과|처리내용|조치내용)")
# a list line ('○ … 처리결과 최종 보고 : '23. 11월') is never a section heading
_LIST_BULLET = re.compile(r"^\s*[○◦ㅇ·ㆍ•\-–※▶►▷⇒→*]")
_MAX_HEADING = 60

# --- statuses -----------------------------------------------------------------------

_STATUS_WORD = (
    r"(?:추\s*진\s*완\s*료|조\s*치\s*완\s*료|처\s*리\s*완\s*료|완\s*료|추\s*진\s*중|진\s*행\s*중|조\s*치\s*중"
    r"|처\s*리\s*중|계\s*속\s*추\s*진|정\s*상\s*추\s*진|검\s*토\s*중|장\s*기\s*검\s*토|미\s*반\s*영|반\s*영\s*불\s*가|불\s*수\s*용|수\s*용\s*불\s*가)"
)
_STATUS_LABELLED = re.compile(
    r"(?:추\s*진\s*상\s*황|처\s*리\s*상\s*황|조\s*치\s*상\s*황|추\s*진\s*현\s*황|처\s*리\s*현\s*황|조\s*치\s*현\s*황)"
    r"\s*[:：]\s*(" + _STATUS_WORD + ")"
)
_STATUS_ARROW = re.compile(r"[▶►▷→■]\s*(" + _STATUS_WORD + ")")
_STATUS_LEADING = re.compile(r"^[□■○◎\s]*(" + _STATUS_WORD + r")(?=$|[\s(（])")
# '… 내부지침을 개정함 (조치완료)': a parenthesis holding nothing but a status word
_STATUS_PAREN = re.compile(r"[(（\[]\s*(" + _STATUS_WORD + r")\s*(?:[,，/·:：][^()（）\[\]]{0,30})?[)）\]]")


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
    last = None
    for m in _STATUS_PAREN.finditer(answer):
        last = m  # the last one: the answer's closing verdict
    if last is not None:
        status = normalize_status(last.group(1))
        if status is not None:
            return status, last.group(0)
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


def settlement_kind_of(label: str) -> str | None:
    """The kind a part of a 결산검사 의견 stands for: its 시정요구 and its 권고 are kinds of
    their own; a combined '시정권고' (or nothing more specific) is the one settlement kind."""
    s = squash(label)
    if not s or len(s) > 30:
        return None
    if "시정" in s and "권고" in s:
        return KIND_SETTLEMENT
    if "시정" in s or "요구" in s:
        return KIND_SETTLEMENT_CORRECTION
    if "권고" in s:
        return KIND_SETTLEMENT_ADVICE
    if "건의" in s:
        return KIND_SUGGESTION
    if "기타" in s:
        return KIND_OTHER
    return None


_KIND_LABEL_END = re.compile(r"(사항|요구|건의|기타|권고)(\(.*\))?$")
_LETTER_NUMBER = re.compile(r"^\s*[가-하]\s*[.)]\s*")


def _kind_heading(text: str, settlement: bool = False) -> str | None:
    """A sub-heading that is nothing but a kind label ('건의 사항', '기 타 사 항',
    '1. 시정·처리 요구사항', '나. 권고사항'); a sentence that merely mentions 기타 is not one."""
    s = squash(_HEADING_DECOR.sub("", _LETTER_NUMBER.sub("", clean(text))))
    if len(s) > 15 or not _KIND_LABEL_END.search(s):
        return None
    if settlement:
        return settlement_kind_of(s)
    kind = kind_of(s)
    return kind if kind != KIND_SETTLEMENT else None


# --- departments --------------------------------------------------------------------

_DEPT_PREFIX = re.compile(r"^(?:소관(?:부서|실국)?|담당(?:부서)?|부서(?:명)?)\s*[:：]?\s*")
_TRAILING_PAREN = re.compile(r"[(（\[【<〈]([^()（）\[\]【】<>〈〉]{2,40})[)）\]】>〉]\s*[.。]?\s*$")
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
    return s if looks_like_unit(s) else None


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


_BRACKETED = re.compile(r"^\s*[【\[<〈《［「『]|[】\]>〉》］」』]\s*$")
_LABEL_COLON = re.compile(r"^[^:：]{1,20}[:：]")


def is_bracketed(text: str) -> bool:
    """'【환경정책과】', '< 뉴미디어담당관 >': a heading that sets itself apart as one."""
    return bool(_BRACKETED.search(text))


def group_heading_dept(text: str, departments: list[Department]) -> str | None:
    """A short line such as '< 뉴미디어담당관 >' that names the department of the rows below.
    A labelled line ('감사기관 : 가나구의회 (행정위원회)') is about something else — the
    auditing body, a period — and never names one, except a 소관/담당 부서 label."""
    t = clean(text)
    if not t or len(t) > 40:
        return None
    if _LABEL_COLON.match(t) and not _DEPT_PREFIX.match(t):
        return None
    t = _HEADING_DECOR.sub("", _LETTER_NUMBER.sub("", t))
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
# a column that holds only the verdict, after the answer column ('비고', '추진상황')
_STATUS_COL_HEAD = re.compile(r"^(비고|상태|(추진|처리|조치|진행)(상황|현황|여부|상태)|완료여부)$")


@dataclass
class Columns:
    """Which column holds what, read from a table header row."""

    no: int | None = None
    request: int | None = None
    content: int | None = None
    answer: int | None = None
    dept: int | None = None
    status: int | None = None
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
        elif cols.answer is not None and cols.status is None and _STATUS_COL_HEAD.match(s):
            cols.status = i
        elif _DEPT_HEAD.search(s) and not _ANSWER_HEAD.search(s) and cols.dept is None:
            cols.dept = i
        elif _ANSWER_HEAD.search(s) and cols.request is not None and cols.answer is None:
            cols.answer = i
    if cols.request is None or cols.answer is None:
        return None
    return cols


# --- the 총괄 table -----------------------------------------------------------------

PRINTED_STATUSES = [s.value for s in AuditStatus if s is not AuditStatus.NOT_STATED]
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


def _summary_of(
    doc: Document, total: int, counts: dict[str, int], by_kind: dict[str, dict[str, int]], line: int | None, complete: bool
) -> AuditSummary:
    """The 총괄 as read from a table or from sentences; statuses a complete 총괄 leaves
    out are zero."""
    if complete:
        for s in PRINTED_STATUSES:
            counts.setdefault(s, 0)
    return AuditSummary(
        total=total, counts=counts, by_kind=by_kind, source=Source(report_id=doc.report_id, doc=doc.doc, line=line)
    )


@dataclass
class _SummaryReader:
    columns: list[str | None]
    line: int
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    overall: dict[str, int] | None = None
    settlement: bool = False

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
        row = {col: v for col, v in zip(cols, values[-len(cols) :], strict=False) if col}
        if not any(k != "total" for k in row):
            return False
        row.setdefault("total", sum(v for k, v in row.items() if k != "total"))
        label = labels[-1]
        if label in _TOTAL_LABEL or all(lb in _TOTAL_LABEL for lb in labels):
            self.overall = row
        else:
            kind = (settlement_kind_of(label) if self.settlement else kind_of(label)) or label
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
        return _summary_of(doc, total, counts, self.by_kind, self.line, complete=True)


# --- the 총괄 in prose -----------------------------------------------------------------

_PROSE_STATUS = re.compile(r"(" + _STATUS_WORD + r")\s*[:：]?\s*(\d{1,4})\s*건?")
_PROSE_COUNT = re.compile(r"(\d{1,4})\s*건")
_PROSE_LABEL_CUT = re.compile(r"[,，(（)）:：;\-–□■○◦※▶]")
_MAX_PROSE = 300


def _complete(row: dict[str, int]) -> bool:
    """The statuses of a 총괄 row add up to its total: the statuses it leaves out are 0."""
    statuses = [v for k, v in row.items() if k != "total"]
    return bool(statuses) and "total" in row and sum(statuses) == row["total"]


def read_prose_summary(text: str, settlement: bool) -> tuple[dict[str, int] | None, dict[str, dict[str, int]]] | None:
    """One 총괄 sentence → (overall row, rows by kind), or None when the line is not one.

    'N건' after a kind label ('시정요구사항 10건', '권고 2건') is that kind's total; after
    '총' (or with no label) it is the overall total; status counts ('완료 8', '추진중 2건')
    belong to the overall total when the line prints one, else to the line's only kind.
    A status printed twice ('시정 9건: 완료 6 … 건의 5건: 완료 3') goes to the count
    nearest before it. A count after another label ('환경과 3건') is not a kind."""
    if len(text) > _MAX_PROSE:
        return None
    statuses = list(_PROSE_STATUS.finditer(text))
    if not statuses:
        return None
    taken = [(m.start(), m.end()) for m in statuses]
    counts = [m for m in _PROSE_COUNT.finditer(text) if not any(a <= m.start() < b for a, b in taken)]
    if not counts:
        return None
    # (position, owner) for every count: 'total' or a kind
    owners: list[tuple[int, str]] = []
    prev = 0
    for m in counts:
        before = [e for _, e in taken if e <= m.start()]
        start = max([prev, *before])
        label = _PROSE_LABEL_CUT.split(text[start : m.start()])[-1]
        s = squash(label)
        prev = m.end()
        if not s or s.endswith("총") or s in _TOTAL_LABEL:
            owners.append((m.start(), "total"))
            continue
        kind = settlement_kind_of(s) if settlement else kind_of(s)
        if kind:
            owners.append((m.start(), kind))
    if not owners:
        return None
    rows: dict[str, dict[str, int]] = {}
    values = {m.start(): int(m.group(1)) for m in counts}
    for pos, owner in owners:
        rows.setdefault(owner, {"total": values[pos]})
    words = [normalize_status(m.group(1)) for m in statuses]
    repeated = len({w for w in words if w}) < len([w for w in words if w])
    kinds = [o for _, o in owners if o != "total"]
    for m, status in zip(statuses, words, strict=True):
        if status is None:
            continue
        if repeated:
            owner = next((o for pos, o in reversed(owners) if pos < m.start()), owners[0][1])
        elif "total" in rows or len(set(kinds)) != 1:
            owner = "total"
        else:
            owner = kinds[0]
        row = rows.setdefault(owner, {})
        row[status.value] = row.get(status.value, 0) + int(m.group(2))
    overall = rows.pop("total", None)
    if overall is not None and "total" not in overall:
        if kinds:
            overall["total"] = sum(r["total"] for r in rows.values() if "total" in r)
        else:
            overall["total"] = sum(overall.values())
    return overall, rows


@dataclass
class _ProseSummary:
    """The 총괄 sentences of one section, gathered line by line."""

    line: int
    overall: dict[str, int] | None = None
    kinds: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, overall: dict[str, int] | None, by_kind: dict[str, dict[str, int]]) -> None:
        if overall is not None and self.overall is None:
            self.overall = overall
        self.kinds.extend(by_kind.items())

    def _settle(self) -> None:
        """'처리요구사항 14건 (…)' over '시정·처리요구사항 9건' and '건의사항 5건': a first
        line whose total is the sum of the lines after it is the overall one, whatever
        its label reads like."""
        kinds = self.kinds
        if (
            self.overall is None
            and len(kinds) >= 3
            and all("total" in r for _, r in kinds)
            and kinds[0][1]["total"] == sum(r["total"] for _, r in kinds[1:])
        ):
            self.overall, kinds = kinds[0][1], kinds[1:]
        self.by_kind = {}
        for kind, row in kinds:
            self.by_kind.setdefault(kind, row)

    def summary(self, doc: Document) -> AuditSummary | None:
        self._settle()
        rows = list(self.by_kind.values())
        if self.overall is not None and (len(self.overall) > 1 or not rows):
            total = self.overall["total"]
            counts = {k: v for k, v in self.overall.items() if k != "total"}
            complete = _complete(self.overall)
        elif rows and all("total" in r for r in rows):
            total = self.overall["total"] if self.overall is not None else sum(r["total"] for r in rows)
            complete = all(_complete(r) for r in rows)
            counts = {}
            if complete:
                for r in rows:
                    for k, v in r.items():
                        if k != "total":
                            counts[k] = counts.get(k, 0) + v
        else:
            return None
        return _summary_of(doc, total, counts, self.by_kind, self.line, complete)


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
    status: AuditStatus | None  # None: not printed (decided from the 총괄 afterwards)
    request_head: str
    request: str
    action: str | None
    plan: str | None
    line: int
    number: int | None = None  # as printed, when the report numbers its items


def _is_heading(text: str) -> bool:
    return "\t" not in text and 0 < len(squash(text)) <= _MAX_HEADING


def audit_sections(doc: Document) -> list[tuple[int, int, bool]]:
    """(first line, last line, is 결산검사) of every audit follow-up section. A table of
    contents entry also matches the heading; its span holds no rows and yields nothing."""
    starts: list[tuple[int, bool]] = []
    for n, text in doc.numbered():
        if not _AUDIT_HINT.search(text) or not _is_heading(text):
            continue  # the cheap test first: squash() on every line would dominate
        if _LIST_BULLET.match(text) or read_prose_summary(text, False) is not None:
            continue  # a list line or a 총괄 sentence mentions the audit without heading it
        s = squash(text)
        if (_AUDIT_WORD.search(s) and _AUDIT_RESULT.search(s)) or _AUDIT_OUTCOME.search(s):
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
    kind = _kind_heading(s) or _kind_heading(s, settlement=True)
    return not ("총괄" in s or kind or _AUDIT_WORD.search(s) or _AUDIT_PART.search(s))


# A numbered item ('1. …', '2) …', '(3) …') and the marked answer under it
# ('▶ 조치결과 : …', '⇒ 처리결과 : …', '조치내용 : …').
_NUMBERED = re.compile(r"^\s*(?:(\d{1,3})\s*([.)])|[(（](\d{1,3})[)）])\s*(?!\d{1,4}\s*[.월일~])(\S.*)$")
_ANSWER_ARROW = re.compile(r"^\s*(?:[▶►▷▸⇒⇨→➡➔➜☞]|=>|->)\s*")
_ANSWER_LABEL = re.compile(
    r"^\s*[○◦ㅇ·\-□■]?\s*(?:조\s*치|처\s*리|추\s*진)\s*(?:결\s*과|내\s*용|실\s*적|계\s*획|상\s*황|현\s*황|사\s*항)"
    r"(?:\s*및\s*(?:향\s*후\s*)?(?:추\s*진\s*)?계\s*획)?\s*(?:[:：]\s*|$)"
)
# '- 소관부서 : 환경과' under a numbered item
_DEPT_LABEL_LINE = re.compile(r"^\s*[○◦ㅇ·\-□■]?\s*(?:소관|담당|주관)\s*(?:부서|실국|과)?(?:명)?\s*[:：]\s*(\S.{0,40})$")


def _answer_start(text: str) -> str | None:
    """The answer text of a line that opens one, without its marker and label; None for
    any other line."""
    m = _ANSWER_ARROW.match(text)
    if m:
        rest = text[m.end() :]
        label = _ANSWER_LABEL.match(rest)
        return rest[label.end() :] if label else rest
    label = _ANSWER_LABEL.match(text)
    return text[label.end() :] if label else None


@dataclass
class _Pending:
    """A numbered item being read: its request lines, then its answer lines."""

    number: int
    line: int
    kind: str
    request: list[str]
    style: str  # '.', ')' or '(': a sub-list in another style or deeper indent is part of the item
    indent: int
    answer: list[str] | None = None
    dept: str | None = None


class _SectionReader:
    def __init__(self, doc: Document, departments: list[Department], settlement: bool) -> None:
        self.doc = doc
        self.departments = departments
        self.settlement = settlement
        self.kind = KIND_SETTLEMENT if settlement else KIND_CORRECTION
        self.group_dept: str | None = None
        self.dept_outside_kinds: bool | None = None  # 【부서】 above the kind headings, or inside each
        self.rows_at_dept = 0  # rows read when the group department was last set
        self.started = False  # past the cover lines: a 총괄, kind, header or item was seen
        self.columns: Columns | None = None
        self.echo: set[str] = set()  # cell texts of the last embedded table
        self.summary: _SummaryReader | None = None  # the 총괄 table being read
        self.summaries: list[_SummaryReader] = []
        self.prose: _ProseSummary | None = None
        self.pending: _Pending | None = None
        self.rows: list[_Row] = []
        self.skipped: list[int] = []
        self.unanswered: list[int] = []

    def read(self, start: int, end: int) -> None:
        for n, raw in self.doc.numbered(start + 1, end):
            try:
                self._line(n, raw)
            except (ValueError, IndexError, KeyError, TypeError, AttributeError, re.error):
                self.skipped.append(n)  # an odd line never stops the section; it is noted
        self._close()

    def summary_of(self, doc: Document) -> AuditSummary | None:
        """The 총괄 table when one is printed, else the 총괄 sentences."""
        table = next((s for s in (r.summary(doc) for r in self.summaries) if s), None)
        if table is not None:
            return table
        return self.prose.summary(doc) if self.prose is not None else None

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
        if len(filled) > 1:
            self._close()
        if self.summary is not None:
            if self.summary.feed([_plain(c) for c in cells]):
                return
            self.summary = None
        columns = _summary_columns([_plain(c) for c in cells])
        if columns is not None:
            self.summary = _SummaryReader(columns=columns, line=n, settlement=self.settlement)
            self.summaries.append(self.summary)
            self.started = True
            return
        header = read_header([_plain(c) for c in cells])
        if header is not None and find_status(_plain(raw)) is None:
            self.columns = header
            if header.kind and not self.settlement and header.kind != KIND_SETTLEMENT:
                self.kind = header.kind
            self.echo = set()
            self.started = True
            return
        if len(filled) == 1:
            self._plain_line(n, filled[0])
            return
        self._item(n, cells)

    def _plain_line(self, n: int, raw: str) -> None:
        text = _plain(raw)
        if not text:
            return
        indent = len(raw.expandtabs()) - len(raw.expandtabs().lstrip())
        self.summary = None
        prose = read_prose_summary(text, self.settlement)
        if prose is not None:
            self._close()
            if self.prose is None:
                self.prose = _ProseSummary(line=n)
            self.prose.add(*prose)
            self.started = True
            return
        kind = _kind_heading(text, self.settlement)
        if kind:
            self._close()
            self._set_kind(kind)
            return
        p = self.pending
        if p is not None:
            answer = _answer_start(text)
            if answer is not None:
                if p.answer is None:
                    p.answer = [answer]
                else:
                    p.answer.append(answer)
                return
            label = _DEPT_LABEL_LINE.match(text)
            if label and p.answer is None and (dept := _dept_names(label.group(1), self.departments)):
                p.dept = dept
                return
        numbered = _NUMBERED.match(text)
        if numbered and p is not None and ((numbered.group(2) or "(") != p.style or indent > p.indent):
            numbered = None  # '1) …' under '1. …': the item's own sub-list
        if numbered and group_heading_dept(numbered.group(4), self.departments) is None:
            self._close()
            self.pending = _Pending(
                number=int(numbered.group(1) or numbered.group(3)),
                line=n,
                kind=self.kind,
                request=[numbered.group(4).strip()],
                style=numbered.group(2) or "(",
                indent=indent,
            )
            self.started = True
            return
        dept = group_heading_dept(text, self.departments)
        if dept and (self.started or is_bracketed(text)):
            self._close()
            self._set_dept(dept)
            return
        if self.pending is not None:
            if self.pending.answer is not None:
                self.pending.answer.append(text)
            elif _STATUS_PAREN.search(text):
                self.pending.answer = [text]  # an unmarked answer that ends with its status
            else:
                self.pending.request.append(text)

    def _set_kind(self, kind: str) -> None:
        if self.group_dept is not None and self.dept_outside_kinds is None:
            # a 【부서】 heading before any item of a kind heads the kinds below it
            self.dept_outside_kinds = len(self.rows) == self.rows_at_dept
        if self.dept_outside_kinds is False:
            self.group_dept = None  # each kind lists its own 【부서】 groups
        self.kind = kind
        self.echo = set()
        self.started = True

    def _set_dept(self, dept: str) -> None:
        self.group_dept = dept
        self.rows_at_dept = len(self.rows)
        self.echo = set()

    def _close(self) -> None:
        """The numbered item being read is complete: an item when it has an answer."""
        p, self.pending = self.pending, None
        if p is None:
            return
        request = _strip_bullet(" ".join(p.request))
        if p.answer is None:
            if len(_nospace(request)) >= 15:
                self.unanswered.append(p.line)
            return
        request, dept = split_trailing_dept(request, self.departments)
        answer = " ".join(a for a in p.answer if a).strip()
        found = find_status(answer)
        action, plan = split_answer(answer, found[1] if found else None)
        self.rows.append(
            _Row(
                kind=p.kind,
                dept=dept or p.dept or self.group_dept,
                status=found[0] if found else None,
                request_head=_request_head(request),
                request=request,
                action=action,
                plan=plan,
                line=p.line,
                number=p.number,
            )
        )

    def _row_status(self, cells: list[str]) -> tuple[int, tuple[AuditStatus, str]] | None:
        """The cell the row's status is printed in: the status column, the answer column,
        then any other cell that is not the requirement."""
        cols = self.columns
        order: list[int] = []
        for i in (cols.status, cols.answer) if cols else ():
            if i is not None and i < len(cells):
                order.append(i)
        order += [i for i in range(len(cells)) if i not in order]
        for i in order:
            found = find_status(answer_text(cells[i]))
            if found and not (cols and i in (cols.request, cols.content, cols.no)):
                return i, found
        return None

    def _fits_header(self, cells: list[str]) -> bool:
        """A row without a status that is still an item: a requirement and an answer in
        the header's columns."""
        cols = self.columns
        if cols is None or cols.request is None or cols.answer is None:
            return False
        if max(cols.request, cols.answer) >= len(cells):
            return False
        return len(_nospace(_plain(cells[cols.request]))) >= 6 and bool(_nospace(_plain(cells[cols.answer])))

    def _item(self, n: int, cells: list[str]) -> None:
        cols = self.columns
        located = self._row_status(cells)
        status: tuple[AuditStatus, str] | None = None
        if located is not None:
            answer_i, status = located
        elif cols is not None and cols.answer is not None and self._fits_header(cells):
            answer_i = cols.answer
        else:
            if any(len(_nospace(_plain(c))) > 15 for c in cells):
                self.skipped.append(n)
            return
        _, echo = embedded_table_texts(cells[answer_i])
        others = [
            i
            for i in range(len(cells))
            if i != answer_i and _nospace(_plain(cells[i])) and _nospace(_plain(cells[i])) not in echo
        ]
        req_i: int | None
        if cols and cols.request is not None and cols.request in others:
            req_i = cols.request
        else:
            req_i = next((i for i in others if not re.fullmatch(r"\d{1,3}\.?", _nospace(_plain(cells[i])))), None)
        if req_i is None:
            self.skipped.append(n)
            return
        number = None
        if cols and cols.no is not None and cols.no < len(cells):
            printed = re.fullmatch(r"(\d{1,3})\.?", _nospace(_plain(cells[cols.no])))
            number = int(printed.group(1)) if printed else None
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
            tail = [i for i in others if i > answer_i and not (cols and i == cols.status)]
            if tail:
                dept = dept_cell(cells[tail[-1]], self.departments)
        if dept is None:
            dept = self.group_dept
        action, plan = split_answer(answer_text(cells[answer_i]), status[1] if status else None)
        if action is None and plan is None and cols and cols.answer is not None and cols.answer in others:
            # the status sat in a column of its own; the answer text is in the 조치결과 column
            action, plan = split_answer(answer_text(cells[cols.answer]), None)
        head = title if content_i is not None and title and len(title) <= 40 else _request_head(request)
        self.rows.append(
            _Row(
                kind=self.kind,
                dept=dept,
                status=status[0] if status else None,
                request_head=head,
                request=request,
                action=action,
                plan=plan,
                line=n,
                number=number,
            )
        )
        self.started = True
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


def _forced(row: dict[str, int], rows: list[_Row]) -> AuditStatus | None:
    """The one status the 총괄 row leaves for the items of ``rows`` that print none."""
    if not _complete(row):
        return None
    blanks = sum(1 for r in rows if r.status is None)
    left: dict[str, int] = {}
    for status, count in row.items():
        if status == "total":
            continue
        left[status] = count - sum(1 for r in rows if r.status is not None and r.status.value == status)
    if any(v < 0 for v in left.values()) or any(
        r.status is not None and r.status.value not in left for r in rows
    ):
        return None  # the body does not match the 총괄: nothing can be concluded
    open_ = [s for s, v in left.items() if v > 0]
    if blanks and sum(left.values()) == blanks and len(open_) == 1:
        return AuditStatus(open_[0])
    return None


def settle_blank_statuses(doc: Document, rows: list[_Row], summary: AuditSummary | None) -> None:
    """A status the report leaves blank is the one the 총괄's counts force (per kind when
    it counts per kind, else over the whole report); otherwise it is '미기재'."""
    if summary is not None and any(r.status is None for r in rows):
        for kind, counts in summary.by_kind.items():
            of_kind = [r for r in rows if r.kind == kind]
            forced = _forced(counts, of_kind)
            for r in of_kind:
                if r.status is None and forced is not None:
                    r.status = forced
                    doc.notes.append(f"감사 처리결과: {r.line}행 항목은 처리상황이 없어 총괄의 건수로 '{forced.value}'(으)로 보았습니다")
        overall = {"total": summary.total, **summary.counts}
        forced = _forced(overall, rows)
        for r in rows:
            if r.status is None and forced is not None:
                r.status = forced
                doc.notes.append(f"감사 처리결과: {r.line}행 항목은 처리상황이 없어 총괄의 건수로 '{forced.value}'(으)로 보았습니다")
    for r in rows:
        if r.status is None:
            r.status = AuditStatus.NOT_STATED
            doc.notes.append(f"감사 처리결과: {r.line}행 항목은 처리상황이 적혀 있지 않습니다(미기재)")


def _note_gaps(doc: Document, items: list[AuditItem], summary: AuditSummary) -> None:
    """The 총괄 and the body disagree in some reports: keep both numbers, say so."""
    printed = len(items)
    if printed != summary.total:
        doc.notes.append(f"감사 처리결과: 총괄은 {summary.total}건, 본문에 실린 항목은 {printed}건")
    for kind, row in summary.by_kind.items():
        n = sum(1 for i in items if i.kind == kind)
        if "total" in row and n != row["total"]:
            doc.notes.append(f"감사 처리결과({kind}): 총괄은 {row['total']}건, 본문에 실린 항목은 {n}건")


def _numbers(rows: list[_Row]) -> list[int]:
    """Numbers as printed, per kind; an unnumbered item follows the one before it in its
    kind. A report that numbers nothing is numbered in print order (1, 2, … over the
    whole report), as staff refer to its items ('/audit 7')."""
    if all(r.number is None for r in rows):
        return list(range(1, len(rows) + 1))
    last: dict[str, int] = {}
    out: list[int] = []
    for r in rows:
        number = r.number if r.number is not None else last.get(r.kind, 0) + 1
        last[r.kind] = number
        out.append(number)
    return out


def parse_audit(doc: Document, departments: list[Department]) -> tuple[list[AuditItem], AuditSummary | None]:
    """Every follow-up item of the report with its printed number, and the 총괄 summary."""
    rows: list[_Row] = []
    summary: AuditSummary | None = None
    for start, end, settlement in audit_sections(doc):
        reader = _SectionReader(doc, departments, settlement)
        reader.read(start, end)
        if summary is None:
            summary = reader.summary_of(doc)
        rows.extend(reader.rows)
        if reader.skipped:
            doc.notes.append(f"감사 처리결과: 읽지 못한 줄 {', '.join(map(str, reader.skipped[:10]))}")
        if reader.unanswered:
            lines = ", ".join(map(str, reader.unanswered[:10]))
            doc.notes.append(f"감사 처리결과: 조치결과가 없는 번호 항목은 읽지 않았습니다 ({lines}행)")
    settle_blank_statuses(doc, rows, summary)
    items = [
        AuditItem(
            kind=row.kind,
            dept=row.dept,
            status=row.status or AuditStatus.NOT_STATED,
            request_head=row.request_head,
            request=row.request,
            action=row.action,
            plan=row.plan,
            due=_due(doc, row),
            number=number,
            source=Source(report_id=doc.report_id, doc=doc.doc, line=row.line),
        )
        for row, number in zip(rows, _numbers(rows), strict=True)
    ]
    if summary is not None:
        _note_gaps(doc, items, summary)
    return items, summary
