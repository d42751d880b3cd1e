"""The two answers to a name that did not resolve to one thing: a short list to pick
from (several close matches — never a guess), or 찾을 수 없습니다 with the closest names
and a pointer to /help. Each candidate is a button that runs the exact command.

With a context, each candidate shows the years of the reports that print it ('2021 ·
서울시 홈페이지 운영'): the same words in two years' reports are different figures. When
the candidates are one program printed in several years' reports under titles that
differ only by the year ('2022 시민 정책축제 개최', '시민 정책축제 개최'), that is no
question: the newest answers (or the one of the year asked for), the reply says so,
and the other years are buttons."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from bot import messages as M
from bot.models import Report
from handlers.args import parse_year
from handlers.names import Resolution, normalize
from bot.replies import Action, Reply, ReplyKind

if TYPE_CHECKING:
    from handlers.context import Context

MAX_YEARS_SHOWN = 3
_YEAR_WORDS = re.compile(r"(?:19|20)\d{2}\s*(?:년도?|회계연도)?|'\d{2}\s*(?:년도?)?|(?<!\d)\d{2}\s*년도?")


def program_key(name: str) -> str:
    """A title without its years: '「2022 시민 정책축제」 개최' and '시민 정책축제 개최'
    are one program's titles in two years' reports."""
    return normalize(_YEAR_WORDS.sub(" ", name))


class _Origins(Mapping[str, list[Report]]):
    """Normalised name → the reports printing it, newest first, read from the store's
    cached index (``handlers.catalog.name_origins``) one name at a time."""

    def __init__(self, ctx: Context) -> None:
        from handlers.catalog import name_origins

        self._store = ctx.store
        self._ids = name_origins(ctx.store)

    def __getitem__(self, key: str) -> list[Report]:
        return [r for rid in self._ids[key] if (r := self._store.report(rid)) is not None]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def name_reports(ctx: Context) -> Mapping[str, list[Report]]:
    """Normalised name → the reports that print it (as a department, budget row, program,
    event or office), newest first."""
    return _Origins(ctx)


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


def one_program(res: Resolution, origins: Mapping[str, list[Report]], year: int | None) -> tuple[str, Report, list[tuple[str, Report]]] | None:
    """(the candidate to answer with, its report, the other years' candidates) when every
    candidate is one program printed in different reports; None when it is a real choice."""
    names = res.candidates
    if res.kind != "many" or len(names) < 2 or res.more:
        return None
    if len({program_key(n) for n in names}) != 1 or not program_key(names[0]):
        return None
    printed = [origins.get(normalize(n), []) for n in names]
    if not all(printed):
        return None
    seen: set[str] = set()
    for reports in printed:  # two titles in one report are two things of that report
        ids = {r.id for r in reports}
        if ids & seen:
            return None
        seen |= ids
    newest = sorted(((n, rs[0]) for n, rs in zip(names, printed, strict=True)), key=lambda nr: nr[1].report_date, reverse=True)
    if year is not None:
        hit = [(n, r) for n, rs in zip(names, printed, strict=True) for r in rs if r.year == year]
        if len(hit) != 1:
            return None
        chosen = hit[0]
    else:
        chosen = newest[0]
    return chosen[0], chosen[1], [(n, r) for n, r in newest if n != chosen[0]]


def _answer_one_program(query: str, found: tuple[str, Report, list[tuple[str, Report]]], command: str, suffix: str, year: int | None, ctx: Context) -> Reply:
    from handlers.dispatch import handle

    name, report, others = found
    reply = handle(f"{command} {name}{suffix}", ctx)
    note = (M.CANDIDATES_SAME_PROGRAM_YEAR if year is not None else M.CANDIDATES_SAME_PROGRAM).format(query=query, year=short_year(report), name=name)
    reply.summary = [note] + reply.summary
    reply.actions = [Action(label=M.CANDIDATES_OTHER_YEAR.format(year=short_year(r)), command=f"{command} {n}") for n, r in others] + reply.actions
    return reply


def unresolved_reply(query: str, res: Resolution, command: str, suffix: str = "", ctx: Context | None = None, answer_same: bool = False) -> Reply:
    """``command`` is '/budget'; ``suffix`` is appended to each candidate (' 2018').
    ``ctx``: show each candidate's years (once, in the summary, when all share them); ``answer_same`` (read-only commands): answer
    one program printed in several years instead of asking."""
    origins = name_reports(ctx) if ctx is not None and (res.candidates or res.closest) else {}
    if ctx is not None and answer_same:
        year, plain = _asked_year(suffix)
        if plain and (found := one_program(res, origins, year)) is not None:
            return _answer_one_program(query, found, command, suffix, year, ctx)

    shown = res.candidates if res.kind == "many" else res.closest
    years = {n: _years(origins[normalize(n)]) for n in shown if origins.get(normalize(n))}
    # Years on the buttons only where they tell the candidates apart: the same years on
    # every button would only make them longer (Telegram cuts labels at 40 characters).
    shared = next(iter(years.values())) if len(years) == len(shown) and len(set(years.values())) == 1 else None

    def action(name: str) -> Action:
        label = M.CANDIDATE_LABEL.format(years=years[name], name=name) if name in years and shared is None else name
        return Action(label=label, command=f"{command} {name}{suffix}")

    if res.kind == "many":
        summary = [M.CANDIDATES_INTRO] + ([M.CANDIDATES_ALL_YEARS.format(years=shared)] if shared else [])
        if res.more:
            summary.append(M.CANDIDATES_MORE.format(count=res.more))
        return Reply(
            kind=ReplyKind.CANDIDATES,
            title=M.CANDIDATES_TITLE.format(query=query),
            summary=summary,
            candidates=[action(c) for c in res.candidates],
        )
    summary = [M.NOT_FOUND.format(query=query)]
    if res.closest:
        summary.append(M.NOT_FOUND_CLOSEST.format(names=", ".join(res.closest)))
    summary.append(M.NOT_FOUND_HELP.format(command=command.lstrip("/")))
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=M.NOT_FOUND_TITLE,
        summary=summary,
        candidates=[action(c) for c in res.closest],
    )
