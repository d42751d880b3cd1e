"""A TinyDB storage that reads the file once and replaces it atomically on write.

TinyDB's JSONStorage re-reads and re-parses the whole file on every read and
rewrites it in place, so a crash mid-write leaves half a file. Here the document
tree lives in memory after the first read; a write goes to a temporary file in the
same folder, is fsynced and then renamed over the store (the previous version is
kept as ``.bak``). A batch defers writes so a multi-table change (one ingest) lands
as a single replace: killed halfway, the old store is untouched."""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


class StoreCorruptError(Exception):
    """The store file is not valid JSON (or not a TinyDB document tree)."""


def _read_tree(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreCorruptError(str(path)) from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise StoreCorruptError(str(path))
    return data


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, keep_backup: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_backup and path.exists():
            bak_tmp = path.with_name(f".{path.name}.bak.tmp")
            with contextlib.suppress(FileNotFoundError):
                bak_tmp.unlink()
            os.link(path, bak_tmp)
            os.replace(bak_tmp, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


class AtomicJSONStorage(Storage):
    """TinyDB storage: in-memory tree, atomic whole-file replace, deferred batches."""

    def __init__(self, path: str | Path, **_: Any) -> None:
        self.path = Path(path)
        self._tree: dict[str, Any] | None = None
        self._batch_depth = 0
        self._dirty = False
        self._stat: tuple[int, int] | None = None
        self.writes = 0  # how many times the file was replaced (tests and bench read it)

    # -- TinyDB's Storage interface -------------------------------------------------
    def read(self) -> dict[str, Any] | None:
        if self._tree is None:
            self._tree = self._load()
        return self._tree or None

    def write(self, data: dict[str, Any]) -> None:
        self._tree = data
        if self._batch_depth:
            self._dirty = True
            return
        self._flush()

    def close(self) -> None:
        if self._dirty:
            self._flush()

    # -- ours ------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            self._stat = None
            return {}
        tree = _read_tree(self.path)
        self._stat = self._current_stat()
        return tree

    def _current_stat(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def changed_on_disk(self) -> bool:
        """Another process replaced the file since we read or wrote it (a stat, not a read)."""
        return self._tree is not None and self._current_stat() != self._stat

    def reload(self) -> None:
        self._tree = self._load()

    def _flush(self) -> None:
        body = json.dumps(self._tree or {}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write_bytes(self.path, body)
        self._dirty = False
        self._stat = self._current_stat()
        self.writes += 1

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Defer every write inside the block to one atomic replace at its end.

        If the block raises, the in-memory tree is restored and nothing is written."""
        snapshot = copy.deepcopy(self._tree) if self._batch_depth == 0 else None
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._tree = snapshot
                self._dirty = False
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._dirty:
            self._flush()


@contextlib.contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """One writer at a time across processes (TinyDB has no locking of its own)."""
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
