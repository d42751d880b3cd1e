"""The two answers to a name that did not resolve to one thing: a short list to pick
from (several close matches — never a guess), or 찾을 수 없습니다 with the closest names
and a pointer to /help. Each candidate is a button that runs the exact command.

With a context, each candidate shows the years of the reports that print it ('2021 ·
서울시 홈페이지 운영'): the same words in two years' reports are different figures. When
the candidates are one program printed in several years' reports under titles that
differ only by the year ('2022 시민 정책축제 개최', '시민 정책축제 개최'), that is no
question: the newest answers (or the one of the year asked for), the reply says so,
and the other years are buttons (``bot.lookups.candidates.one_program``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot import messages as M
from bot.lookups.candidates import OneProgram, name_reports, one_program
from bot.lookups.names import Resolution, normalize
from bot.models import Report
from bot.replies import Action, Reply, ReplyKind
from handlers.args import parse_year

if TYPE_CHECKING:
    from handlers.context import Context

MAX_YEARS_SHOWN = 3


def short_year(r: Report) -> str:
    """'2021', or '2018 결산' for the 2018 회계연도 결산 report."""
    if r.kind == "settlement" and r.fiscal_year:
        return M.CANDIDATE_YEAR_SETTLEMENT.format(year=r.fiscal_year)
    return str(r.year)


def _years(reports: list[Report]) -> str:
    labels = list(dict.fromkeys(short_year(r) for r in reports))
    return ", ".join(labels[:MAX_YEARS_SHOWN]) + (" …" if len(labels) > MAX_YEARS_SHOWN else "")


def _asked_year(suffix: str) -> tuple[int | None, bool]:
    """(the year in a suffix like ' 2018', whether the suffix is only that or empty)."""
    words = suffix.split()
    if not words:
        return None, True
    if len(words) == 1 and (y := parse_year(words[0])) is not None:
        return y, True
    return None, False


def _answer_one_program(query: str, found: OneProgram, command: str, suffix: str, year: int | None, ctx: Context) -> Reply:
    from handlers.dispatch import handle

    reply = handle(f"{command} {found.name}{suffix}", ctx)
    note = (M.CANDIDATES_SAME_PROGRAM_YEAR if year is not None else M.CANDIDATES_SAME_PROGRAM).format(query=query, year=short_year(found.report), name=found.name)
    reply.summary = [note] + reply.summary
    reply.actions = [Action(label=M.CANDIDATES_OTHER_YEAR.format(year=short_year(r)), command=f"{command} {n}") for n, r in found.others] + reply.actions
    return reply


def _labelled(shown: list[str], origins: Mapping[str, list[Report]], command: str, suffix: str) -> tuple[list[Action], str | None]:
    """The candidates' buttons, and the years all of them share (then said once, not on each button)."""
    years = {n: _years(origins[normalize(n)]) for n in shown if origins.get(normalize(n))}
    # Years on the buttons only where they tell the candidates apart: the same years on
    # every button would only make them longer (Telegram cuts labels at 40 characters).
    shared = next(iter(years.values())) if len(years) == len(shown) and len(set(years.values())) == 1 else None

    def label(name: str) -> str:
        return M.CANDIDATE_LABEL.format(years=years[name], name=name) if name in years and shared is None else name

    return [Action(label=label(n), command=f"{command} {n}{suffix}") for n in shown], shared


def _choose_reply(query: str, res: Resolution, buttons: list[Action], shared: str | None) -> Reply:
    summary = [M.CANDIDATES_INTRO] + ([M.CANDIDATES_ALL_YEARS.format(years=shared)] if shared else [])
    if res.more:
        summary.append(M.CANDIDATES_MORE.format(count=res.more))
    return Reply(kind=ReplyKind.CANDIDATES, title=M.CANDIDATES_TITLE.format(query=query), summary=summary, candidates=buttons)


def _not_found_reply(query: str, res: Resolution, command: str, buttons: list[Action]) -> Reply:
    summary = [M.NOT_FOUND.format(query=query)]
    if res.closest:
        summary.append(M.NOT_FOUND_CLOSEST.format(names=", ".join(res.closest)))
    summary.append(M.NOT_FOUND_HELP.format(command=command.lstrip("/")))
    return Reply(kind=ReplyKind.NOT_FOUND, title=M.NOT_FOUND_TITLE, summary=summary, candidates=buttons)


def unresolved_reply(query: str, res: Resolution, command: str, suffix: str = "", ctx: Context | None = None, answer_same: bool = False) -> Reply:
    """``command`` is '/budget'; ``suffix`` is appended to each candidate (' 2018').
    ``ctx``: show each candidate's years (once, in the summary, when all share them); ``answer_same`` (read-only commands): answer
    one program printed in several years instead of asking."""
    origins: Mapping[str, list[Report]] = name_reports(ctx.store) if ctx is not None and (res.candidates or res.closest) else {}
    if ctx is not None and answer_same:
        year, plain = _asked_year(suffix)
        if plain and (found := one_program(res, origins, year)) is not None:
            return _answer_one_program(query, found, command, suffix, year, ctx)
    shown = res.candidates if res.outcome == "many" else res.closest
    buttons, shared = _labelled(shown, origins, command, suffix)
    if res.outcome == "many":
        return _choose_reply(query, res, buttons, shared)
    return _not_found_reply(query, res, command, buttons)
