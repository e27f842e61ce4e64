"""The report's charts: matplotlib figures rendered to PNG bytes (Agg, no display, no pyplot state).

Titles are not drawn inside the images: the HTML and Markdown put them in captions, where they
are text a reader can search and a screen reader can read.
"""

import base64
import io
import textwrap
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import i18n

# Sober colours close to the Gobierno de México palette: guinda for totals, then a darker and
# a golden tone for the federal and state series.
COLOR_TOTAL = "#9F2241"
COLOR_FEDERAL = "#691C32"
COLOR_STATE = "#A57F2C"
COLOR_TEXT = "#333333"
COLOR_GRID = "#DDDDDD"
DPI = 110
FONT = "DejaVu Sans"
CATEGORY_LABEL_WIDTH = 48


@dataclass(frozen=True)
class Chart:
    """A rendered chart: its caption (the Informe's title for it), file name and PNG bytes."""

    caption: str
    file_name: str
    png: bytes


def figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def to_png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    """A PNG as a `data:` URI, so the HTML report is one self-contained file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")
    ax.tick_params(colors=COLOR_TEXT, labelsize=9)
    ax.set_axisbelow(True)


def objective_bars(objectives, column: str, lang: str) -> bytes:
    """Vertical bars: actions per GCM objective (1..23) in `column` (total, federal or state)."""
    color = {"total": COLOR_TOTAL, "federal": COLOR_FEDERAL, "state": COLOR_STATE}[column]
    fig = figure(9.5, 3.6)
    ax = fig.add_subplot()
    _style(ax)
    labels = [str(o) for o in objectives["objective"]]
    values = [int(v) for v in objectives[column]]
    bars = ax.bar(labels, values, color=color, width=0.7)
    ax.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontsize=8,
                 color=COLOR_TEXT)
    ax.set_xlabel(i18n.text("axis_objective", lang), color=COLOR_TEXT, fontsize=9)
    ax.set_ylabel(i18n.text("axis_actions", lang), color=COLOR_TEXT, fontsize=9)
    ax.yaxis.grid(True, color=COLOR_GRID, linewidth=0.8)
    ax.set_ylim(0, max(values + [1]) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return to_png(fig)


def category_bars(challenges, lang: str, *, color: str = COLOR_TOTAL) -> bytes:
    """Horizontal bars: challenges per category, most at the top (the table's order)."""
    rows = challenges[challenges["challenges"] > 0]
    names = ["\n".join(textwrap.wrap(str(n), CATEGORY_LABEL_WIDTH)) for n in rows["name"]]
    values = [int(v) for v in rows["challenges"]]
    lines = sum(n.count("\n") + 1 for n in names)
    fig = figure(8.5, max(1.6, 0.28 * lines + 0.25 * len(names) + 0.8))
    ax = fig.add_subplot()
    _style(ax)
    if not values:
        ax.axis("off")
        ax.text(0.5, 0.5, i18n.text("empty_table", lang), ha="center", va="center",
                color=COLOR_TEXT, fontsize=10, transform=ax.transAxes)
        return to_png(fig)
    positions = list(range(len(values)))[::-1]
    bars = ax.barh(positions, values, color=color, height=0.65)
    ax.bar_label(bars, padding=3, fontsize=8, color=COLOR_TEXT)
    ax.set_yticks(positions, names, fontsize=8)
    ax.set_xlabel(i18n.text("axis_challenges", lang), color=COLOR_TEXT, fontsize=9)
    ax.xaxis.grid(True, color=COLOR_GRID, linewidth=0.8)
    ax.set_xlim(0, max(values) * 1.12)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return to_png(fig)
