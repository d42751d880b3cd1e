"""A small made-up office, built from model objects, for handler tests that must not
depend on the parser or on the sample reports' names and years.

Two reports: a 2023 주요업무보고 (budget 기준 2023.6.30.) and the 2021 회계연도 결산
(printed 2022). '데이터정책담당관' was called '데이터혁신담당관' in 2021: a rename the bot
must not merge. '시민참여담당관' and '시민안전담당관' make '시민' ambiguous."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.clock import FixedClock
from bot.models import (
    AuditItem,
    AuditStatus,
    AuditSummary,
    BudgetLine,
    Department,
    Milestone,
    ParsedReport,
    Precision,
    Program,
    Report,
    Source,
)
from bot.store import Store
from handlers.commands import build_registry
from handlers.context import Context

WORK_ID = "work2023aaaaaaaa"
SETTLE_ID = "settle2021bbbbbb"
OFFICE = "미래전략실"


def _src(rid: str, line: int) -> Source:
    doc = "work.txt" if rid == WORK_ID else "settle.txt"
    return Source(report_id=rid, doc=doc, line=line)


def _line(rid: str, order: int, level: str, name: str, dept: str | None, values: dict, table: str = "일반회계", as_of: date | None = date(2023, 6, 30), unit: str = "천원") -> BudgetLine:
    return BudgetLine(table=table, as_of=as_of, unit=unit, dept=dept, level=level, name=name, values=values, order=order, source=_src(rid, 100 + order))


def work_report() -> ParsedReport:
    rid = WORK_ID
    v = lambda a, b, c, r: {"예산현액": a, "원인행위액": b, "집행액": c, "집행률": r}  # noqa: E731
    lines = [
        _line(rid, 0, "total", f"합 계({OFFICE})", None, v(20_000_000, 12_000_000, 10_000_000, 50.0)),
        _line(rid, 1, "dept", "데이터정책담당관", "데이터정책담당관", v(7_909_143, 6_094_850, 3_498_848, 44.2)),
        _line(rid, 2, "policy", "데이터 기반 행정 구현", "데이터정책담당관", v(7_846_213, 6_063_951, 3_467_949, 44.2)),
    ]
    # Twelve 단위사업 so the department's rows need two pages.
    rates = [12.5, 80.0, 33.3, 95.1, 5.2, 61.0, 47.7, 70.2, 22.0, 88.8, 40.4, 55.5]
    for i, rate in enumerate(rates):
        lines.append(_line(rid, 3 + i, "unit", f"데이터 사업 {chr(0x41 + i)}", "데이터정책담당관", v(500_000 + i * 1000, 400_000, int(5000 * rate), rate)))
    lines += [
        _line(rid, 20, "policy", "기본경비(행정운영경비)", "데이터정책담당관", v(62_930, 30_899, 30_899, 49.1)),
        _line(rid, 21, "dept", "시민참여담당관", "시민참여담당관", v(6_000_000, 3_000_000, 2_400_000, 40.0)),
        _line(rid, 22, "policy", "시민과 함께하는 정책", "시민참여담당관", v(5_900_000, 3_000_000, 2_350_000, 39.8)),
        _line(rid, 23, "unit", "시민 정책축제", "시민참여담당관", v(400_000, 385_722, 193_178, 48.3)),
        _line(rid, 24, "unit", "시민 의견 조사", "시민참여담당관", v(45_000, 33_125, 33_125, 73.6)),
        _line(rid, 25, "policy", "기본경비(행정운영경비)", "시민참여담당관", v(100_000, 50_000, 50_000, 50.0)),
        _line(rid, 26, "dept", "시민안전담당관", "시민안전담당관", v(6_090_857, 2_905_150, 4_101_152, 67.3)),
        _line(rid, 27, "unit", "안전 교육", "시민안전담당관", v(929, 929, 929, 100.0)),
        # A fund table: the same department in a second table.
        _line(rid, 40, "dept", "시민참여담당관", "시민참여담당관", v(2_185_342, 877_069, 793_069, 36.3), table="시민협력기금"),
        _line(rid, 41, "unit", "해외 연수", "시민참여담당관", v(895_932, 449_657, 445_657, 49.7), table="시민협력기금"),
    ]
    depts = [Department(name=n, quota=20, current=19, teams=["가팀"], source=_src(rid, 40)) for n in ("데이터정책담당관", "시민참여담당관", "시민안전담당관")]
    programs = [
        Program(
            title="시민 정책축제 개최",
            dept="시민참여담당관",
            overview="시민이 정책을 제안하고 함께 즐기는 축제",
            budget_text="400백만원 (집행액 193백만원, 48.3%)",
            achievements=["2022 축제 개최(관람 3만명)", "온라인 공모전 운영"],
            plans=["축제 개최('23. 10. 5.)", "성과 평가(12월)"],
            line=300,
            source=_src(rid, 300),
        ),
        Program(title="외국인 명예시민 선정", dept="시민참여담당관", budget_text="45백만원", line=350, source=_src(rid, 350)),
        Program(title="데이터 개방 확대", dept="데이터정책담당관", line=400, source=_src(rid, 400)),
        Program(title="데이터 품질 관리", dept="데이터정책담당관", line=420, source=_src(rid, 420)),
    ]
    ms = [
        Milestone(title="시민 정책축제", start=date(2023, 10, 5), precision=Precision.DAY, program="시민 정책축제 개최", dept="시민참여담당관", source=_src(rid, 310)),
        Milestone(title="축제 성과 평가", start=date(2023, 12, 1), precision=Precision.MONTH, program="시민 정책축제 개최", dept="시민참여담당관", source=_src(rid, 311)),
        Milestone(title="명예시민증 수여식", start=date(2023, 11, 20), precision=Precision.DAY, program="외국인 명예시민 선정", dept="시민참여담당관", source=_src(rid, 360)),
        Milestone(title="데이터 포털 개편", start=date(2023, 9, 1), end=date(2023, 11, 1), precision=Precision.MONTH, program="데이터 개방 확대", dept="데이터정책담당관", source=_src(rid, 410)),
        Milestone(title="지난 행사", start=date(2023, 7, 1), precision=Precision.DAY, dept="데이터정책담당관", source=_src(rid, 411)),
        Milestone(title="이번 달 점검", start=date(2023, 9, 1), precision=Precision.MONTH, dept="시민안전담당관", source=_src(rid, 412)),
        Milestone(title="하반기 안전 훈련", start=date(2023, 7, 1), precision=Precision.HALF, dept="시민안전담당관", source=_src(rid, 413)),
    ]
    audit = [
        AuditItem(kind="시정·처리요구", dept="시민참여담당관", status=AuditStatus.DONE, request_head="축제 예산 절감", request="축제 예산을 절감하기 바람", action="○ 예산 10% 절감 ○ 집행 점검", number=1, source=_src(rid, 500)),
        AuditItem(kind="시정·처리요구", dept="시민참여담당관", status=AuditStatus.IN_PROGRESS, request_head="명예시민 선정 기준 공개", request="명예시민 선정 기준을 공개하기 바람", plan="기준 공개('23. 12월)", due=date(2023, 12, 1), number=2, source=_src(rid, 501)),
        AuditItem(kind="건의", dept="데이터정책담당관", status=AuditStatus.IN_PROGRESS, request_head="데이터 개방 확대", request="데이터 개방을 확대하기 바람", number=3, source=_src(rid, 502)),
    ]
    summary = AuditSummary(total=4, counts={"완료": 2, "추진중": 2}, source=_src(rid, 490))
    report = Report(id=rid, doc="work.txt", title="주요업무보고", org=OFFICE, report_date=date(2023, 9, 4), line_count=600)
    return ParsedReport(report=report, departments=depts, budget_lines=lines, programs=programs, audit_items=audit, audit_summary=summary, milestones=ms)


def settlement_report() -> ParsedReport:
    rid = SETTLE_ID
    v = lambda a, b, c, r: {"예산액": a, "예산현액": b, "집행액": c, "집행률(%)": r}  # noqa: E731
    lines = [
        _line(rid, 0, "total", "총계", None, v(9_000_000, 9_100_000, 8_800_000, 96.7), table="세출결산", as_of=None),
        _line(rid, 1, "dept", "데이터혁신담당관", "데이터혁신담당관", v(5_653_898, 5_842_649, 5_623_262, 96.3), table="세출결산", as_of=None),
        _line(rid, 2, "dept", "시민참여담당관", "시민참여담당관", v(3_346_102, 3_257_351, 3_176_738, 97.5), table="세출결산", as_of=None),
    ]
    audit = [
        AuditItem(kind="결산검사시정권고", dept="시민참여담당관", status=AuditStatus.DONE, request_head="예산 전용 보고", request="예산 전용을 보고하기 바람", number=1, source=_src(rid, 900)),
    ]
    report = Report(id=rid, doc="settle.txt", title="2021 회계연도 세입·세출 결산 업무보고", org=OFFICE, report_date=date(2022, 6, 10), kind="settlement", fiscal_year=2021, line_count=1000)
    return ParsedReport(report=report, budget_lines=lines, audit_items=audit)


def build_store(path: Path | str, today: date = date(2023, 9, 6)) -> Store:
    from bot.pgstore import open_store  # a path: TinyDB; a postgresql:// URL: PostgreSQL

    store = open_store(path, clock=FixedClock(today))
    store.ingest(settlement_report())
    store.ingest(work_report())
    return store


def context(store: Store, today: date = date(2023, 9, 6), is_admin: bool = False) -> Context:
    return Context(store=store, clock=FixedClock(today), platform="console", user_id="tester", channel_id="console", is_admin=is_admin, commands=build_registry())


def corpus_store(path: Path | str, reports_dir: Path | None = None) -> Store:
    """A store built from report files (the bundled corpus by default), as the bot builds it."""
    from bot.pgstore import open_store  # a path: TinyDB; a postgresql:// URL: PostgreSQL
    from bot.runtime import build_store_from_corpus
    from tests.conftest import REPORTS

    store = open_store(path, clock=FixedClock(date(2021, 9, 6)))
    build_store_from_corpus(store, reports_dir or REPORTS)
    return store


def ask(store: Store, text: str, today: date = date(2021, 9, 6), is_admin: bool = False) -> str:
    """The text a console user would read for ``text``."""
    from handlers.dispatch import handle
    from handlers.render_text import render

    return render(handle(text, context(store, today, is_admin)))
