"""Charts drawn as people will see them: a real PNG of a sensible size, not blank, and in
a font that has every Hangul glyph the chart uses (no empty boxes on a fresh machine)."""

from __future__ import annotations

import io
import struct
from datetime import date

from matplotlib import image as mpimg
from matplotlib.ft2font import FT2Font

from bot.charts import font_path, render_png
from handlers.dispatch import handle
from tests.handmade import context


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def _not_blank(png: bytes) -> None:
    pixels = mpimg.imread(io.BytesIO(png))
    assert pixels.std() > 0.05, "the picture has something drawn on it"


def _hangul_covered(text: str) -> None:
    font = FT2Font(str(font_path()))
    cmap = font.get_charmap()
    missing = {ch for ch in text if "\uac00" <= ch <= "\ud7a3" and ord(ch) not in cmap}
    assert not missing, f"no glyph for {sorted(missing)}"


def test_a_departments_execution_rates_are_drawn_as_bars_with_korean_labels(corpus) -> None:
    reply = handle("/budget 뉴미디어담당관", context(corpus, date(2021, 9, 6)))
    assert reply.chart is not None and reply.chart.kind == "bar" and reply.chart.unit == "%"
    assert "뉴미디어 전략 마케팅" in reply.chart.labels and 32.7 in reply.chart.series[0].values
    png = render_png(reply.chart)
    w, h = _size(png)
    assert w >= 600 and h >= 250 and 5_000 < len(png) < 400_000
    _not_blank(png)
    _hangul_covered(reply.chart.title + "".join(reply.chart.labels))


def test_a_comparison_across_years_is_drawn_as_a_line(corpus) -> None:
    reply = handle("/budget 뉴미디어담당관 비교 2018 2021", context(corpus, date(2021, 9, 6)))
    assert reply.chart is not None and reply.chart.kind == "line" and reply.chart.labels == ["2018", "2021"]
    assert reply.chart.series[0].values == [5842.6, 7909.1]  # 백만원
    png = render_png(reply.chart)
    _size(png)
    _not_blank(png)
    _hangul_covered(reply.chart.title + reply.chart.series[0].name)


def test_the_lagging_programs_ranking_is_drawn_and_leaves_out_fund_operations(corpus) -> None:
    reply = handle("/budget 순위 low", context(corpus, date(2021, 9, 6)))
    assert reply.chart is not None and "여유자금 예치" not in reply.chart.labels
    assert not any("전출금" in label for label in reply.chart.labels)
    _not_blank(render_png(reply.chart))


def test_the_console_writes_the_png_and_prints_its_path(corpus, tmp_path, monkeypatch) -> None:
    from pathlib import Path

    from bot.adapters.console import answer
    from bot.clock import FixedClock
    from bot.config import Settings
    from bot.runtime import Runtime

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    rt = Runtime(settings=Settings(), store=corpus, clock=FixedClock(date(2021, 9, 6)))
    out = answer(rt, "뉴미디어담당관 예산")
    line = next(x for x in out.splitlines() if x.startswith("[차트] "))
    path = Path(line.removeprefix("[차트] "))
    assert path.exists() and path.read_bytes()[:4] == b"\x89PNG"


def test_the_digest_lagging_programs_leave_out_fund_operations_and_come_as_a_chart(corpus) -> None:
    from bot.config import Settings
    from bot.replies.digest import build_digest

    reply = build_digest(corpus, Settings(), date(2021, 9, 6))
    text = "\n".join(line for s in reply.sections for line in s.lines)
    assert "여유자금 예치" not in text and "개도국 소방안전 인프라 구축" in text
    assert reply.chart is not None and "여유자금 예치" not in reply.chart.labels
    _not_blank(render_png(reply.chart))
