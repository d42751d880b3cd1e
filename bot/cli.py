"""The ``reportbot`` command line (typer): ingest, parse, ask, chat, run."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot import messages as M
from bot.clock import Clock, FixedClock, RunningClock, clock_for

if TYPE_CHECKING:  # the store, settings and handlers load only for commands that use them
    from bot.config import Settings
    from bot.ingest.header import CoverOverride
    from bot.runtime import Runtime
    from bot.store.api import StoreAPI

app = typer.Typer(add_completion=False, no_args_is_help=False, help="reportbot: 업무보고에서 예산·주요업무·감사·일정을 찾아 주는 봇")


class _State:
    db: Path | str | None = None  # a TinyDB file, or a postgresql:// URL (bot.pgstore)
    config: Path | None = None


state = _State()


@app.callback()
def _root(
    db: str | None = typer.Option(None, "--db", envvar="REPORTBOT_DB", help="저장소: JSON 파일 경로 또는 postgresql://… 주소"),
    config: Path | None = typer.Option(None, "--config", envvar="REPORTBOT_CONFIG", help="설정 파일(TOML)"),
) -> None:
    """reportbot: 업무보고에서 예산·주요업무·감사·일정을 찾아 주는 봇."""
    from bot.pgstore import is_pg_url

    state.db = None if not db else db if is_pg_url(db) else Path(db)
    state.config = config


def _settings() -> Settings:
    from bot.config import load_settings

    return load_settings(state.config)


def _parse_as_of(value: str | None) -> date | datetime | None:
    """A day (starts at 09:00) or a moment, ``2021-10-27T08:59:30``."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        typer.echo(M.BAD_AS_OF.format(value=value), err=True)
        raise typer.Exit(2) from None


def _check_db_path() -> None:
    """``--db`` naming a folder: a clear Korean error, not a traceback."""
    if isinstance(state.db, Path) and state.db.is_dir():
        typer.echo(M.STORE_IS_DIRECTORY.format(path=state.db), err=True)
        raise typer.Exit(2)


@contextlib.contextmanager
def _store_location() -> Iterator[None]:
    """Opening the store: a folder or an unusable path is a clear Korean error (exit 2)."""
    from bot.pgstore import StoreUnreachableError
    from bot.store import StoreLocationError

    _check_db_path()
    try:
        yield
    except (StoreLocationError, StoreUnreachableError) as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(2) from None


def _open_store(settings: Settings) -> StoreAPI:
    """The store the settings (or --db) name: a TinyDB file or PostgreSQL."""
    from bot.pgstore import open_store, store_location

    with _store_location():
        store = open_store(store_location(settings, state.db), clock=clock_for(None), backups=settings.store.backups)
    for note in store.notices:
        typer.echo(note, err=True)
    return store


def _runtime(as_of: str | None = None, moving: bool = False) -> Runtime:
    """The runtime for a command. ``moving``: a long-running bot's pinned clock moves
    forward with the wall clock (``run``/``chat --as-of``), so scheduled sends fire."""
    from bot.runtime import open_runtime

    settings = _settings()
    pinned = _parse_as_of(as_of)
    clock: Clock
    if pinned:
        clock = RunningClock(pinned) if moving else FixedClock(pinned)
    else:
        clock = clock_for(settings.clock.as_of)
    with _store_location():
        rt = open_runtime(settings, db=state.db, clock=clock)
    for note in rt.notices:
        typer.echo(note, err=True)
    return rt


def _cover_override(title: str | None, office: str | None, on: str | None) -> CoverOverride:
    from bot.ingest.header import CoverOverride  # the parser loads only for commands that parse

    day = None
    if on is not None:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            typer.echo(M.BAD_COVER_DATE.format(value=on), err=True)
            raise typer.Exit(2) from None
    return CoverOverride(title=title, org=office, report_date=day)


_TITLE_OPT = typer.Option(None, "--title", help="보고서 제목(본문에서 찾지 못할 때)")
_OFFICE_OPT = typer.Option(None, "--office", help="작성 기관(본문에서 찾지 못할 때)")
_DATE_OPT = typer.Option(None, "--date", help="보고서 날짜 YYYY-MM-DD(본문에서 찾지 못할 때)")


def _account(export: dict) -> list[str]:
    """The parse account (shared with the chat upload preview)."""
    from bot.ingest.account import account_lines

    return account_lines(export)


@app.command()
def convert(file: Path) -> None:
    """보고서 파일(HWP·HWPX·PDF·텍스트)을 읽은 그대로의 글(표는 탭으로 나눈 줄)로 출력합니다. 저장하지 않음."""
    from bot.ingest.text import NotAReportError, load_document

    try:
        doc, _ = load_document(file, _settings().store.max_report_bytes)
    except NotAReportError as exc:
        typer.echo(M.INGEST_ERROR.format(file=file.name, reason=exc.reason), err=True)
        raise typer.Exit(1) from None
    for line in doc.lines:
        typer.echo(line)


