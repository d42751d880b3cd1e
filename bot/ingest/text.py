"""Reading a report file into clean lines, and the small text normalisations every
sub-parser needs (letter-spaced labels, HTML inside cells, markdown emphasis)."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.ingest.formats import FormatError, read_lines
from bot.ingest.shapes import read_shapes
from bot.models import Precision


class NotAReportError(ValueError):
    """The input is not a readable report; ``reason`` is a Korean phrase for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF 파일"),
    (b"\xd0\xcf\x11\xe0", "HWP/오피스 문서(이진 형식)"),
    (b"HWP Document File", "HWP 파일"),
    (b"PK\x03\x04", "압축 파일(HWPX/DOCX/ZIP)"),
    (b"\x89PNG", "PNG 이미지"),
    (b"\xff\xd8\xff", "JPEG 이미지"),
)


def decode_report(data: bytes) -> str:
    """UTF-8 first (with or without BOM), then CP949, which is a superset of EUC-KR."""
    if not data.strip():
        raise NotAReportError("빈 파일입니다")
    for sig, what in _BINARY_SIGNATURES:
        if data.startswith(sig):
            raise NotAReportError(f"{what}입니다. 보고서는 HWP·HWPX·PDF나 텍스트 파일로 넣어 주세요")
    if b"\x00" in data[:4096]:
        raise NotAReportError("텍스트가 아닌 이진 파일입니다")
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text
    raise NotAReportError("UTF-8이나 CP949(EUC-KR)로 읽을 수 없는 파일입니다")


# An HTML tag has an ASCII name; '<주요사업 안내>' is a printed Korean label, not a tag.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]{0,400}?/?>")
_MD_EMPH = re.compile(r"\*\*(.+?)\*\*")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")


def strip_html(s: str) -> str:
    """Remove HTML tags that the converter left inside table cells; keep the text."""
    if "<" in s and ">" in s:
        s = _TAG.sub(" ", s)
    return html.unescape(s) if "&" in s else s


def strip_markdown(s: str) -> str:
    """Drop markdown decoration (headings, bold) some conversions added."""
    if "#" in s:
        s = _MD_HEADING.sub("", s)
    return _MD_EMPH.sub(r"\1", s) if "**" in s else s


def squeeze(s: str) -> str:
    """Every run of whitespace as one space, none at the ends: what
    ``re.sub(r"\\s+", " ", s).strip()`` gives (the pattern, ``split`` and ``strip`` know
    the same whitespace), without a regex pass over every line."""
    return " ".join(s.split())


def clean(s: str) -> str:
    """NFKC, no HTML, no markdown, single spaces."""
    s = unicodedata.normalize("NFKC", s)
    s = strip_markdown(strip_html(s))
    return squeeze(s)


def squash(s: str) -> str:
    """Remove every space: '뉴 미 디 어 담 당 관' and '뉴미디어 담당관' both become
    '뉴미디어담당관'. Used for matching labels, never for display of sentences."""
    return "".join(clean(s).split())


_LETTER_SPACED = re.compile(r"^(?:\S\s){2,}\S$")


def unspace_label(s: str) -> str:
    """Undo letter-spacing in a short label ('소 통 기 획 팀' -> '소통기획팀',
    '미 디 어 채널 팀' -> '미디어채널팀') while keeping normal word spacing of longer
    phrases ('시민과 함께하는 참여와 소통')."""
    s = clean(s)
    tokens = s.split(" ")
    singles = sum(1 for t in tokens if len(t) == 1)
    if len(tokens) > 1 and singles >= max(2, len(tokens) // 2):
        return "".join(tokens)
    return s


def unspace_runs(s: str) -> str:
    """Join only runs of letter-spaced characters, keeping real word breaks:
    '예 산 대외협력기금(국제협력계정)' -> '예산 대외협력기금(국제협력계정)'."""
    out: list[str] = []
    run: list[str] = []
    for tok in clean(s).split(" "):
        if len(tok) == 1:
            run.append(tok)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(tok)
    if run:
        out.append("".join(run))
    return " ".join(out)


@dataclass
class Document:
    """One report's text as lines, plus what every sub-parser needs to know about it."""

    doc: str
    report_id: str
    lines: list[str]  # lines[0] is line 1
    report_date: date | None = None
    report_date_precision: Precision = Precision.DAY
    title: str | None = None  # from the cover, once read (header.parse_cover)
    org: str | None = None
    notes: list[str] = field(default_factory=list)
    # Rows printed on one line after that line's first row (a whole HTML table on one
    # line): 1-based line -> tab-separated rows; ``tables.find_blocks`` reads them there.
    more_rows: dict[int, list[str]] = field(default_factory=dict)
    # Views derived from ``lines`` that several readers use (``programs.Lines.of``): made
    # once per parse instead of once per reader.
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def line(self, n: int) -> str:
        """1-based access, as line numbers are quoted to users."""
        return self.lines[n - 1]

    def numbered(self, start: int = 1, end: int | None = None) -> Iterator[tuple[int, str]]:
        """Yield (line number, text) from ``start`` to ``end`` inclusive."""
        stop = len(self.lines) if end is None else min(end, len(self.lines))
        for n in range(max(1, start), stop + 1):
            yield n, self.lines[n - 1]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


MAX_REPORT_BYTES = 20 * 1024 * 1024  # default limit of one report ([store] max_report_mb)


def _too_large(size: int, max_bytes: int) -> NotAReportError:
    return NotAReportError(
        f"파일이 너무 큽니다({size / 1024 / 1024:.1f}MB). 보고서 하나는 {max_bytes / 1024 / 1024:.0f}MB까지 읽습니다"
        " (설정 [store] max_report_mb). 보고서별로 나눈 파일을 넣어 주세요"
    )


def load_document(path: Path, max_bytes: int = MAX_REPORT_BYTES) -> tuple[Document, bytes]:
    """Refuses an oversized file before reading it, so a 50 MB upload costs nothing."""
    try:
        size = path.stat().st_size
        if size > max_bytes and path.is_file():
            raise _too_large(size, max_bytes)
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise NotAReportError("파일이 아니라 폴더입니다") from exc
    except FileNotFoundError as exc:
        raise NotAReportError("파일이 없습니다") from exc
    except PermissionError as exc:
        raise NotAReportError("파일을 읽을 권한이 없습니다") from exc
    return document_from_bytes(path.name, data, max_bytes), data


def document_from_bytes(name: str, data: bytes, max_bytes: int = MAX_REPORT_BYTES) -> Document:
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    try:  # HWPX, HWP and PDF become the same lines a text conversion would give
        read = read_lines(name, data)
    except FormatError as exc:
        raise NotAReportError(exc.reason) from exc
    if read is not None:
        if not any(line.strip() for line in read):
            raise NotAReportError("문서에 글자가 하나도 없습니다")
        return document_from_lines(name, content_hash(data), read)
    text = decode_report(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return document_from_lines(name, content_hash(data), lines)


def document_from_lines(name: str, report_id: str, lines: list[str]) -> Document:
    """The one place a document's lines are made: tables printed as Markdown, HTML or
    aligned columns are rewritten into tab-separated rows on the same line numbers."""
    shaped = read_shapes(lines)
    return Document(doc=name, report_id=report_id, lines=shaped.lines, notes=shaped.notes, more_rows=shaped.more_rows)
