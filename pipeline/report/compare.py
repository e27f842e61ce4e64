"""Year over year: one period's counts beside the previous one's, and which programmes are new,
continuing or ended, per actor.

Both periods are counted as the report counts them (labels by precedence, confirmed repeats once).
An action continues a programme when `pipeline.review.continuing` linked it to an action of the
previous period (same actor, same programme); a previous action nobody continues has ended.
Every figure keeps the ids of the actions it counts, in both periods, and the HTML links each id to
the annex of actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment
from openpyxl import Workbook

from ..errors import BadInput, PmmError
from ..review.duplicates import merged_into
from ..store import periods as store
from ..taxonomy import load_scheme
from . import i18n
from .charts import COLOR_STATE, COLOR_TEXT, COLOR_TOTAL, COLOR_GRID, Chart, data_uri, figure, to_png
from .duplicates import merge_confirmed, summary_rows
from .export import ACTIONS_SHEET, join_ids, translate_value, write_sheet
from .frame import load_report_actions, of_period
from .tables import LEVELS, _ids, actors_table, objectives_table

XLSX_NAME = "comparacion.xlsx"
HTML_NAME = "comparacion.html"
CHART_NAME = "comparacion_objetivos.png"
CHARTS_DIR = "graficas"
SHEETS = {
    "compare_summary": {"es": "Resumen", "en": "Summary"},
    "compare_objectives": {"es": "Por objetivo", "en": "Per objective"},
    "compare_actors": {"es": "Por actor", "en": "Per actor"},
}
TITLES = {"compare_summary": "sec_compare_summary", "compare_objectives": "sec_compare_objectives",
          "compare_actors": "sec_compare_actors"}
ID_COLUMNS = ("previous_ids", "current_ids", "new_ids", "continuing_ids", "ended_ids")


@dataclass(frozen=True)
class ComparisonResult:
    """What `build_comparison` wrote (`paths`: xlsx, html, chart) and its tables."""

    paths: dict[str, Path]
    tables: dict[str, pd.DataFrame]


def compare_periods(conn, *, period: str, previous: str, lang: str = "es", stored=None) -> dict:
    """The comparison's tables and the two periods' frames (for the annex).

    :param stored: every period's actions in `lang`, if already read (`ReportResult.stored`).
    :returns: {"tables": {...}, "frames": {"previous": DataFrame, "current": DataFrame}}
    """
    i18n.check_lang(lang)
    if not period or not previous:
        raise PmmError("a comparison needs two periods (--period and --compare)")
    if period == previous:
        raise PmmError(f"cannot compare period {period} with itself")
    if stored is None:
        stored = load_report_actions(conn, lang=lang)  # both periods from one read of the store
    elif stored.period is not None:
        raise ValueError("compare_periods needs every period's actions, not one period's")
    loaded = {}
    for key, name in (("current", period), ("previous", previous)):
        actions = of_period(stored, name)
        annex = actions.frame
        counted, duplicates = merge_confirmed(conn, actions, lang)
        loaded[key] = (annex, counted.frame, duplicates)
    if loaded["current"][0].empty and loaded["previous"][0].empty:
        raise PmmError(f"the store has no actions of period {period} nor {previous}")
    cur, prev = loaded["current"][1], loaded["previous"][1]
    gcm = load_scheme("gcm")
    tables = {"compare_summary": None,
              "compare_objectives": _objectives(objectives_table(prev, gcm, lang),
                                                objectives_table(cur, gcm, lang))}
    links = _continuing(conn, cur, prev)
    tables["compare_actors"] = _actors(cur, prev, links, lang)
    tables["compare_summary"] = _summary(cur, prev, links, loaded, lang)
    return {"tables": tables, "frames": {"previous": loaded["previous"][0], "current": loaded["current"][0]}}


def _objectives(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    rows = []
    earlier = before.set_index("objective")
    for row in after.itertuples(index=False):
        old = earlier.loc[row.objective] if row.objective in earlier.index else None
        previous = int(old["total"]) if old is not None else 0
        rows.append({"objective": row.objective, "name": row.name, "previous": previous,
                     "current": int(row.total), "change": int(row.total) - previous,
                     "previous_ids": list(old["action_ids"]) if old is not None else [],
                     "current_ids": list(row.action_ids)})
    return pd.DataFrame(rows, columns=["objective", "name", "previous", "current", "change",
                                       "previous_ids", "current_ids"])


def _continuing(conn, cur: pd.DataFrame, prev: pd.DataFrame) -> dict[int, int]:
    """{current action id: the previous action it continues (as counted)}."""
    merged = merged_into(conn)
    counted_before = {int(i) for i in prev["action_id"]}
    links = store.continuation_rows(conn, action_ids=_ids(cur))
    out = {}
    for action_id, link in links.items():
        previous_id = merged.get(link["previous_id"], link["previous_id"])
        if previous_id in counted_before:
            out[action_id] = previous_id
    return out


def _actors(cur, prev, links, lang) -> pd.DataFrame:
    """Per actor, each period's actions as the report's actor table counts them, and which of them
    are new, continuing or ended."""
    continued = set(links.values())
    before = actors_table(prev, lang).set_index("actor")
    now = actors_table(cur, lang).set_index("actor")
    # Name and level as the previous period gave them, else the current one.
    about = pd.concat([before, now[~now.index.isin(before.index)]])
    rows = []
    for actor in sorted(about.index, key=lambda a: (LEVELS.index(about.at[a, "level"])
                                                    if about.at[a, "level"] in LEVELS else 3, a)):
        now_ids = list(now.at[actor, "action_ids"]) if actor in now.index else []
        before_ids = list(before.at[actor, "action_ids"]) if actor in before.index else []
        new_ids = [i for i in now_ids if i not in links]
        continuing_ids = [i for i in now_ids if i in links]
        ended_ids = [i for i in before_ids if i not in continued]
        rows.append({"actor": actor, "name": about.at[actor, "name"], "level": about.at[actor, "level"],
                     "previous": len(before_ids), "current": len(now_ids),
                     "new": len(new_ids), "continuing": len(continuing_ids), "ended": len(ended_ids),
                     "new_ids": new_ids, "continuing_ids": continuing_ids, "ended_ids": ended_ids})
    return pd.DataFrame(rows, columns=["actor", "name", "level", "previous", "current", "new",
                                       "continuing", "ended", "new_ids", "continuing_ids", "ended_ids"])


def _summary(cur, prev, links, loaded, lang) -> pd.DataFrame:
    continued = set(links.values())
    cur_ids, prev_ids = _ids(cur), _ids(prev)
    # The repeats each period's report counts once, as its summary table shows them.
    merged = {key: summary_rows(loaded[key][2], lang).set_index("metric").loc["duplicates_merged"]
              for key in ("previous", "current")}

    rows = [
        ("actions", len(prev_ids), len(cur_ids), prev_ids, cur_ids),
        ("new", None, sum(i not in links for i in cur_ids), [], [i for i in cur_ids if i not in links]),
        ("continuing", None, len(links), [], sorted(links)),
        ("ended", sum(i not in continued for i in prev_ids), None,
         [i for i in prev_ids if i not in continued], []),
        ("merged", int(merged["previous"]["value"]), int(merged["current"]["value"]),
         list(merged["previous"]["action_ids"]), list(merged["current"]["action_ids"])),
    ]
    return pd.DataFrame([{"metric": key, "name": i18n.text(f"cm_{key}", lang), "previous": before,
                          "current": after,
                          "change": None if before is None or after is None else after - before,
                          "previous_ids": ids_before, "current_ids": ids_after}
                         for key, before, after, ids_before, ids_after in rows], dtype=object)


# --- output ------------------------------------------------------------------------------------

def comparison_chart(objectives: pd.DataFrame, *, period: str, previous: str, lang: str) -> bytes:
    """Side-by-side bars per objective: the previous period and the current one."""
    fig = figure(10.5, 3.8)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    positions = list(range(len(objectives)))
    width = 0.4
    before = [int(v) for v in objectives["previous"]]
    after = [int(v) for v in objectives["current"]]
    ax.bar([p - width / 2 for p in positions], before, width, color=COLOR_STATE, label=previous)
    ax.bar([p + width / 2 for p in positions], after, width, color=COLOR_TOTAL, label=period)
    ax.set_xticks(positions, [str(o) for o in objectives["objective"]], fontsize=8)
    ax.set_xlabel(i18n.text("axis_objective", lang), color=COLOR_TEXT, fontsize=9)
    ax.set_ylabel(i18n.text("axis_actions", lang), color=COLOR_TEXT, fontsize=9)
    ax.yaxis.grid(True, color=COLOR_GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_ylim(0, max(before + after + [1]) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, fontsize=9)
    return to_png(fig)


def display(key: str, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as a person reads it: headings in `lang`, id lists as one cell, no keys."""
    shown = table.drop(columns=[c for c in ("metric",) if c in table.columns]).copy()
    for column in shown.columns:
        if column in ID_COLUMNS:
            shown[column] = shown[column].map(join_ids)
        elif column == "level":
            shown[column] = shown[column].map(lambda v: translate_value("level", v, lang))
    shown = shown.astype(object).where(shown.notna(), None)
    return shown.rename(columns={c: i18n.heading(c, lang) for c in shown.columns})


