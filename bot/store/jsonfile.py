"""JSON files of the store: a TinyDB storage that reads once and replaces atomically.

TinyDB's JSONStorage re-reads and re-parses the whole file on every read and
rewrites it in place, so a crash mid-write leaves half a file. Here the document
tree lives in memory after the first read; a write goes to a temporary file in the
same folder, is fsynced and then renamed over the store (the previous version is
kept as ``.bak``; every version written is also copied to ``<store>.backups/``, the
last N kept, so the newest backup is the last write).
A batch defers writes so a multi-table change (one ingest) lands as a single replace:
killed halfway, the old store is untouched.

An empty, blank or shape-less file (``{}``, JSON without any of the store's tables) is
corrupt, not new: only a missing file is a new store. Every file written is 0600."""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tinydb.storages import Storage

FILE_MODE = 0o600
DIR_MODE = 0o700
_SEOUL = ZoneInfo("Asia/Seoul")


class StoreCorruptError(Exception):
    """The store file is empty, blank, not JSON, or not a tree of the store's tables.
    ``reason`` is one of: empty, not_json, not_tables, no_tables."""

    def __init__(self, path: Path | str, reason: str = "not_json") -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def read_tree(path: Path, tables: frozenset[str] | None = None) -> dict[str, Any]:
    """The document tree of a store file; ``tables``, when given, are the names a real
    store has: a tree holding none of them (``{}``, some other JSON) is corrupt."""
    raw = path.read_bytes()
    if not raw.strip():
        raise StoreCorruptError(path, "empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreCorruptError(path, "not_json") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise StoreCorruptError(path, "not_tables")
    if tables is not None and not (set(data) & tables):
        raise StoreCorruptError(path, "no_tables")
    return data



def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def list_backups(path: Path) -> list[Path]:
    """Timestamped backups of ``path``, newest first."""
    d = backup_dir(path)
    if not d.is_dir():
        return []
    return sorted((p for p in d.glob("*.json") if p.is_file()), key=lambda p: p.name, reverse=True)


def backup_time(backup: Path) -> datetime | None:
    """When a backup was taken (its name), Asia/Seoul."""
    try:
        return datetime.strptime(backup.stem[:22], "%Y%m%d-%H%M%S-%f").replace(tzinfo=_SEOUL)
    except ValueError:
        return None


def _write_backup(path: Path, data: bytes, keep: int) -> None:
    """Keep the version just written as the newest timestamped backup — a copy, not a
    link, so a store truncated or edited in place (``: > store.json``) still has its
    last write in the newest backup — then drop all but the newest ``keep``."""
    if keep <= 0:
        return
    d = backup_dir(path)
    d.mkdir(mode=DIR_MODE, exist_ok=True)
    stamp = datetime.now(_SEOUL).strftime("%Y%m%d-%H%M%S-%f")
    target = d / f"{stamp}.json"
    n = 1
    while target.exists():
        target = d / f"{stamp}-{n}.json"
        n += 1
    tmp = d / f".{target.name}.tmp"
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE), "wb") as fh:
        os.fchmod(fh.fileno(), FILE_MODE)
        fh.write(data)  # not fsynced: the store itself was, just before; this copy is for mistakes, not power cuts
    os.replace(tmp, target)
    for old in list_backups(path)[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()


def clean_orphans(path: Path) -> int:
    """Remove temporary files a crash left behind (call with the writer lock held):
    ``.<name>.*.tmp`` beside the store and in its backup folder. Returns how many."""
    gone = 0
    for folder, pattern in ((path.parent, f".{path.name}.*tmp"), (backup_dir(path), ".*.tmp")):
        if not folder.is_dir():
            continue
        for tmp in folder.glob(pattern):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                tmp.unlink()
                gone += 1
    return gone


def fsync_dir(path: Path) -> None:
    """Make the renames done in a folder durable."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_bytes(
    path: Path, data: bytes, keep_backup: bool = True, backups: int = 0, sync_dir: bool = True
) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half.

    The previous version stays as ``.bak`` (``keep_backup``); the new one is also copied
    as the newest of ``backups`` timestamped backups. Files are 0600 whatever the umask.
    ``sync_dir=False``: the caller makes the folder's renames durable (``fsync_dir``)
    once for many files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, FILE_MODE)
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
        if sync_dir:
            fsync_dir(path.parent)
        _write_backup(path, data, backups)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _snapshot(tree: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of the tree deep enough for TinyDB's own changes: it inserts, removes and
    replaces documents and updates their top-level fields in place, never deeper (we use
    no callable updates). Three levels instead of ``deepcopy``: ingest profiles showed
    deepcopy at 63 % of a write on a large store."""
    if tree is None:
        return None
    return {name: {doc_id: dict(doc) if isinstance(doc, dict) else copy.deepcopy(doc) for doc_id, doc in table.items()} for name, table in tree.items()}


class AtomicJSONStorage(Storage):
    """TinyDB storage: in-memory tree, atomic whole-file replace, deferred batches."""

    def __init__(
        self, path: str | Path, tables: frozenset[str] | None = None, backups: int = 0, keep_bak: bool = True, **_: Any
    ) -> None:
        self.path = Path(path)
        self.keep_bak = keep_bak  # keep the previous version as ``.bak`` (not for immutable report files)
        self.tables = tables  # a tree with none of these is corrupt (see ``read_tree``)
        self.backups = backups  # timestamped backups kept
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
        tree = read_tree(self.path, self.tables)
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
        atomic_write_bytes(self.path, body, keep_backup=self.keep_bak, backups=self.backups)
        self._dirty = False
        self._stat = self._current_stat()
        self.writes += 1

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Defer every write inside the block to one atomic replace at its end.

        If the block raises, the in-memory tree is restored and nothing is written."""
        snapshot = _snapshot(self._tree) if self._batch_depth == 0 else None
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
    with open(os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE), "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
