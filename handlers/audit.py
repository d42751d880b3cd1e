"""/audit [DEPT | open | done | N] [YEAR]: 행정사무감사 / 결산검사 follow-ups.

Counts are given twice when they differ — as the report's 총괄 prints them and as
counted from the items actually printed — because the two do not always agree, and a
reader should see that rather than one silently chosen number. Admins record progress
with `/audit done N [메모]` (kept across re-ingests by the store)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from bot import messages as M
from bot.lookups.catalog import audit_items_of_dept, audit_pools, audit_report_ids
from bot.lookups.names import resolve_in
from bot.lookups.reports import ReportChoice, choose, newest_reports
from bot.models import AuditItem, AuditStatus, AuditSummary, Report
from bot.replies import Action, Reply, ReplyKind, Section, Table
from bot.replies.sources import footnote, report_label, year_label
from bot.replies.when import dot_date
from bot.replies.years import no_year_reply, other_year_actions
from handlers.args import LookupArgs, parse_lookup
from handlers.choices import unresolved_reply
from handlers.context import Context
from handlers.notice import announce
from handlers.pages import page_actions, paged
from handlers.registry import command

PAGE_SIZE = 10
MAX_ACTIONS = 5
STATUS_ORDER = [s.value for s in AuditStatus]  # 미기재 (no status printed) last, still counted

_OPEN_WORDS = {"open", "미완료", "미완", "진행", "진행중", "추진중", "남은"}
_DONE_WORDS = {"done", "완료", "완료된"}
_NUMBER = re.compile(r"^(?:(\d{4})[:\-/])?(?P<kind>[가-힣·]{1,12}?)?(\d{1,3})(?:번)?$")
_BULLET = re.compile(r"\s+(?=[○◦▶▸•□■]\s)")


def _counts_text(counts: dict[str, int], total: int) -> str:
    parts = [f"{s} {counts.get(s, 0)}" for s in STATUS_ORDER if counts.get(s)]
    return M.AUDIT_COUNTS.format(total=total, parts=", ".join(parts) or "-")


def _head(a: AuditItem) -> str:
    return a.request_head or a.request[:40]


def _lines(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in _BULLET.split(text) if p.strip()]


def _no_report(choice: ReportChoice) -> Reply:
    """No report with follow-ups at all, or none of the year asked (the shared no-such-year reply)."""
    if choice.empty:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.AUDIT_NONE_TITLE, summary=[M.AUDIT_NONE])
    return no_year_reply(choice, "/audit", M.AUDIT_NO_YEAR)


def _count_lines(summary_rec: AuditSummary | None, items: list[AuditItem]) -> list[str]:
    """The counts as the report's 총괄 prints them and as counted from the items; a note when they differ."""
    counted = Counter(a.status.value for a in items)
    summary: list[str] = []
    if summary_rec is not None:
        summary.append(M.AUDIT_FROM_SUMMARY.format(counts=_counts_text(summary_rec.counts, summary_rec.total)))
    summary.append(M.AUDIT_FROM_ITEMS.format(counts=_counts_text(dict(counted), len(items))))
    if summary_rec is not None and (summary_rec.total != len(items) or any(summary_rec.counts.get(s, 0) != counted.get(s, 0) for s in STATUS_ORDER)):
        summary.append(M.AUDIT_MISMATCH)
    return summary


def _dept_table(items: list[AuditItem]) -> tuple[dict[str, Counter[str]], Table | None]:
    """Items by department and status (the columns only for statuses that occur)."""
    by_dept: dict[str, Counter[str]] = defaultdict(Counter)
    for a in items:
        by_dept[a.dept or M.UNKNOWN_DEPT][a.status.value] += 1
    statuses = [s for s in STATUS_ORDER if any(c.get(s) for c in by_dept.values())]
    rows = [[d, str(sum(c.values()))] + [str(c.get(s, 0)) for s in statuses] for d, c in by_dept.items()]
    if not rows:
        return by_dept, None
    return by_dept, Table(columns=[M.AUDIT_COL_DEPT, M.AUDIT_COL_TOTAL, *statuses], rows=rows, align_right=[False] + [True] * (len(statuses) + 1))


