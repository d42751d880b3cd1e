"""PDF: the text layer and its ruled tables, read with pdfplumber.

A page is read top to bottom as text lines and tables: a ruled table becomes
tab-separated rows (a merged cell's other slots empty), the text outside the tables
becomes lines, and a line wrapped at the right margin is joined to the next. The
running header and footer (a line repeated at the top or bottom of most pages, page
numbers counted as the same line) and bare page numbers are dropped: they would
otherwise land in the middle of a table that continues on the next page. A PDF whose
pages hold no characters is a scan, and is refused with the reason."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.ingest.formats.limits import MAX_PDF_PAGES, FormatError
from bot.ingest.shapes.rows import as_row

_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:\d{1,4}|[ivxlc]{1,6})\s*(?:/\s*\d{1,4})?[-–—\s]*$|^\d{1,4}\s*쪽$|^page\s*\d+", re.I)
_BULLET = re.compile(r"^\s*(?:[□■○●◦◎▶▷►◆◇※\-·•ㅇ❍①-⑳]|\d{1,2}[.)]|[가-하][.)]|\(\d{1,2}\)|[IVX]+\.)")
_EDGE = 0.12  # the top/bottom share of a page where a running header/footer sits


@dataclass
class _Line:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str


@dataclass
class _Block:
    top: float
    lines: list[str]
    table: bool


def _norm(text: str) -> str:
    """A running line with its page number taken out: 'p. 3' and 'p. 4' are one line."""
    return re.sub(r"\d+", "#", " ".join(text.split()))


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _page(page: Any) -> tuple[list[_Line], list[tuple[float, list[str]]], int]:
    """A page's text lines outside tables, its tables as (top, rows), and its char count."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    out_tables: list[tuple[float, list[str]]] = []
    for t in tables:
        rows = []
        for row in t.extract():
            cells = [" ".join((c or "").split()) for c in row]
            if any(cells):
                rows.append(as_row(cells))
        if rows:
            out_tables.append((t.bbox[1], rows))
    outside = page.filter(lambda o: not (o.get("object_type") == "char" and _inside(o, boxes))) if boxes else page
    lines = [
        _Line(float(d["top"]), float(d["bottom"]), float(d["x0"]), float(d["x1"]), " ".join(d["text"].split()))
        for d in outside.extract_text_lines(return_chars=False)
        if d["text"].strip()
    ]
    return lines, out_tables, len(page.chars)


def _running(pages: list[tuple[list[_Line], float]]) -> set[str]:
    """Normalised lines that sit at the top or bottom edge of most pages."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines, height in pages:
        edge = {_norm(ln.text) for ln in lines if ln.top < height * _EDGE or ln.bottom > height * (1 - _EDGE)}
        seen.update(edge)
    need = max(2, (len(pages) + 1) // 2)
    return {text for text, n in seen.items() if n >= need}


def _joined(lines: list[_Line], left: float, right: float) -> list[_Line]:
    """A line that fills the text column to its right margin continues on the next line,
    unless the next starts a new item (a bullet, a number)."""
    out: list[_Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.x1 >= right - 12
            and prev.x0 <= left + 40
            and line.top - prev.bottom < (prev.bottom - prev.top) * 1.2
            and not _BULLET.match(line.text)
        ):
            out[-1] = _Line(prev.top, line.bottom, prev.x0, line.x1, f"{prev.text} {line.text}")
        else:
            out.append(line)
    return out


def pdf_lines(data: bytes) -> list[str]:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise FormatError("PDF를 읽는 구성요소(pdfplumber)가 설치되어 있지 않습니다") from exc
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise FormatError(f"쪽수가 너무 많은 PDF입니다({len(pdf.pages):,}쪽, {MAX_PDF_PAGES:,}쪽까지 읽습니다)")
            read = []
            chars = 0
            for page in pdf.pages:
                lines, tables, n = _page(page)
                chars += n
                read.append((lines, tables, float(page.height), float(page.width)))
                page.flush_cache()
    except FormatError:
        raise
    except PDFPasswordIncorrect as exc:
        raise FormatError("암호가 걸린 PDF입니다. 암호를 풀고 저장해 넣어 주세요") from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise FormatError("암호가 걸린 PDF입니다. 암호를 풀고 저장해 넣어 주세요") from exc
        raise FormatError("PDF 파일이 손상되어 읽을 수 없습니다") from exc
    if chars == 0:
        raise FormatError(
            "글자 층이 없는 PDF(스캔한 이미지)입니다. 글자를 인식(OCR)한 PDF나 HWP·HWPX 원본을 넣어 주세요"
        )
    running = _running([(lines, height) for lines, _, height, _ in read])
    # The text column: its left and right edges over the whole document,
    # and only a column that spans most of the page can hold wrapped lines.
    all_lines = [ln for lines, _, _, _ in read for ln in lines]
    left = min((ln.x0 for ln in all_lines), default=0.0)
    right = max((ln.x1 for ln in all_lines), default=0.0)
    widest = max((w for _, _, _, w in read), default=0.0)
    if right - left < widest * 0.6:
        right = float("inf")  # short lines only: nothing was wrapped
    out: list[str] = []
    for lines, tables, height, _width in read:
        kept = [
            ln
            for ln in lines
            if not (
                (ln.top < height * _EDGE or ln.bottom > height * (1 - _EDGE))
                and (_norm(ln.text) in running or _PAGE_NUMBER.match(ln.text))
            )
        ]
        blocks = [_Block(ln.top, [ln.text], False) for ln in _joined(kept, left, right)]
        blocks += [_Block(top, rows, True) for top, rows in tables]
        blocks.sort(key=lambda b: b.top)
        for b in blocks:
            if b.table and out and out[-1] != "":
                out.append("")
            out.extend(b.lines)
            if b.table:
                out.append("")
    while out and out[-1] == "":
        out.pop()
    return out