@app.command()
def parse(
    files: list[Path],
    as_json: bool = typer.Option(False, "--json", help="SCHEMA.md 형식의 JSON 출력(파일이 여럿이면 배열)"),
    title: str | None = _TITLE_OPT,
    office: str | None = _OFFICE_OPT,
    on: str | None = _DATE_OPT,
) -> None:
    """보고서를 읽어 결과를 출력합니다(저장하지 않음). 읽지 못한 파일이 있으면 종료 코드 1."""
    from bot.ingest import NotAReportError, parse_file
    from bot.ingest.export import to_export

    given = _cover_override(title, office, on)
    exports = []
    failed = False
    for file in files:
        try:
            exports.append(to_export(parse_file(file, given)))
        except NotAReportError as exc:
            typer.echo(M.INGEST_ERROR.format(file=file.name, reason=exc.reason), err=True)
            failed = True
    if as_json:
        if exports:
            body = exports[0] if len(files) == 1 else exports
            sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=1) + "\n")
    else:
        for export in exports:
            for line in _account(export):
                typer.echo(line)
    if failed:
        raise typer.Exit(1)


@app.command()
def ingest(
    files: list[Path],
    title: str | None = _TITLE_OPT,
    office: str | None = _OFFICE_OPT,
    on: str | None = _DATE_OPT,
    force: bool = typer.Option(False, "--force", help="기록이 크게 줄어드는 새 판도 그대로 반영"),
) -> None:
    """보고서를 저장소에 넣습니다. 같은 보고서를 다시 넣으면 교체합니다."""
    from bot.ingest import NotAReportError, parse_file
    from bot.ingest.export import to_export

    settings = _settings()
    given = _cover_override(title, office, on)
    # Parse everything first: one bad file leaves the store exactly as it was.
    parsed = []
    for f in files:
        try:
            parsed.append((f, parse_file(f, given, settings.store.max_report_bytes)))
        except NotAReportError as exc:
            typer.echo(M.INGEST_ERROR.format(file=f.name, reason=exc.reason), err=True)
            raise typer.Exit(1) from None
    from bot.store import IngestShrinkError

    store = _open_store(settings)
    refused = False
    for f, p in parsed:
        for line in _account(to_export(p)):
            typer.echo(line)
        try:
            out = store.ingest(p, force=force)
        except IngestShrinkError as exc:
            r = exc.report
            lost = ", ".join(f"{k} {a}→{b}" for k, (a, b) in exc.lost.items())
            typer.echo(
                M.INGEST_SHRINK.format(file=f.name, title=r.title, org=r.org, date=r.report_date.isoformat(), lost=lost),
                err=True,
            )
            refused = True
            continue
        r = out.report
        template = {"added": M.INGEST_ADDED, "replaced": M.INGEST_REPLACED, "unchanged": M.INGEST_UNCHANGED}[out.status]
        typer.echo(template.format(file=f.name, title=r.title, org=r.org, date=r.report_date.isoformat()))
    if refused:
        raise typer.Exit(1)


@app.command()
def run(
    platform: str = typer.Option("console", "--platform", help="console, slack, telegram 또는 slack,telegram"),
    http: bool = typer.Option(False, "--http", help="Slack HTTP 모드(/slack/events)"),
    port: int = typer.Option(3000, "--port", help="Slack HTTP 모드 포트"),
    as_of: str | None = typer.Option(None, "--as-of", help="오늘 날짜 대신 쓸 날짜(YYYY-MM-DD)"),
) -> None:
    """봇을 실행합니다(기본: 콘솔)."""
    import asyncio

    from bot.serve import PLATFORMS, serve

    platforms = [p.strip() for p in platform.split(",") if p.strip()]
    unknown = [p for p in platforms if p not in PLATFORMS]
    if unknown or not platforms:
        typer.echo(M.UNKNOWN_PLATFORM.format(value=platform), err=True)
        raise typer.Exit(2)
    from bot.logs import configure

    configure(_settings())  # store notices at start are logged in the bot's own format too
    rt = _runtime(as_of, moving=True)
    code = asyncio.run(serve(rt, platforms, http=http, port=port))
    if code:
        raise typer.Exit(code)