def _overview(ctx: Context, choice: ReportChoice, report: Report) -> Reply:
    items = ctx.store.audit_items(report.id)
    summary_rec = ctx.store.audit_summary(report.id)
    by_dept, table = _dept_table(items)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for a in items:
        kinds[a.kind][a.status.value] += 1
    kind_lines = [f"{k}: {_counts_text(dict(c), sum(c.values()))}" for k, c in kinds.items()]
    tok = choice.token(report)
    actions = [Action(label=M.AUDIT_OPEN_ACTION, command=f"/audit open {tok}")]
    actions += [Action(label=M.AUDIT_DEPT_ACTION.format(dept=d), command=f"/audit {d} {tok}") for d in by_dept if d != M.UNKNOWN_DEPT][:MAX_ACTIONS]
    actions += other_year_actions("/audit", choice)
    return Reply(
        title=M.AUDIT_OVERVIEW_TITLE.format(report=report_label(report)),
        summary=_count_lines(summary_rec, items),
        table=table,
        sections=[Section(heading=M.AUDIT_BY_KIND, lines=kind_lines)] if kind_lines else [],
        footnote=footnote(report, None, summary_rec.source.line if summary_rec and summary_rec.source else None),
        actions=actions,
    )


def _item_table(items: list[AuditItem], with_dept: bool) -> Table:
    cols = ["#"] + ([M.AUDIT_COL_DEPT] if with_dept else []) + [M.AUDIT_COL_KIND, M.AUDIT_COL_STATUS, M.AUDIT_COL_REQUEST]
    rows = [[str(a.number)] + ([a.dept or M.UNKNOWN_DEPT] if with_dept else []) + [a.kind, a.status.value, _head(a)] for a in items]
    return Table(columns=cols, rows=rows, align_right=[True] + [False] * (len(cols) - 1))


def _list_reply(choice: ReportChoice, report: Report, items: list[AuditItem], title: str, base: str, page: int, with_dept: bool, empty: str) -> Reply:
    if not items:
        return Reply(title=title, summary=[empty], footnote=footnote(report), actions=other_year_actions("/audit", choice))
    page_items, page, pages = paged(items, page, PAGE_SIZE)
    counted = Counter(a.status.value for a in items)
    open_first = sorted(page_items, key=lambda a: a.status == AuditStatus.DONE)
    actions = page_actions(base, page, pages)
    actions += [Action(label=M.AUDIT_ITEM_ACTION.format(number=a.number), command=f"/audit {a.number} {choice.token(report)}") for a in open_first[:MAX_ACTIONS]]
    return Reply(
        title=title,
        summary=[_counts_text(dict(counted), len(items))],
        table=_item_table(page_items, with_dept),
        footnote=footnote(report),
        actions=actions,
        page=page,
        pages=pages,
    )


def _item_reply(choice: ReportChoice, report: Report, a: AuditItem) -> Reply:
    fields = [
        (M.AUDIT_COL_KIND, a.kind),
        (M.AUDIT_COL_DEPT, a.dept or M.UNKNOWN_DEPT),
        (M.AUDIT_COL_STATUS, a.status.value),
    ]
    if a.due:
        fields.append((M.AUDIT_FIELD_DUE, dot_date(a.due)))
    sections = [Section(heading=M.AUDIT_REQUEST, lines=[a.request])]
    if a.action:
        sections.append(Section(heading=M.AUDIT_ACTION, lines=_lines(a.action)))
    if a.plan:
        sections.append(Section(heading=M.AUDIT_PLAN, lines=_lines(a.plan)))
    actions = [Action(label=M.AUDIT_DEPT_ACTION.format(dept=a.dept), command=f"/audit {a.dept} {choice.token(report)}")] if a.dept else []
    return Reply(
        title=M.AUDIT_ITEM_TITLE.format(number=a.number, status=a.status.value, year=year_label(report)),
        fields=fields,
        sections=sections,
        footnote=footnote(report, None, a.source.line),
        actions=actions,
    )


def kind_ref(kind: str) -> str:
    """How an item's kind is typed before its number when numbers restart per kind ('건의3')."""
    return kind.replace("·", "").replace(" ", "")


