"""The store: TinyDB files behind one facade, ``Store``.

Parts, by reason to change: ``files`` (the store file: atomic commits, catching up with
other processes, corrupt-file recovery, backups, migration), ``jsonfile`` (atomic JSON
files and the TinyDB storage over them), ``reportfiles`` (one file per report and the
summary of it), ``summaries`` (the append-only summaries file), ``records`` (a report's
records in memory, per table, for the reports recently used), ``index`` (names,
milestone dates), ``corpus`` (reports: ingest and reads), ``edits`` (what people
changed), ``delivery`` (subscriptions, the sent-log, claims), ``journal`` (change log,
meta). ``api.StoreAPI`` is the interface a second backend implements.

On disk, beside ``<store>`` (0600 files, 0700 folders): ``<store>.reports/<id>.json`` (a
report's records, written once), ``<store>.summaries.jsonl`` (a cache, remade from those),
``<store>.backups/`` (the store file's last versions), ``<store>.bak`` and ``.lock``."""

from bot.keys import audit_identity, legacy_milestone_key, milestone_key, name_key, squash
from bot.store.corpus import (
    PARSED_TABLES,
    SHRINK_SECTIONS,
    IngestOutcome,
    IngestShrinkError,
    shrinkage,
)
from bot.store.delivery import BUTTON_DAYS, PAUSED_AT, PAUSED_REASON
from bot.store.facade import Store, ingest_files
from bot.store.files import (
    DEFAULT_BACKUPS,
    KNOWN_TABLES,
    USER_EDIT_TABLES,
    BackupInfo,
    StoreLocationError,
    lacks,
    tree_counts,
)
from bot.store.index import MilestoneIndex, NameIndex
from bot.store.jsonfile import StoreCorruptError
from bot.store.reportfiles import RECORD_TABLES, copy_store, migrate_tree, report_file, reports_dir

__all__ = [
    "BUTTON_DAYS",
    "DEFAULT_BACKUPS",
    "KNOWN_TABLES",
    "PARSED_TABLES",
    "PAUSED_AT",
    "PAUSED_REASON",
    "RECORD_TABLES",
    "SHRINK_SECTIONS",
    "USER_EDIT_TABLES",
    "BackupInfo",
    "IngestOutcome",
    "IngestShrinkError",
    "MilestoneIndex",
    "NameIndex",
    "Store",
    "StoreCorruptError",
    "StoreLocationError",
    "audit_identity",
    "copy_store",
    "ingest_files",
    "lacks",
    "legacy_milestone_key",
    "migrate_tree",
    "milestone_key",
    "name_key",
    "report_file",
    "reports_dir",
    "shrinkage",
    "squash",
    "tree_counts",
]