@app.command()
def chat(as_of: str | None = typer.Option(None, "--as-of", help="오늘 날짜 대신 쓸 날짜(YYYY-MM-DD)")) -> None:
    """콘솔에서 봇과 대화합니다(= run --platform console). 입력을 파이프로 주면 한 줄에 한 명령씩 답합니다."""
    import asyncio

    from bot.serve import serve

    rt = _runtime(as_of, moving=True)
    asyncio.run(serve(rt, ["console"]))


@app.command()
def ask(
    text: str = typer.Argument(..., help='명령 한 줄, 예: "/budget 뉴미디어담당관"'),
    as_of: str | None = typer.Option(None, "--as-of", help="오늘 날짜 대신 쓸 날짜(YYYY-MM-DD)"),
) -> None:
    """명령 하나에 답하고 끝냅니다(채팅과 같은 답). 답에 차트가 있으면 PNG를 쓰고 그 경로를
    채팅처럼 마지막 줄에 알립니다."""
    from bot.adapters.console import answer

    rt = _runtime(as_of)
    out = answer(rt, text)  # the console's answer: the text, then M.CHART_SAVED with save_chart's path
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    sys.stdout.flush()


@app.command()
def bench(
    quick: bool = typer.Option(False, "--quick", help="1×·10×, 명령당 200회(1분 안쪽)"),
    scale: list[int] = typer.Option(None, "--scale", help="배율(여러 번 가능; 기본 1, 10, 100)"),
    out: Path = typer.Option(Path("bench/results/bench.json"), "--out", help="결과 JSON 경로"),
    db: str | None = typer.Option(None, "--db", help="PostgreSQL 주소(postgresql://…): 우리 저장소를 PostgreSQL 로 잽니다"),
) -> None:
    """늘린 말뭉치로 명령 응답 시간·적재·시작 시간·메모리를 재고 TinyDB 기본 사용법과 비교합니다."""
    from rich.console import Console

    from bot.bench import CACHE, run, table

    scales = sorted(set(scale or ([1, 10] if quick else [1, 10, 100])))
    cache = Path(os.environ.get("REPORTBOT_BENCH_CACHE", CACHE))
    from bot.pgstore import is_pg_url

    if db is not None and not is_pg_url(db):
        typer.echo(M.MIGRATE_TARGET_NOT_PG.format(dst=db), err=True)
        raise typer.Exit(2)
    result = run(scales, quick, out, cache=cache, echo=lambda m: typer.echo(m, err=True), pg=db)
    Console(width=160).print(table(result))
    typer.echo(
        f"naive_ratio {result['naive_ratio']} ({result['naive_ratio_command']}), ingest {result['ingest_mb_s']} MB/s, "
        f"cold start {result['cold_start_s']} s, peak RSS {result['peak_rss_mb']} MB → {out}"
    )


reminders_app = typer.Typer(add_completion=False, help="일정 알림")
app.add_typer(reminders_app, name="reminders")


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.echo(M.BAD_DATE.format(value=value), err=True)
        raise typer.Exit(2) from None


@reminders_app.command("plan")
def reminders_plan(
    start: str = typer.Option(..., "--from", help="시작 날짜(YYYY-MM-DD)"),
    end: str = typer.Option(..., "--to", help="끝 날짜(YYYY-MM-DD, 포함)"),
    show_all: bool = typer.Option(False, "--all", help="구독과 관계없이 모든 알림 날짜"),
) -> None:
    """그 기간에 보낼 알림(언제, 어디로, 무엇)을 봇과 같은 계산으로 보여 줍니다."""
    from reminders.calendar import WorkCalendar
    from reminders.plan import plan_lines

    first, last = _parse_day(start), _parse_day(end)
    if last < first:
        typer.echo(M.BAD_DATE_RANGE.format(start=start, end=end), err=True)
        raise typer.Exit(2)
    rt = _runtime()
    cal = WorkCalendar(rt.settings.reminders.holidays_country)
    for line in plan_lines(rt.store, rt.settings, cal, first, last, show_all=show_all):
        typer.echo(line)


@app.command("digest")
def digest_cmd(as_of: str | None = typer.Option(None, "--as-of", help="오늘 날짜 대신 쓸 날짜(YYYY-MM-DD)")) -> None:
    """주간 요약을 출력합니다(봇이 보내는 것과 같은 내용)."""
    from bot.replies.digest import build_digest
    from handlers.render_text import render

    rt = _runtime(as_of)
    typer.echo(render(build_digest(rt.store, rt.settings, rt.clock.today())))


store_app = typer.Typer(add_completion=False, help="저장소 백업과 복구")
app.add_typer(store_app, name="store")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)}KB"