def _find_items(ctx: Context, report: Report, number: int, kind: str | None = None) -> list[AuditItem]:
    """Items printed with that number; numbers restart per kind in some reports, so a kind
    prefix ('건의3', '시정3') picks one of them."""
    want = kind_ref(kind) if kind else ""
    return [a for a in ctx.store.audit_items(report.id) if a.number == number and kind_ref(a.kind).startswith(want)]


def _which_item(choice: ReportChoice, report: Report, items: list[AuditItem], verb: str = "") -> Reply:
    number = items[0].number
    return Reply(
        kind=ReplyKind.CANDIDATES,
        title=M.AUDIT_SAME_NUMBER_TITLE.format(number=number),
        summary=[M.AUDIT_SAME_NUMBER.format(number=number, kinds=", ".join(a.kind for a in items))],
        actions=[
            Action(label=f"{a.kind} {a.number}", command=f"/audit {verb}{kind_ref(a.kind)}{a.number} {choice.token(report)}".strip())
            for a in items
        ],
        shareable=False,
    )


def _missing_item(ctx: Context, choice: ReportChoice, report: Report, number: int) -> Reply:
    numbers = [a.number for a in ctx.store.audit_items(report.id)]
    span = f"{min(numbers)}~{max(numbers)}" if numbers else "-"
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=M.AUDIT_NO_ITEM_TITLE.format(number=number),
        summary=[M.AUDIT_NO_ITEM.format(number=number, report=report_label(report), span=span)],
        actions=[Action(label=M.AUDIT_OVERVIEW_ACTION, command=f"/audit {choice.token(report)}")],
    )


def _mark_done(ctx: Context, rest: list[str], reports: list[Report]) -> Reply:
    """'/audit done N [메모]' (admins): record follow-up N of the newest report (or 'YEAR:N') as 완료."""
    if not ctx.is_admin:
        return Reply(kind=ReplyKind.DENIED, title=M.ADMIN_ONLY_TITLE, summary=[M.ADMIN_ONLY], shareable=False)
    m = _NUMBER.match(rest[0]) if rest else None
    if m is None:
        return Reply(kind=ReplyKind.USAGE, title=M.AUDIT_DONE_USAGE_TITLE, summary=[M.AUDIT_DONE_USAGE], shareable=False)
    year = int(m.group(1)) if m.group(1) else None
    number = int(m.group(3))
    note = " ".join(rest[1:]).strip() or None
    choice = choose(reports, year)
    report = choice.chosen
    if report is None:
        return _no_report(choice)
    found = _find_items(ctx, report, number, m.group("kind"))
    if not found:
        return _missing_item(ctx, choice, report, number)
    if len(found) > 1:
        return _which_item(choice, report, found, verb="done ")
    item = found[0]
    before = item.status.value
    saved = ctx.store.set_audit_status(report.id, number, AuditStatus.DONE, note, ctx.user_id, kind=item.kind)
    if saved is None:  # the report was replaced between the read and the write
        return _missing_item(ctx, choice, report, number)
    announce(M.NOTICE_AUDIT_DONE, number=str(number))
    return Reply(
        kind=ReplyKind.DONE,
        title=M.AUDIT_DONE_TITLE.format(number=number),
        summary=[M.AUDIT_DONE.format(number=number, before=before, after=saved.status.value, report=report_label(report))]
        + ([M.AUDIT_DONE_NOTE.format(note=note)] if note else []),
        actions=[Action(label=M.AUDIT_ITEM_ACTION.format(number=number), command=f"/audit {number} {choice.token(report)}")],
        shareable=False,
    )


def _status_word(word: str) -> bool | None:
    """True for 'open' (미완료 …), False for 'done' (완료 …), None for any other word."""
    w = word.lower()
    return True if w in _OPEN_WORDS else False if w in _DONE_WORDS else None


