"""When two milestones are one event: the rule /upcoming, /when and the reminders share.

A report prints one event in several places (the 축제 in its program, its 행사개요 and
the schedule table: '「2021 서울세계도시문화축제」 개최' twice and '… 개최 기 간' once).
People see one event, so the answers list it once and the reminders send one set. Two
milestones are one event when they come from the same report, have the same dates,
precision and department, and one title (without its years) holds the other. A
hand-added milestone is never folded: '… 리허설' on the same day is another event.

This module sits below the handlers and the reminders so neither imports the other."""

from __future__ import annotations

import re
import unicodedata

from bot.models import Milestone

_NON_WORD = re.compile(r"[^\w]|_", re.UNICODE)
_YEARISH = str.maketrans("", "", "0123456789'")


def _plain(text: str) -> str:
    """The matching key names use (``handlers.names.normalize``): NFKC, lower case, no
    spaces or punctuation."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def event_key(m: Milestone) -> str:
    """The event regardless of its year and the wording around it ('「2021 …축제」 개최'
    and '2020 …축제 개최' are one event across reports)."""
    return _plain(m.title).translate(_YEARISH)


def same_event(a: Milestone, b: Milestone) -> bool:
    """Two printings of one event in one report."""
    if a.source is None or b.source is None or a.source.report_id != b.source.report_id:
        return False
    if a.manual_id is not None or b.manual_id is not None:
        return False
    if (a.start, a.end, a.precision, a.dept) != (b.start, b.end, b.precision, b.dept):
        return False
    ka, kb = event_key(a), event_key(b)
    return bool(ka and kb) and (ka in kb or kb in ka)


def _order(m: Milestone) -> tuple:
    """Which printing stands for the event: the shortest title (the plainest wording),
    then the first printed — the same choice every time the store is read."""
    return (m.start, m.end or m.start, len(m.title), m.title, m.source.line if m.source and m.source.line else 0)


def fold_events(items: list[Milestone]) -> list[tuple[Milestone, list[Milestone]]]:
    """Each event once, as (the printing that stands for it, its other printings)."""
    groups: dict[tuple, list[tuple[Milestone, list[Milestone]]]] = {}
    out: list[tuple[Milestone, list[Milestone]]] = []
    for m in sorted(items, key=_order):
        bucket = (m.source.report_id if m.source else None, m.start, m.end, m.precision, m.dept)
        kept = groups.setdefault(bucket, [])
        home = next((k for k in kept if same_event(k[0], m)), None)
        if home is not None:
            home[1].append(m)
            continue
        entry: tuple[Milestone, list[Milestone]] = (m, [])
        kept.append(entry)
        out.append(entry)
    return out


def one_per_event(items: list[Milestone]) -> list[Milestone]:
    """``items`` with each event once, soonest first."""
    return [m for m, _ in fold_events(items)]