@store_app.command("backups")
def store_backups() -> None:
    """백업 목록(시각, 크기, 보고서 수, 사용자 기록 수)을 보여 줍니다. 번호는 restore 에 씁니다."""
    from bot.store.jsonfile import backup_dir

    store = _open_store(_settings())
    if isinstance(store.path, str):  # PostgreSQL: the database's own backups
        typer.echo(M.STORE_PG_BACKUPS.format(url=store.path))
        return
    infos = store.backups()
    if not infos:
        typer.echo(M.BACKUPS_NONE.format(dir=backup_dir(store.path)))
        return
    typer.echo(M.BACKUPS_HEADER.format(count=len(infos), dir=backup_dir(store.path)))
    for b in infos:
        at = f"{b.at:%Y-%m-%d %H:%M:%S}" if b.at else b.path.name
        typer.echo(
            M.BACKUP_ROW.format(
                n=b.n, at=at, size=_size(b.size), reports=b.reports, edits=b.edits, bad="" if b.ok else M.BACKUP_BAD
            )
        )


@store_app.command("restore")
def store_restore(n: int = typer.Argument(1, help="백업 번호(1 = 가장 최근, `store backups` 참고)")) -> None:
    """백업으로 저장소를 되살립니다. 지금 저장소는 새 백업으로 남고, 백업에 빠진 기록을 알려 줍니다."""
    from bot.store import StoreCorruptError

    store = _open_store(_settings())
    if isinstance(store.path, str):  # PostgreSQL: the database's own backups
        typer.echo(M.STORE_PG_BACKUPS.format(url=store.path), err=True)
        raise typer.Exit(2)
    count = len(store.backups())
    try:
        info, missing = store.restore_backup(n)
    except IndexError:
        typer.echo(M.BACKUP_NO_SUCH.format(n=n, count=count), err=True)
        raise typer.Exit(2) from None
    except StoreCorruptError:
        typer.echo(M.BACKUP_IS_BAD.format(n=n), err=True)
        raise typer.Exit(1) from None
    typer.echo(M.RESTORED.format(n=n, at=f"{info.at:%Y-%m-%d %H:%M:%S}" if info.at else info.path.name))
    typer.echo(lacks_text(missing))


@store_app.command("migrate")
def store_migrate(
    src: Path = typer.Option(..., "--from", help="옮길 TinyDB 저장소(JSON) 경로"),
    dst: str = typer.Option(..., "--to", help="옮겨 갈 PostgreSQL 주소(postgresql://…, 비어 있어야 함)"),
) -> None:
    """TinyDB 저장소를 PostgreSQL 로 옮깁니다(보고서, 사용자 기록, 구독, 발송 기록까지). 양쪽 건수를 비교해 보여 줍니다."""
    from bot.pgstore import is_pg_url, redact_url

    if not is_pg_url(dst):
        typer.echo(M.MIGRATE_TARGET_NOT_PG.format(dst=dst), err=True)
        raise typer.Exit(2)
    if not src.is_file():
        typer.echo(M.MIGRATE_SOURCE_MISSING.format(src=src), err=True)
        raise typer.Exit(2)
    from bot.pgstore.migrate import TABLES, TargetNotEmptyError, migrate_store
    from bot.pgstore.store import PgStore
    from bot.store import Store

    with _store_location():
        source = Store(src, clock=clock_for(None))
        target = PgStore(dst, clock=clock_for(None))
    typer.echo(M.MIGRATE_HEADER.format(src=src, dst=redact_url(dst)))
    try:
        result = migrate_store(source, target)
    except TargetNotEmptyError as exc:
        typer.echo(M.MIGRATE_TARGET_NOT_EMPTY.format(dst=redact_url(dst), count=exc.reports), err=True)
        raise typer.Exit(2) from None
    finally:
        target.close()
        source.close()
    for table in TABLES:
        a, b = result.source.get(table, 0), result.target.get(table, 0)
        mark = "" if a == b else M.MIGRATE_ROW_BAD
        typer.echo(M.MIGRATE_ROW.format(label=M.MIGRATE_LABELS.get(table, table), src=a, dst=b, mark=mark))
    if result.mismatched:
        labels = ", ".join(M.MIGRATE_LABELS.get(t, t) for t in result.mismatched)
        typer.echo(M.MIGRATE_MISMATCH.format(tables=labels), err=True)
        raise typer.Exit(1)
    typer.echo(M.MIGRATE_DONE)


def lacks_text(missing: dict[str, int]) -> str:
    """"감사 상태 2건, 일정 1건, 구독 1건이 이 백업에는 없습니다" — or that nothing is missing."""
    if not missing:
        return M.RESTORE_LACKS_NOTHING
    what = ", ".join(f"{M.LACK_LABELS.get(t, t)} {n}건" for t, n in missing.items())
    return M.RESTORE_LACKS.format(what=what)


def main() -> None:
    app()
