"""The ``reportbot`` command line (typer)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from bot.ingest import NotAReportError, parse_file
from bot.ingest.export import to_export

app = typer.Typer(add_completion=False, no_args_is_help=False, help="reportbot: 업무보고 질의 봇")


@app.callback()
def _root(
    ctx: typer.Context,
    db: Path | None = typer.Option(None, "--db", envvar="REPORTBOT_DB", help="저장소(JSON) 경로"),
) -> None:
    """reportbot: 업무보고에서 예산·주요업무·감사·일정을 찾아 주는 봇."""
    ctx.obj = {"db": db}


def _fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@app.command()
def parse(file: Path, as_json: bool = typer.Option(False, "--json", help="SCHEMA.md 형식의 JSON 출력")) -> None:
    """보고서 한 건을 읽어 결과를 출력합니다."""
    try:
        parsed = parse_file(file)
    except NotAReportError as exc:
        _fail(f"오류: {file.name}: {exc.reason}")
        return
    export = to_export(parsed)
    if as_json:
        sys.stdout.write(json.dumps(export, ensure_ascii=False, indent=1) + "\n")
    else:
        typer.echo(
            f"{export['title']} ({export['org']}, {export['report_date']}): 부서 {len(export['departments'])}, "
            f"예산 {len(export['budget_lines'])}행, 주요업무 {len(export['programs'])}, "
            f"감사 {len(export['audit_items'])}건, 일정 {len(export['milestones'])}건"
        )


def main() -> None:
    app()
