"""Report files built in the test from a sample report's text (no binary of unknown
origin in the repository): an HWPX written with python-hwpx, the HWP 5 that
python-hwpx's writer makes of it, and a PDF written with reportlab and its built-in
CJK font. A run of tab-separated lines becomes a real table in each; every other line
a paragraph."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
SAMPLE = REPORTS / "2021-09-06_시민소통기획관_주요업무보고.txt"


def blocks(lines: list[str]) -> Iterator[tuple[str, list[list[str]] | str]]:
    """('p', text) for a paragraph line, ('t', rows) for a run of tab-separated lines."""
    run: list[list[str]] = []
    for line in lines:
        if "\t" in line:
            run.append(line.split("\t"))
            continue
        if run:
            yield "t", run
            run = []
        yield "p", line
    if run:
        yield "t", run


def sample_lines(path: Path = SAMPLE, start: int = 1, end: int | None = None) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[start - 1 : end]


def hwpx_bytes(lines: list[str], merge_header: bool = True) -> bytes:
    """An HWPX document; with ``merge_header`` a header cell followed by empty cells in a
    table's first row is merged across them (as in the printed report)."""
    from hwpx import HwpxDocument

    doc = HwpxDocument.new()
    for kind, body in blocks(lines):
        if kind == "p":
            doc.add_paragraph(body)
            continue
        rows = body
        width = max(len(r) for r in rows)
        table = doc.add_table(len(rows), width)
        for r, row in enumerate(rows):
            for c in range(width):
                text = row[c] if c < len(row) else ""
                if text:
                    table.set_cell_text(r, c, text)
        if merge_header:
            first = rows[0] + [""] * (width - len(rows[0]))
            c = 0
            while c < width:
                end = c
                while end + 1 < width and first[end + 1] == "" and first[c] != "":
                    end += 1
                if end > c and all(len(rows) > 1 and (rows[1] + [""] * width)[k] != "" for k in range(c, end + 1)):
                    table.merge_cells(0, c, 0, end)
                c = end + 1
    out = io.BytesIO()
    doc.save_to_stream(out)
    return out.getvalue()


def hwp_bytes(lines: list[str]) -> bytes:
    """The HWP 5 file python-hwpx writes from that HWPX package."""
    from hwpx.hwp5.writer import write_hwp5

    with zipfile.ZipFile(io.BytesIO(hwpx_bytes(lines))) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    return write_hwp5(files)


def _rendered(cell: str) -> str:
    from bot.ingest.text import strip_html

    return " ".join(strip_html(cell).split()) if "<" in cell else cell


PDF_LOST_DOT, PDF_DOT = "\u00b7", "\u318d"


def pdf_bytes(lines: list[str], running_header: str | None = "시민소통기획관 주요업무보고", font: str = "HYSMyeongJo-Medium") -> bytes:
    """A PDF with ruled tables, a running header and a page number on every page."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    # reportlab's CID encoding has no U+00B7 (it is dropped): write the Hangul 'ㆍ'
    # that Korean documents use for the same dot; the test reads it back as '·'.
    lines = [line.replace(PDF_LOST_DOT, PDF_DOT) for line in lines]
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    style = ParagraphStyle("body", fontName=font, fontSize=8, leading=10)
    cell = ParagraphStyle("cell", fontName=font, fontSize=6.5, leading=8)
    story = []
    for kind, body in blocks(lines):
        if kind == "p":
            story.append(Paragraph(escape(body), style) if body.strip() else Spacer(1, 4))
            continue
        width = max(len(r) for r in body)
        # A PDF shows a cell's HTML (the text conversion kept it as source) as rendered text.
        data = [[Paragraph(escape(_rendered(c)), cell) for c in r + [""] * (width - len(r))] for r in body]
        avail = 842 - 72
        t = Table(data, colWidths=[avail / width] * width, repeatRows=1, splitInRow=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(t)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        w, h = landscape(A4)
        if running_header:
            canvas.drawString(40, h - 25, running_header)
        canvas.drawCentredString(w / 2, 18, f"- {doc.page} -")
        canvas.restoreState()

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=36, rightMargin=36, topMargin=40, bottomMargin=36).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return out.getvalue()
