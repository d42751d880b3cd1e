"""Charts as PNG: a ``bot.replies.Chart`` drawn with matplotlib (Agg, no display).

The Korean font comes from the koreanize-matplotlib wheel (NanumGothic.ttf inside the
package), found by path and registered directly — nothing on the machine is assumed, so
a fresh install draws Hangul instead of empty boxes. No pyplot: a Figure per chart keeps
drawing thread-safe and leaks no global state."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import tempfile
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.replies import Chart

MAX_LABEL = 18
MAX_BARS = 20


@lru_cache(maxsize=1)
def font_path() -> Path:
    """NanumGothic.ttf as shipped inside koreanize_matplotlib."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("koreanize-matplotlib is not installed (pip install -e .)")
    path = Path(spec.origin).parent / "fonts" / "NanumGothic.ttf"
    if not path.exists():
        raise RuntimeError(f"Korean font missing: {path}")
    return path


@lru_cache(maxsize=1)
def font_name() -> str:
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def render_png(chart: Chart, dpi: int = 100) -> bytes:
    """The chart as PNG bytes."""
    family = font_name()
    labels = [_short(x) for x in chart.labels[:MAX_BARS]]
    height = max(2.5, 0.42 * len(labels) + 1.2) if chart.kind == "bar" else 4.2
    fig = Figure(figsize=(8, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for text_obj in (ax.title, ax.xaxis.label, ax.yaxis.label):
        text_obj.set_fontfamily(family)
    if chart.kind == "bar":
        _draw_bars(ax, chart, labels, family)
    else:
        _draw_lines(ax, chart, labels, family)
    ax.set_title(chart.title, fontfamily=family)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _draw_bars(ax: Axes, chart: Chart, labels: list[str], family: str) -> None:
    """Horizontal bars, first label on top, each bar's figure at its end."""
    series = chart.series[0] if chart.series else None
    values = [(v if v is not None else 0.0) for v in (series.values[:MAX_BARS] if series else [])]
    ys = list(range(len(labels)))[::-1]
    bars = ax.barh(ys, values, color="#3b6fb6")
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontfamily=family, fontsize=9)
    for bar, v in zip(bars, values, strict=False):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {v:,.1f}{chart.unit}", va="center", fontsize=8, fontfamily=family)
    ax.set_xlabel(chart.unit, fontfamily=family)
    if chart.unit == "%":
        ax.set_xlim(0, max(100.0, max(values, default=0.0) * 1.15))


def _draw_lines(ax: Axes, chart: Chart, labels: list[str], family: str) -> None:
    """One line per series across the labels, each point's figure above it; gaps skipped."""
    xs = list(range(len(labels)))
    for s in chart.series:
        pts = [(x, v) for x, v in zip(xs, s.values, strict=False) if v is not None]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=s.name)
        for x, v in pts:
            ax.annotate(f"{v:,.0f}", (x, v), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8, fontfamily=family)
    ax.set_xticks(xs)
    ax.set_xticklabels(labels, fontfamily=family)
    ax.set_ylabel(chart.unit, fontfamily=family)
    ax.legend(prop={"family": family})
    ax.grid(alpha=0.3)


def chart_filename(chart: Chart) -> str:
    digest = hashlib.sha1(chart.model_dump_json().encode("utf-8")).hexdigest()[:10]
    return f"chart-{digest}.png"


def save_chart(chart: Chart, directory: Path | None = None) -> Path:
    """Write the PNG (the console prints its path)."""
    folder = directory or Path(tempfile.gettempdir()) / "reportbot-charts"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / chart_filename(chart)
    path.write_bytes(render_png(chart))
    return path