def write_comparison_xlsx(path: Path, tables: dict, frames: dict, lang: str) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, table in tables.items():
        write_sheet(workbook, SHEETS[key][lang], display(key, table, lang))
    write_sheet(workbook, ACTIONS_SHEET[lang], _annex(frames, lang), wide_column=i18n.heading("text", lang))
    workbook.save(path)
    return path


def _annex_rows(frames: dict) -> list[dict]:
    """Both periods' actions, as the XLSX sheet and the HTML annex list them."""
    return [{"id": int(r.action_id), "period": r.period, "actor": r.actor, "gcm": ", ".join(r.gcm),
             "text": r.text}
            for frame in (frames["previous"], frames["current"]) for r in frame.itertuples(index=False)]


def _annex(frames: dict, lang: str) -> pd.DataFrame:
    table = pd.DataFrame(_annex_rows(frames), columns=["id", "period", "actor", "gcm", "text"])
    return table.rename(columns={c: i18n.heading(c, lang) for c in table.columns})


PAGE = Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t.compare_title }} {{ previous }}–{{ period }}</title>
<style>
body { margin: 0; font-family: "Noto Sans", "Helvetica Neue", Arial, sans-serif; color: #2b2b2b;
       line-height: 1.45; font-size: 15px; }
header { background: #691C32; color: #fff; padding: 24px 0 18px; border-bottom: 4px solid #A57F2C; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 28px; }
h1 { margin: 4px 0; font-size: 28px; font-weight: 600; }
h2 { color: #691C32; font-size: 20px; border-bottom: 2px solid #A57F2C; padding-bottom: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0; }
th { background: #691C32; color: #fff; text-align: left; padding: 6px 8px; vertical-align: bottom; }
td { padding: 5px 8px; border-bottom: 1px solid #d9d9d9; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.up { color: #1b6e3a; } td.down { color: #9F2241; }
td.ids { font-size: 12px; color: #6b6b6b; } td.ids a { color: #6b6b6b; }
p.note { font-size: 12.5px; color: #6b6b6b; font-style: italic; }
figure img { max-width: 100%; } figcaption { font-size: 13px; color: #6b6b6b; }
tr:target td { background: #fbf1d9; }
</style></head>
<body>
<header><div class="wrap"><div>{{ t.kicker }}</div><h1>{{ t.compare_title }}</h1>
<p>{{ subtitle }}</p></div></header>
<main class="wrap">
<p class="note">{{ t.traceability }}</p>
{% for key, table in tables %}
<section id="{{ key }}"><h2>{{ titles[key] }}</h2>
{% if key == "compare_objectives" %}<figure><img src="{{ chart_uri }}" alt="{{ t.chart_compare }}">
<figcaption>{{ t.chart_compare }}</figcaption></figure>{% endif %}
<table class="{{ key }}"><thead><tr>{% for c in table.columns %}<th>{{ headings[c] }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in table.rows %}<tr>{% for c in table.columns %}
{% set v = row[c] %}
{% if c in id_columns %}<td class="ids">{% for i in v %}<a href="#a-{{ i }}">{{ i }}</a> {% else %}—{% endfor %}</td>
{% elif c == "change" and v is not none %}<td class="num {{ 'up' if v > 0 else ('down' if v < 0 else '') }}">{{ '%+d' % v if v else '0' }}</td>
{% elif v is number %}<td class="num">{{ v }}</td>
{% else %}<td>{{ '' if v is none else v }}</td>{% endif %}
{% endfor %}</tr>{% endfor %}</tbody></table>
{% if key == "compare_actors" %}<p class="note">{{ t.compare_note_programmes }}</p>{% endif %}
</section>
{% endfor %}
<section id="acciones"><h2>{{ t.sec_actions }}</h2>
<table class="actions"><thead><tr><th>id</th><th>{{ headings.period }}</th><th>{{ headings.actor }}</th>
<th>{{ headings.gcm }}</th><th>{{ headings.text }}</th></tr></thead><tbody>
{% for a in annex %}<tr id="a-{{ a.id }}"><td class="num">{{ a.id }}</td><td>{{ a.period or '' }}</td>
<td>{{ a.actor or '' }}</td><td>{{ a.gcm }}</td><td>{{ a.text }}</td></tr>{% endfor %}
</tbody></table></section>
</main></body></html>
""")


def render_comparison_html(tables: dict, frames: dict, chart: Chart, *, period, previous, lang) -> str:
    keys = ("compare_summary", "compare_objectives", "compare_actors")
    shown = []
    for key in keys:
        table = tables[key].drop(columns=[c for c in ("metric",) if c in tables[key].columns])
        if "level" in table.columns:
            table = table.assign(level=table["level"].map(lambda v: translate_value("level", v, lang)))
        rows = [{c: (None if not isinstance(v, list) and pd.isna(v) else v) for c, v in row.items()}
                for row in table.to_dict("records")]
        shown.append((key, {"columns": list(table.columns), "rows": rows}))
    return PAGE.render(
        lang=lang, period=period, previous=previous, tables=shown, annex=_annex_rows(frames),
        t=i18n.TEXT[lang], headings={**i18n.HEADINGS[lang]},
        titles={key: i18n.text(TITLES[key], lang) for key in keys},
        subtitle=i18n.text("compare_subtitle", lang, current=period, previous=previous),
        id_columns=ID_COLUMNS, chart_uri=data_uri(chart.png))


def build_comparison(engine, out_dir, *, period: str, previous: str, lang: str = "es",
                     stored=None) -> ComparisonResult:
    """Write comparacion.xlsx, comparacion.html and the chart for `period` against `previous`.

    :param stored: the actions `build_report` just read (`ReportResult.stored`), so the store is
        not read again; default: read it.

    :raises PmmError: when a period is missing, both are the same, or the store has neither.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BadInput(out_dir, "exists and is not a directory")
    with engine.connect() as conn:
        result = compare_periods(conn, period=period, previous=previous, lang=lang, stored=stored)
    tables, frames = result["tables"], result["frames"]
    chart = Chart(i18n.text("chart_compare", lang), CHART_NAME,
                  comparison_chart(tables["compare_objectives"], period=period, previous=previous,
                                   lang=lang))
    (out_dir / CHARTS_DIR).mkdir(parents=True, exist_ok=True)
    paths = {"xlsx": write_comparison_xlsx(out_dir / XLSX_NAME, tables, frames, lang),
             "html": out_dir / HTML_NAME, "chart": out_dir / CHARTS_DIR / CHART_NAME}
    paths["chart"].write_bytes(chart.png)
    paths["html"].write_text(render_comparison_html(tables, frames, chart, period=period,
                                                    previous=previous, lang=lang), encoding="utf-8")
    return ComparisonResult(paths=paths, tables=tables)


def default_current(conn, previous: str) -> str | None:
    """The newest period in the store other than `previous`: what `--compare` compares by default."""
    periods = sorted((p for p in store.period_counts(conn) if p is not None and p != previous),
                     key=lambda p: (len(p), p))
    return periods[-1] if periods else None
