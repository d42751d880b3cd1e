"""HWPX (OWPML): a zip of XML parts; the body is ``Contents/section*.xml`` in spine order.

Read with the standard library only, bounded: the entry count, and the bytes actually
inflated (a zip header may lie about sizes), so a zip bomb costs at most
``MAX_EXPANDED_BYTES`` and is refused."""

from __future__ import annotations

import io
import re
import zipfile

from bot.ingest.formats.limits import MAX_EXPANDED_BYTES, MAX_ZIP_ENTRIES, FormatError
from bot.ingest.formats.owpml import parse_xml, section_lines

_SECTION = re.compile(r"^Contents/section(\d+)\.xml$", re.I)


def is_hwpx(data: bytes) -> bool:
    """A zip whose first entry is the OWPML ``mimetype`` (or that holds section parts)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    if b"application/hwp+zip" in data[:200]:
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(_SECTION.match(n) for n in zf.namelist()[:MAX_ZIP_ENTRIES])
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _read_bounded(zf: zipfile.ZipFile, name: str, budget: int) -> bytes:
    with zf.open(name) as fh:
        data = fh.read(budget + 1)
    if len(data) > budget:
        raise FormatError("압축을 풀면 너무 큰 파일입니다(압축 폭탄으로 보여 읽지 않았습니다)")
    return data


def section_parts(zf: zipfile.ZipFile) -> list[str]:
    names = zf.namelist()
    if len(names) > MAX_ZIP_ENTRIES:
        raise FormatError(f"압축 안의 파일이 너무 많습니다({len(names):,}개)")
    found = sorted((int(m.group(1)), n) for n in names if (m := _SECTION.match(n)))
    return [n for _, n in found]


def hwpx_lines(data: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = section_parts(zf)
            if not parts:
                raise FormatError("HWPX 본문(Contents/section*.xml)이 없는 압축 파일입니다")
            budget = MAX_EXPANDED_BYTES
            roots = []
            for name in parts:
                xml = _read_bounded(zf, name, budget)
                budget -= len(xml)
                roots.append(parse_xml(xml, "HWPX 본문"))
    except FormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError, RuntimeError) as exc:
        # RuntimeError: an encrypted entry; zlib.error is an OSError subclass? no: caught below
        raise FormatError("HWPX 파일이 손상되었거나 암호가 걸려 있어 읽을 수 없습니다") from exc
    except Exception as exc:  # zlib.error and friends from a corrupt deflate stream
        raise FormatError("HWPX 파일이 손상되어 읽을 수 없습니다") from exc
    return section_lines(roots)
