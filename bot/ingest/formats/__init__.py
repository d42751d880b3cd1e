"""Reports as people have them (HWPX, HWP 5, PDF) read into the parser's lines.

Every reader gives the same intermediate as a text conversion: a paragraph per line and
a table as a run of tab-separated rows (merged cells' other slots empty), so a table
arrives as a table. The format is told by the file's signature, not its name; a name
that promises a format the bytes do not hold is a damaged file."""

from __future__ import annotations

from pathlib import PurePath

from bot.ingest.formats.limits import FormatError

__all__ = ["SUPPORTED_SUFFIXES", "FormatError", "kind_of", "read_lines"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".text", ".csv", ".tsv", ".hwp", ".hwpx", ".pdf")
_NAMED = {".pdf": "PDF", ".hwp": "HWP", ".hwpx": "HWPX"}


def kind_of(name: str, data: bytes) -> str:
    """'pdf', 'hwp', 'hwpx' or 'text' (anything else: text.decode_report refuses it)."""
    from bot.ingest.formats.hwp import OLE_SIGNATURE
    from bot.ingest.formats.hwpx import is_hwpx

    head = data[:1024]
    suffix = PurePath(name).suffix.lower()
    if head.startswith(b"%PDF") or (b"%PDF-" in head and suffix == ".pdf"):
        return "pdf"
    if data.startswith(OLE_SIGNATURE):
        return "hwp"
    if data.startswith(b"HWP Document File"):
        raise FormatError("HWP 3 이전 판의 한글 문서입니다. 한글에서 HWPX나 PDF로 저장해 넣어 주세요")
    if data.startswith(b"PK\x03\x04"):
        if is_hwpx(data):
            return "hwpx"
        if suffix == ".hwpx":
            raise FormatError("HWPX 파일이 손상되어 읽을 수 없습니다")
        raise FormatError("HWPX가 아닌 압축 파일(DOCX·XLSX·ZIP 등)입니다. HWP·HWPX·PDF·텍스트로 넣어 주세요")
    if suffix in _NAMED:
        raise FormatError(f"파일 이름은 {_NAMED[suffix]}인데 내용이 {_NAMED[suffix]} 형식이 아닙니다(손상된 파일)")
    return "text"


def read_lines(name: str, data: bytes) -> list[str] | None:
    """The lines of a HWPX/HWP/PDF file; None when the file is text (or an image, which
    ``text.decode_report`` refuses with its own reason)."""
    kind = kind_of(name, data)
    if kind == "pdf":
        from bot.ingest.formats.pdf import pdf_lines

        return pdf_lines(data)
    if kind == "hwp":
        from bot.ingest.formats.hwp import hwp_lines

        return hwp_lines(data)
    if kind == "hwpx":
        from bot.ingest.formats.hwpx import hwpx_lines

        return hwpx_lines(data)
    return None