@command("audit", M.AUDIT_COMMAND_SUMMARY)
def audit(args: str, ctx: Context) -> Reply:
    reports = newest_reports(ctx.store, audit_report_ids(ctx.store))  # those with follow-ups, newest first
    words = args.split()
    if words and words[0].lower() in _DONE_WORDS and len(words) > 1 and _NUMBER.match(words[1]):
        return _mark_done(ctx, words[1:], reports)
    a: LookupArgs = parse_lookup(args)
    if not reports:
        return _no_report(choose(reports))
    # '/audit 2018:3' names the report and the item in one token.
    if len(a.words) == 1 and (m := _NUMBER.match(a.words[0])):
        return _item_by_number(ctx, reports, a, m)
    choice = choose(reports, a.year, a.month)
    if not a.words:
        return _overview(ctx, choice, choice.chosen) if choice.chosen is not None else _no_report(choice)
    if len(a.words) == 1 and (want_open := _status_word(a.words[0])) is not None:
        return _status_list(ctx, choice, a, want_open)
    return _dept_items(ctx, choice, a)


def _item_by_number(ctx: Context, reports: list[Report], a: LookupArgs, m: re.Match[str]) -> Reply:
    """'/audit 7', '/audit 2018:3', '/audit 건의3': one follow-up in full."""
    choice = choose(reports, int(m.group(1)), None) if m.group(1) else choose(reports, a.year, a.month)
    report = choice.chosen
    if report is None:
        return _no_report(choice)
    found = _find_items(ctx, report, int(m.group(3)), m.group("kind"))
    if len(found) > 1:
        return _which_item(choice, report, found)
    return _item_reply(choice, report, found[0]) if found else _missing_item(ctx, choice, report, int(m.group(3)))


def _status_list(ctx: Context, choice: ReportChoice, a: LookupArgs, want_open: bool) -> Reply:
    """'/audit open', '/audit done': a report's unfinished (or finished) follow-ups."""
    report = choice.chosen
    if report is None:
        return _no_report(choice)
    items = [x for x in ctx.store.audit_items(report.id) if (x.status != AuditStatus.DONE) == want_open]
    title = (M.AUDIT_OPEN_TITLE if want_open else M.AUDIT_DONE_LIST_TITLE).format(year=year_label(report))
    base = f"/audit {'open' if want_open else 'done'} {choice.token(report)}"
    return _list_reply(choice, report, items, title, base, a.page, True, M.AUDIT_NOTHING_OPEN if want_open else M.AUDIT_NOTHING_DONE)


def _dept_items(ctx: Context, choice: ReportChoice, a: LookupArgs) -> Reply:
    """'/audit 도시브랜드담당관 [open|done]': a department's follow-ups, in the newest report
    that has them (or the year asked); the other years offered are those that have them."""
    words = a.words
    status: bool | None = None  # '/audit 도시브랜드담당관 open': the department's open items only
    if len(words) > 1 and (status := _status_word(words[-1])) is not None:
        words = words[:-1]
    query = " ".join(words)
    _, res = resolve_in(query, audit_pools(ctx.store))
    if not res.found or res.value is None:
        return unresolved_reply(query, res, "/audit", a.report_suffix, ctx)
    dept = res.value
    by_report = audit_items_of_dept(ctx.store, dept)  # only the reports whose records name it
    having = [r for r in choice.reports if r.id in by_report]
    report = having[0] if a.year is None and having else choice.chosen
    if report is None:
        return _no_report(choice)
    choice = ReportChoice(having or choice.reports, report, a.year, a.month)
    items, word, suffix = _with_status(list(by_report.get(report.id, [])), status)
    title = M.AUDIT_DEPT_TITLE.format(dept=dept, year=year_label(report)) + suffix
    base = f"/audit {dept}{word} {choice.token(report)}"
    return _list_reply(choice, report, items, title, base, a.page, False, M.AUDIT_NOTHING_FOR_DEPT.format(dept=dept))


def _with_status(items: list[AuditItem], status: bool | None) -> tuple[list[AuditItem], str, str]:
    """(the items of that status, its word for the buttons, its title suffix); all of them for None."""
    if status is None:
        return items, "", ""
    kept = [x for x in items if (x.status != AuditStatus.DONE) == status]
    if status:
        return kept, " open", M.AUDIT_STATUS_SUFFIX_OPEN
    return kept, " done", M.AUDIT_STATUS_SUFFIX_DONE
