"""The catalogue's summaries of reports, in an append-only file beside the store.

A report's summary (``reportfiles.summarize``: counts, names in printed order, milestone
dates) never changes — the report id is its content hash — so summaries are appended,
never rewritten: an ingest costs one line, whatever the corpus holds (the store file
itself keeps only which reports there are). After a first line naming the file, each line is ``<crc32> <json>``: a line torn
by a crash or damaged on disk fails its checksum and is skipped (and cut off before the
next append). Lines of reports no longer in the catalogue are dropped by ``compact`` when
they outnumber the live ones. The file is a cache: a summary missing here is made again
from the report's own file (``Corpus.write_back_summaries``), so it needs no backups."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import zlib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from bot.store.jsonfile import FILE_MODE, atomic_write_bytes
from bot.store.reportfiles import summaries_path

log = logging.getLogger("bot.store")

COMPACT_MIN_DEAD = 64  # a few dead lines are not worth a rewrite


def _line(report_id: str, summary: dict[str, Any]) -> bytes:
    body = json.dumps({"id": report_id, "s": summary}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return b"%08x %s\n" % (zlib.crc32(body), body)


def _interned(summary: dict[str, Any]) -> dict[str, Any]:
    """The same names and dates recur in every report of an office (a thousand copies of
    '뉴미디어담당관' at 1,000×): one string object each, not one per report (the summaries
    take 83 MB instead of 197 at 5,000 reports)."""
    intern = sys.intern
    out = dict(summary)
    for key, value in summary.items():
        if key == "order" and isinstance(value, dict):
            out[key] = {k: [intern(x) for x in v] if isinstance(v, list) else v for k, v in value.items()}
        elif key == "ms" and isinstance(value, list):
            out[key] = [[intern(a), intern(b) if b else b] if isinstance(a, str) else [a, b] for a, b in value]
        elif isinstance(value, list):
            out[key] = [intern(x) if isinstance(x, str) else x for x in value]
    return out


def _header() -> bytes:
    """A new file's first line. A reader that finds another first line at the same path
    reads the file from the start (an inode number alone can be reused)."""
    return b"#reportbot-summaries %s\n" % os.urandom(8).hex().encode()


class SummaryFile:
    """Summaries by report id, read once and then only what other processes appended."""

    def __init__(self, store_path: Path) -> None:
        self.path = summaries_path(store_path)
        self._map: dict[str, dict[str, Any]] = {}
        self._lines = 0  # lines read (live and dead), for ``compact``
        self._offset = 0  # bytes read: the end of the last whole line
        self._ino: int | None = None
        self._head = b""  # the file's first line: a random name, new with every new file
        self._mtime = 0
        self.bad_lines = 0

    def get(self, report_id: str) -> dict[str, Any] | None:
        return self._map.get(report_id)

    def refresh(self) -> None:
        """Read what was appended since the last read (an ``fstat`` when nothing was); the
        whole file again when it was replaced (compacted), cut or written over in place."""
        try:
            fh = open(self.path, "rb")  # noqa: SIM115 - closed below; stat of what was opened, not of the path
        except FileNotFoundError:
            self._map, self._lines, self._offset, self._ino, self._head = {}, 0, 0, None, b""
            return
        with fh:
            st = os.fstat(fh.fileno())
            if (st.st_ino, st.st_size, st.st_mtime_ns) == (self._ino, self._offset, self._mtime):
                return
            self._mtime = st.st_mtime_ns
            head = fh.readline()
            if st.st_ino != self._ino or st.st_size < self._offset or head != self._head:  # another file
                self._map, self._lines, self._offset, self._ino, self._head = {}, 0, 0, st.st_ino, head
            fh.seek(self._offset)
            tail = fh.read()
        end = tail.rfind(b"\n") + 1  # a line still being written (or torn) is left for later
        for raw in tail[:end].splitlines():
            self._read_line(raw)
        self._offset += end

    def _read_line(self, raw: bytes) -> None:
        if raw.startswith(b"#"):  # the file's name
            return
        crc, _, body = raw.partition(b" ")
        try:
            if int(crc, 16) != zlib.crc32(body):
                raise ValueError("checksum")
            doc = json.loads(body)
            self._map[doc["id"]] = _interned(doc["s"])
        except (ValueError, KeyError, TypeError):
            self.bad_lines += 1
            log.warning("store %s: a damaged summary line skipped (made again from its report file)", self.path.name)
        self._lines += 1

    def append(self, summaries: Mapping[str, dict[str, Any]]) -> None:
        """Add summaries (the caller holds the writer lock). Not fsynced: a line lost to a
        power cut is made again from its report file at the next open, as a torn one is.
        A torn last line is cut off first."""
        if not summaries:
            return
        self.refresh()
        body = b"".join(_line(rid, s) for rid, s in summaries.items())
        if self._offset == 0:  # a new file (or nothing whole in it): named first
            self._head = _header()
            body = self._head + body
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            size = os.fstat(fd).st_size
            if size != self._offset:  # a crash's half line after the last whole one
                os.ftruncate(fd, self._offset)
            os.lseek(fd, self._offset, os.SEEK_SET)
            view = memoryview(body)
            while view:
                view = view[os.write(fd, view) :]
            self._ino = os.fstat(fd).st_ino
        finally:
            os.close(fd)
        self._offset += len(body)
        self._lines += len(summaries)
        self._map.update(summaries)

    def _dead(self, live: Collection[str]) -> int:
        return self._lines - sum(1 for rid in live if rid in self._map)

    def wants_compacting(self, live: Collection[str]) -> bool:
        """Whether dead lines (of replaced or removed reports, older copies) outnumber the live ones."""
        return self._dead(live) >= max(COMPACT_MIN_DEAD, len(live))

    def compact(self, live: Collection[str]) -> bool:
        """Rewrite the file with the live reports' summaries only, when ``wants_compacting``.
        The caller holds the writer lock."""
        self.refresh()
        if not self.wants_compacting(live):
            return False
        dead = self._dead(live)
        keep = {rid: self._map[rid] for rid in live if rid in self._map}
        self._head = _header()
        body = self._head + b"".join(_line(rid, s) for rid, s in keep.items())
        atomic_write_bytes(self.path, body, keep_backup=False)
        self._map, self._lines, self._offset = keep, len(keep), len(body)
        with contextlib.suppress(FileNotFoundError):
            self._ino = self.path.stat().st_ino
        log.info("store %s: summaries compacted (%d dead lines dropped)", self.path.name, dead)
        return True
