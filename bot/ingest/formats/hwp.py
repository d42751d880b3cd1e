"""HWP 5 (the binary ``.hwp``: an OLE compound file of zlib-compressed record streams).

python-hwpx (Apache-2.0) converts the records into OWPML section XML, inflating each
stream with its own bound; the XML is then read exactly as an HWPX body is, so a table
in an ``.hwp`` arrives as the same rows as in an ``.hwpx``. Protected (password/DRM)
and damaged files are refused with the reason in Korean."""

from __future__ import annotations

import re
import zlib

from bot.ingest.formats.limits import MAX_EXPANDED_BYTES, FormatError
from bot.ingest.formats.owpml import parse_xml, section_lines

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SECTION = re.compile(r"^Contents/section(\d+)\.xml$")

_CODES = {
    "hwp5-not-hwp5": "한글(HWP 5) 문서가 아닌 오피스 파일입니다(DOC/XLS 등). HWP·HWPX·PDF·텍스트로 넣어 주세요",
    "hwp5-version-unsupported": "HWP 5 이전 판(HWP 3 등)의 한글 문서입니다. 한글에서 HWPX나 PDF로 저장해 넣어 주세요",
    "hwp5-distribution": "배포용(읽기 전용)으로 보호된 HWP 문서입니다. 원본을 HWPX나 PDF로 저장해 넣어 주세요",
    "hwp5-drm": "DRM으로 보호된 HWP 문서입니다. 보호를 풀고 저장해 넣어 주세요",
    "hwp5-password": "암호가 걸린 HWP 문서입니다. 암호를 풀고 저장해 넣어 주세요",
    "hwp5-limit-exceeded": "압축을 풀면 너무 큰 HWP 파일입니다(압축 폭탄으로 보여 읽지 않았습니다)",
}


def _check_inflated_size(data: bytes) -> None:
    """The body streams inflated with our own bound before the converter (whose bound
    is per stream and larger) touches them: a few MB that inflate to gigabytes stop here."""
    try:
        from hwpx.hwp5.cfb import CompoundFile

        compound = CompoundFile(data)
        paths = [p for p in compound.stream_paths() if p.startswith(("BodyText/", "DocInfo"))]
    except Exception as exc:
        raise FormatError("HWP 파일이 손상되어 읽을 수 없습니다(OLE 구조 오류)") from exc
    budget = MAX_EXPANDED_BYTES
    for path in paths:
        try:
            raw = compound.read(path)
        except Exception as exc:
            raise FormatError("HWP 파일이 손상되어 읽을 수 없습니다") from exc
        try:
            inflated = zlib.decompressobj(-15).decompress(raw, budget + 1)
        except zlib.error:
            inflated = raw  # stored uncompressed (or damaged: the converter says which)
        budget -= len(inflated)
        if budget < 0:
            raise FormatError("압축을 풀면 너무 큰 HWP 파일입니다(압축 폭탄으로 보여 읽지 않았습니다)")


def hwp_lines(data: bytes) -> list[str]:
    try:
        from hwpx.hwp5.errors import Hwp5Error
        from hwpx.hwp5.package import convert
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise FormatError("HWP 파일을 읽는 구성요소(python-hwpx)가 설치되어 있지 않습니다") from exc
    _check_inflated_size(data)
    try:
        files = convert(data).files
    except Hwp5Error as exc:
        code = getattr(exc, "code", "")
        if code in _CODES:
            raise FormatError(_CODES[code]) from exc
        raise FormatError("HWP 파일이 손상되어 읽을 수 없습니다") from exc
    except MemoryError as exc:
        raise FormatError("압축을 풀면 너무 큰 HWP 파일입니다") from exc
    except Exception as exc:  # a damaged record the converter did not foresee
        raise FormatError("HWP 파일이 손상되어 읽을 수 없습니다") from exc
    parts = sorted((int(m.group(1)), n) for n in files if (m := _SECTION.match(n)))
    if sum(len(files[n]) for _, n in parts) > MAX_EXPANDED_BYTES:
        raise FormatError("본문이 너무 큰 HWP 파일입니다")
    return section_lines([parse_xml(files[n], "HWP 본문") for _, n in parts])
