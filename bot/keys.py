"""Matching keys and record identities, shared by every store backend and the commands.

Two keys, for two jobs: ``name_key`` says whether two names a person could type are the
same name (the commands' name resolution and the store's name indexes use it alike, so
an index finds exactly what a command resolved); ``squash`` keeps a record's printed
form apart from spacing only and feeds identities written to disk (the sent-log), which
must never change. Nothing here imports the parser: ``reportbot ask`` never parses."""

from __future__ import annotations

import functools
import hashlib
import html
import re
import unicodedata

from bot.models import Milestone, Report

# the same as bot.ingest.text.squash (a test holds them equal), without importing the parser
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]{0,400}?/?>")
_MD_EMPH = re.compile(r"\*\*(.+?)\*\*")
_MD_HEAD = re.compile(r"^\s*#{1,6}\s+")
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]|_", re.UNICODE)


def squash(s: str) -> str:
    """'뉴 미 디 어 담 당 관' → '뉴미디어담당관' (NFKC, no HTML or markdown, no spaces);
    identical to ``bot.ingest.text.squash``."""
    s = unicodedata.normalize("NFKC", s)
    if "<" in s and ">" in s:
        s = _TAG.sub(" ", s)
    if "&" in s:
        s = html.unescape(s)
    s = _MD_EMPH.sub(r"\1", _MD_HEAD.sub("", s))
    return _SPACE.sub("", _SPACE.sub(" ", s).strip())


@functools.lru_cache(maxsize=1 << 16)
def name_key(s: str) -> str:
    """The one name-matching key: NFKC, lower case, no spaces or punctuation
    ('「2021 서울」 축제' → '2021서울축제'). Memoised: the same names are keyed over and
    over (every report of an office prints its departments)."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", s).lower())


def legacy_milestone_key(m: Milestone) -> str:
    """The key sent-logs written before stable identities used: content hash and line.
    Still recognised, so an upgrade does not resend."""
    if m.manual_id is not None:
        return f"m{m.manual_id}"
    src = m.source
    digest = hashlib.sha1(f"{m.title}|{m.start}|{m.end}".encode()).hexdigest()[:8]
    return f"{src.report_id if src else '-'}:{src.line if src else 0}:{digest}"


def milestone_key(m: Milestone, report: Report | None = None) -> str:
    """A milestone's identity for the sent-log: office + report kind + program +
    normalised title + date. A corrected re-ingest (new content hash, lines moved)
    keeps it, so reminders already sent are recognised."""
    if m.manual_id is not None:
        return f"m{m.manual_id}"
    office = squash(report.org) if report else (m.source.report_id if m.source else "-")
    kind = report.kind if report else "-"
    parts = [office, kind, squash(m.program or ""), squash(m.title), m.start.isoformat()]
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]
    return f"id:{digest}"


def audit_identity(report: Report, kind: str | None, number: int) -> str:
    """An audit follow-up's identity across corrected re-ingests: office + year + kind + number."""
    return f"{squash(report.org)}|{report.year}|{kind or '-'}|{number}"
