"""The year fragments every command shares: the label of a report among others, the
"other years" line and buttons, and the one reply for a year that has nothing.

Built from a ``bot.lookups.reports.ReportChoice``, so /budget, /program, /audit,
/upcoming … offer the same years the same way, and a button types back exactly the
token (year, or year-month when two reports share a year) that picks its report."""

from __future__ import annotations

import threading

from bot import messages as M
from bot.lookups.reports import ReportChoice
from bot.models import Report
from bot.replies import Action, Reply, ReplyKind
from bot.replies.sources import report_label, year_label

MAX_YEAR_ACTIONS = 5
MAX_YEAR_LABELS = 10  # labels in an other-years line: a decade of yearly reports in full


def choice_label(r: Report, choice: ReportChoice) -> str:
    """'2018 회계연도 결산', or '2021 기획조정실 주요 업무 보고(2021.4.)' when another report shares the year."""
    return f"{year_label(r)} {report_label(r)}" if choice.shares_year(r) else year_label(r)


def command_for(command: str, token: str | None = None) -> str:
    """'/budget 뉴미디어담당관 2021' from its parts (an empty name or token left out)."""
    return " ".join(p for p in (command, token or "") if p)


def year_action(command: str, r: Report, choice: ReportChoice, label: str = M.OTHER_YEAR) -> Action:
    """A button for report ``r``: ``command`` with the token that picks it."""
    return Action(label=label.format(year=choice_label(r, choice)), command=command_for(command, choice.token(r)))


def other_year_actions(command: str, choice: ReportChoice, label: str = M.OTHER_YEAR, limit: int = MAX_YEAR_ACTIONS) -> list[Action]:
    """Buttons for the reports other than the chosen one, newest first (built only for what is shown)."""
    chosen = choice.chosen.id if choice.chosen else None
    shown = [r for r in choice.reports[: limit + 1] if r.id != chosen][:limit]
    return [year_action(command, r, choice, label) for r in shown]


def other_years_line(choice: ReportChoice, template: str = M.OTHER_YEARS) -> str | None:
    """'다른 연도·보고서: 2020, 2018 회계연도 결산' (None when there are none)."""
    others = choice.others
    if not others:
        return None
    return template.format(years=_years_of(choice, others))


def _labelled_by(r: Report) -> tuple[object, ...]:
    """What a report's labels are made of."""
    return (r.id, r.org, r.title, r.report_date, r.report_date_precision, r.kind, r.fiscal_year)


def _years_of(choice: ReportChoice, others: list[Report]) -> str:
    """The other reports' labels, each once: made once per set of reports and chosen one
    (a name printed by a thousand reports is asked again and again; its labels are not)."""
    key = (tuple(map(_labelled_by, choice.reports)), choice.chosen.id if choice.chosen else None)
    text = _YEARS_TEXT.get(key)
    if text is None:
        text = _capped(list(dict.fromkeys(choice_label(r, choice) for r in others)))
        with _YEARS_LOCK:  # answers are made in worker threads
            if len(_YEARS_TEXT) >= 512:
                _YEARS_TEXT.pop(next(iter(_YEARS_TEXT)))
            _YEARS_TEXT[key] = text
    return text


_YEARS_LOCK = threading.Lock()
_YEARS_TEXT: dict[tuple[tuple[tuple[object, ...], ...], str | None], str] = {}  # (reports, chosen id) → labels, the oldest dropped first


def years_text(choice: ReportChoice) -> str:
    """Every year of the choice, newest first, each once ('-' when there are none)."""
    return _capped(list(dict.fromkeys(choice_label(r, choice) for r in choice.reports))) or "-"


def _capped(labels: list[str], limit: int = MAX_YEAR_LABELS) -> str:
    """A name printed by many offices' reports (a city of districts) would list them all and
    turn a one-screen answer into eight Slack messages: the first ``limit``, then how many more."""
    if len(labels) <= limit:
        return ", ".join(labels)
    return M.OTHER_YEARS_MORE.format(shown=", ".join(labels[:limit]), more=len(labels) - limit)


def no_year_reply(
    choice: ReportChoice, command: str, line: str, *, name: str = "", candidates: list[Action] | None = None, extra: list[str] | None = None
) -> Reply:
    """The one answer to a year (or month) that has nothing: ``line`` says what is missing
    (a message template given ``name``, ``year`` and ``years``), then the years there are,
    each a button running ``command`` for that year."""
    summary = [line.format(name=name, year=choice.asked, years=years_text(choice))] + (extra or [])
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=M.NO_YEAR_TITLE.format(year=choice.asked),
        summary=summary,
        candidates=candidates or [],
        actions=[year_action(command, r, choice) for r in choice.reports[:MAX_YEAR_ACTIONS]],
    )
