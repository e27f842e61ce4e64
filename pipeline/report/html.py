"""The report as one self-contained HTML file: inline CSS, charts as data URIs, no script.

Every string that reaches the page goes through `html.escape` (`_e`): action texts, actor ids and
file names come from PDFs nobody vetted, and even taxonomy names are escaped for uniformity.
Every count cell that has actions links to them in the annex.
"""

import html

import pandas as pd

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


def _e(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _ids_cell(ids, lang) -> str:
    ids = list(ids)
    if not ids:
        return '<td class="ids">—</td>'
    links = " ".join(f'<a href="#a-{int(i)}">{int(i)}</a>' for i in ids)
    summary = _e(i18n.text("action_ids_summary_one", lang) if len(ids) == 1
                 else i18n.text("action_ids_summary", lang, n=len(ids)))
    return f'<td class="ids"><details><summary>{summary}</summary>{links}</details></td>'


def render_table(key: str, table: pd.DataFrame, lang: str) -> str:
    if table.empty:
        return f'<p class="empty">{_e(i18n.text("empty_table", lang))}</p>'
    columns = [c for c in table.columns if c not in HIDDEN_COLUMNS.get(key, ())]
    numeric = {c for c in columns if c != "action_ids" and table[c].map(is_number).all()}
    head = "".join(f'<th class="num">{_e(i18n.heading(c, lang))}</th>' if c in numeric
                   else f"<th>{_e(i18n.heading(c, lang))}</th>" for c in columns)
    body = []
    for _, row in table.iterrows():
        cells = []
        for c in columns:
            if c == "action_ids":
                cells.append(_ids_cell(row[c], lang))
            elif c in numeric:
                cells.append(f'<td class="num">{_e(row[c])}</td>')
            else:
                value = translate_value(c, row[c], lang) if c in TRANSLATED_VALUES else row[c]
                cells.append(f"<td>{_e(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="t-{_e(key)}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def render_matrix(matrix: pd.DataFrame, lang: str) -> str:
    """GCM × SDG counts, each cell shaded by its share of the largest count."""
    sdg_columns = [c for c in matrix.columns if c not in ("objective", "name")]
    values = matrix[sdg_columns].to_numpy() if len(matrix) else []
    peak = max(1, int(values.max())) if len(values) else 1
    head = (f'<th class="name">{_e(i18n.heading("objective", lang))}</th>'
            + "".join(f'<th class="num">{_e(c)}</th>' for c in sdg_columns))
    rows = []
    for _, row in matrix.iterrows():
        cells = [f'<td class="name" title="{_e(row["name"])}">{_e(row["objective"])}. {_e(row["name"])}</td>']
        for c in sdg_columns:
            n = int(row[c])
            shade = f' style="background: rgba(159,34,65,{0.08 + 0.72 * n / peak:.2f});' \
                    f'color: {"#fff" if n / peak > 0.55 else "inherit"}"' if n else ""
            cells.append(f'<td class="num"{shade}>{n if n else ""}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"{_e(i18n.heading('sdg', lang))} →"
    return (f'<table class="matrix"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p class="note">{caption} {_e(i18n.table_title("gcm_sdg_matrix", lang))}</p>')


def render_chart(chart) -> str:
    return (f'<figure><img src="{data_uri(chart.png)}" alt="{_e(chart.caption)}">'
            f"<figcaption>{_e(chart.caption)}</figcaption></figure>")


def render_actions(frame: pd.DataFrame, lang: str) -> str:
    if frame.empty:
        return f'<p class="empty">{_e(i18n.text("empty_table", lang))}</p>'
    columns = ("id", "actor", "level", "gcm", "sdgs", "challenge_labels", "gcm_source", "text")
    head = "".join(f"<th>{_e(i18n.heading(c, lang))}</th>" for c in columns)
    rows = []
    for r in frame.itertuples(index=False):
        source = f"{r.file_name}" + (f" (p. {', '.join(str(p) for p in r.pages)})" if r.pages else "") \
            if r.file_name else ""
        rows.append(
            f'<tr id="a-{int(r.action_id)}"><td class="num">{int(r.action_id)}</td>'
            f"<td>{_e(r.actor)}<br><small>{_e(r.actor_name if r.actor_name != r.actor else '')}</small></td>"
            f"<td>{_e(translate_value('level', r.level, lang))}</td><td>{_e(', '.join(r.gcm))}</td>"
            f"<td>{_e(', '.join(r.sdg))}</td><td>{_e(', '.join(r.challenge))}</td>"
            f"<td>{_e(translate_value('source', r.gcm_source, lang))}</td>"
            f'<td class="text">{_e(r.text)}<br><small>{_e(source)}</small></td></tr>')
    return f'<table class="actions"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _key_figures(tables, lang) -> str:
    summary = dict(zip(tables["summary"]["metric"], tables["summary"]["value"]))
    boxes = [(summary.get(k, 0), i18n.text(f"m_{k}", lang))
             for k in ("actions", "federal", "state", "federal_actors", "states")]
    return '<div class="figures">' + "".join(
        f'<div class="figure-box"><div class="n">{_e(n)}</div><div class="l">{_e(label)}</div></div>'
        for n, label in boxes) + "</div>"


def render_report(tables: dict, frame: pd.DataFrame, charts: dict, context: dict, lang: str) -> str:
    """The whole page. `context["lines"]` are the sentences under the title (period, sources)."""
    t = lambda key, **kw: _e(i18n.text(key, lang, **kw))  # noqa: E731
    toc = "".join(f'<li><a href="#{anchor}">{t(title)}</a></li>' for anchor, title, _ in SECTIONS)
    toc += f'<li><a href="#acciones">{t("sec_actions")}</a></li>'
    sections = []
    for anchor, title, parts in SECTIONS:
        body = []
        for part in parts:
            kind, name = part.split(":")
            if kind == "chart":
                if name in charts:
                    body.append(render_chart(charts[name]))
                continue
            if kind == "matrix":
                body.append(render_matrix(tables[name], lang))
            else:
                if name not in UNTITLED:
                    body.append(f"<h3>{_e(i18n.table_title(name, lang))}</h3>")
                body.append(render_table(name, tables[name], lang))
            body += [f'<p class="note">{t(note)}</p>' for note in TABLE_NOTES.get(name, ())]
        sections.append(f'<section id="{anchor}"><h2>{t(title)}</h2>{"".join(body)}</section>')
    meta = "".join(f"<p>{_e(line)}</p>" for line in context["lines"])
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t("report_title")}{" — " + _e(context["period_label"]) if context.get("period_label") else ""}</title>
<style>{CSS}</style>
</head>
<body>
<header class="banner"><div class="wrap">
<div class="kicker">{t("kicker")}</div>
<h1>{t("report_title")}</h1>
<p>{t("report_subtitle")}</p>
</div></header>
<main class="wrap">
<div class="meta">{meta}<p>{t("traceability")}</p></div>
{_key_figures(tables, lang)}
<nav class="toc"><strong>{t("table_of_contents")}</strong><ol>{toc}</ol></nav>
{"".join(sections)}
<section id="acciones"><h2>{t("sec_actions")}</h2>{render_actions(frame, lang)}</section>
</main>
<footer><div class="wrap">{_e(context.get("generated", ""))}</div></footer>
</body>
</html>
"""
