"""The report as one self-contained HTML file: inline CSS, charts as data URIs, no script.

Rendered from Jinja2 templates (templates/report.html, templates/parts.html) with autoescape on:
action texts, actor ids and file names come from PDFs nobody vetted, so nothing reaches the page
unescaped. This module turns the tables into plain values for the templates; the markup lives in
the templates. Every count cell that has actions links to them in the annex.

To add a section: an entry in SECTIONS; to add a kind of part, a macro in parts.html, a branch
in its `render`, and a `_part` case here.
"""

import functools

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from . import i18n
from .charts import data_uri
from .export import HIDDEN_COLUMNS, TABLE_NOTES, TRANSLATED_VALUES, is_number, translate_value

# Sections of the page: (anchor, title key, [tables and charts in order]).
SECTIONS = (
    ("resumen", "sec_summary", ("table:summary",)),
    ("objetivos", "sec_objectives", ("chart:total", "table:objectives", "chart:federal", "chart:state")),
    ("mas", "sec_most", ("table:objectives_most",)),
    ("menos", "sec_fewest", ("table:objectives_fewest",)),
    ("actores", "sec_actors", ("table:participants", "table:actor_types", "table:actors")),
    ("entidades", "sec_states", ("chart:map", "table:state_buckets", "table:states")),
    ("retos-federales", "sec_challenges_federal", ("chart:challenges_federal", "table:challenges_federal")),
    ("retos-estatales", "sec_challenges_state", ("chart:challenges_state", "table:challenges_state")),
    ("pmm-ods", "sec_gcm_sdg", ("matrix:gcm_sdg_matrix",)),
    ("revision", "sec_review", ("table:review", "table:confidence")),
    ("repetidas", "sec_duplicates", ("table:duplicates",)),
)
# Tables whose title is the section's own: no second heading.
UNTITLED = {"summary", "objectives", "objectives_most", "objectives_fewest", "challenges_federal",
            "challenges_state", "gcm_sdg_matrix", "review", "duplicates"}

CSS = """
:root { --guinda: #691C32; --guinda-claro: #9F2241; --oro: #A57F2C; --texto: #2b2b2b;
        --gris: #6b6b6b; --linea: #d9d9d9; --fondo: #f6f5f3; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Source Sans Pro", "Noto Sans", "Helvetica Neue", Arial, sans-serif;
       color: var(--texto); background: #fff; line-height: 1.45; font-size: 15px; }
header.banner { background: var(--guinda); color: #fff;
                padding: 28px 0 22px; border-bottom: 4px solid var(--oro); }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 28px; }
header .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; opacity: .85; }
header h1 { margin: 6px 0 4px; font-size: 30px; font-weight: 600; }
header p { margin: 0; font-size: 15px; opacity: .95; }
.meta { color: var(--gris); font-size: 13.5px; margin: 18px 0 0; }
.meta p { margin: 2px 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr));
           gap: 12px; margin: 22px 0 8px; }
.figure-box { border: 1px solid var(--linea); border-top: 3px solid var(--guinda-claro);
              padding: 10px 14px; background: #fff; }
.figure-box .n { font-size: 28px; font-weight: 600; color: var(--guinda); }
.figure-box .l { font-size: 12.5px; color: var(--gris); }
nav.toc { background: var(--fondo); border: 1px solid var(--linea);
          padding: 12px 18px; margin: 18px 0 8px; font-size: 14px; }
nav.toc ol { margin: 6px 0 0; padding-left: 22px; columns: 2; }
nav.toc a { color: var(--guinda); text-decoration: none; }
section { margin: 34px 0; }
h2 { color: var(--guinda); font-size: 21px; font-weight: 600;
     border-bottom: 2px solid var(--oro); padding-bottom: 5px; margin: 0 0 14px; }
h3 { font-size: 16px; font-weight: 600; margin: 22px 0 8px; color: var(--texto); }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0 4px; }
th { background: var(--guinda); color: #fff; font-weight: 600;
     text-align: left; padding: 7px 9px; vertical-align: bottom; }
td { padding: 6px 9px; border-bottom: 1px solid var(--linea); vertical-align: top; }
tbody tr:nth-child(even) td { background: #faf9f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ids { font-size: 12px; color: var(--gris); min-width: 90px; }
td.ids summary { cursor: pointer; color: var(--guinda); }
td.ids a { color: var(--gris); }
p.note { font-size: 12.5px; color: var(--gris); font-style: italic; margin: 4px 0; }
p.empty { color: var(--gris); font-style: italic; }
figure { margin: 14px 0 18px; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; color: var(--gris); margin-top: 4px; }
table.matrix { font-size: 12px; }
table.matrix td, table.matrix th { padding: 4px 5px; text-align: center; }
table.matrix td.name, table.matrix th.name { text-align: left; max-width: 330px; }
table.actions td.text { font-size: 12.5px; min-width: 380px; }
table.actions tr:target td { background: #fbf1d9; }
footer { border-top: 1px solid var(--linea); color: var(--gris);
         font-size: 12.5px; padding: 16px 0 40px; margin-top: 40px; }
@media print { header.banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
               nav.toc { display: none; } section { break-inside: avoid-page; } }
"""


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("pipeline.report", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       keep_trailing_newline=True)


def _ids_cell(ids, lang) -> dict:
    ids = [int(i) for i in ids]
    summary = (i18n.text("action_ids_summary_one", lang) if len(ids) == 1
               else i18n.text("action_ids_summary", lang, n=len(ids)))
    return {"kind": "ids", "ids": ids, "summary": summary if ids else ""}


def table_part(key: str, table: pd.DataFrame, lang: str) -> dict:
    if table.empty:
        return {"kind": "table", "key": key, "empty": i18n.text("empty_table", lang)}
    columns = [c for c in table.columns if c not in HIDDEN_COLUMNS.get(key, ())]
    numeric = {c for c in columns if c != "action_ids" and table[c].map(is_number).all()}
    rows = []
    for _, row in table.iterrows():
        cells = []
        for c in columns:
            if c == "action_ids":
                cells.append(_ids_cell(row[c], lang))
            elif c in numeric:
                cells.append({"kind": "num", "value": _text(row[c])})
            else:
                value = translate_value(c, row[c], lang) if c in TRANSLATED_VALUES else row[c]
                cells.append({"kind": "text", "value": _text(value)})
        rows.append(cells)
    return {"kind": "table", "key": key, "empty": None, "rows": rows,
            "columns": [{"heading": i18n.heading(c, lang), "numeric": c in numeric} for c in columns]}


def matrix_part(matrix: pd.DataFrame, lang: str) -> dict:
    """GCM × SDG counts, each cell shaded by its share of the largest count."""
    sdg_columns = [c for c in matrix.columns if c not in ("objective", "name")]
    values = matrix[sdg_columns].to_numpy() if len(matrix) else []
    peak = max(1, int(values.max())) if len(values) else 1
    rows = []
    for _, row in matrix.iterrows():
        cells = []
        for c in sdg_columns:
            n = int(row[c])
            cells.append({"n": n, "alpha": f"{0.08 + 0.72 * n / peak:.2f}",
                          "color": "#fff" if n / peak > 0.55 else "inherit"})
        rows.append({"objective": _text(row["objective"]), "name": _text(row["name"]), "cells": cells})
    return {"kind": "matrix", "heading": i18n.heading("objective", lang), "columns": sdg_columns,
            "rows": rows, "caption": i18n.heading("sdg", lang),
            "title": i18n.table_title("gcm_sdg_matrix", lang)}


def chart_part(chart) -> dict:
    return {"kind": "chart", "src": data_uri(chart.png), "caption": chart.caption}


def actions_part(frame: pd.DataFrame, lang: str) -> dict:
    if frame.empty:
        return {"empty": i18n.text("empty_table", lang)}
    columns = ("id", "actor", "level", "gcm", "sdgs", "challenge_labels", "gcm_source", "text")
    rows = []
    for r in frame.itertuples(index=False):
        source = f"{r.file_name}" + (f" (p. {', '.join(str(p) for p in r.pages)})" if r.pages else "") \
            if r.file_name else ""
        rows.append({"id": int(r.action_id), "actor": _text(r.actor),
                     "actor_name": _text(r.actor_name if r.actor_name != r.actor else ""),
                     "level": _text(translate_value("level", r.level, lang)), "gcm": ", ".join(r.gcm),
                     "sdg": ", ".join(r.sdg), "challenge": ", ".join(r.challenge),
                     "source": _text(translate_value("source", r.gcm_source, lang)),
                     "text": _text(r.text), "file": source})
    return {"empty": None, "headings": [i18n.heading(c, lang) for c in columns], "rows": rows}


def _key_figures(tables, lang) -> list[dict]:
    summary = dict(zip(tables["summary"]["metric"], tables["summary"]["value"]))
    return [{"n": _text(summary.get(k, 0)), "label": i18n.text(f"m_{k}", lang)}
            for k in ("actions", "federal", "state", "federal_actors", "states")]


def _section_parts(parts, tables, charts, lang) -> list[dict]:
    out = []
    for part in parts:
        kind, name = part.split(":")
        if kind == "chart":
            if name in charts:
                out.append(chart_part(charts[name]))
            continue
        if kind == "matrix":
            out.append(matrix_part(tables[name], lang))
        else:
            if name not in UNTITLED:
                out.append({"kind": "heading", "text": i18n.table_title(name, lang)})
            out.append(table_part(name, tables[name], lang))
        out += [{"kind": "note", "text": i18n.text(note, lang)} for note in TABLE_NOTES.get(name, ())]
    return out


def render_report(tables: dict, frame: pd.DataFrame, charts: dict, context: dict, lang: str) -> str:
    """The whole page. `context["lines"]` are the sentences under the title (period, sources)."""
    sections = [{"anchor": anchor, "title": i18n.text(title, lang),
                 "parts": _section_parts(parts, tables, charts, lang)}
                for anchor, title, parts in SECTIONS]
    return _environment().get_template("report.html").render(
        lang=lang, t=lambda key, **kw: i18n.text(key, lang, **kw), css=Markup(CSS),  # our constant
        period_label=context.get("period_label"), lines=[_text(line) for line in context["lines"]],
        generated=_text(context.get("generated", "")), figures=_key_figures(tables, lang),
        sections=sections, actions=actions_part(frame, lang))
