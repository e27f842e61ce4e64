"""`build_report`: from the store to the report's files, in one call."""

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .. import __version__
from ..errors import BadInput
from ..store.periods import period_counts
from . import i18n
from .charts import COLOR_FEDERAL, COLOR_STATE, Chart, category_bars, objective_bars
from .compendio import compendio_sections, render_compendio_html, write_compendio_docx
from .duplicates import duplicate_lines, merge_confirmed, summary_rows
from .export import write_csvs, write_markdown, write_xlsx
from .frame import ReportActions, load_report_actions, of_period
from .html import render_report
from .informe import write_informe_docx
from .selection import propose_main_actions
from .tables import tables_from_actions
from .tilemap import tile_map

XLSX_NAME = "informe.xlsx"
HTML_NAME = "informe.html"
MARKDOWN_NAME = "resumen.md"
COMPENDIO_DOCX = "compendio_general.docx"
COMPENDIO_HTML = "compendio_general.html"
INFORME_DOCX = "informe_ejecutivo_borrador.docx"
DOCUMENTS = ("compendio", "informe")
CSV_DIR = "csv"
CHARTS_DIR = "graficas"


@dataclass(frozen=True)
class ReportResult:
    """What `build_report` wrote (`paths`: xlsx, html, markdown, csv, charts), the tables, and
    every period's actions as read (`stored`, for a comparison built next)."""

    paths: dict[str, Path]
    tables: dict[str, pd.DataFrame]
    stored: ReportActions | None = None


def build_report(engine, out_dir, *, lang: str = "es", period: str | None = None,
                 documents=(), embed=None) -> ReportResult:
    """Compute every table from the store and write the XLSX, CSV, Markdown and HTML report.

    :param engine: the store (from `pipeline.store.connect`); only read.
    :param out_dir: directory for the files; created if missing, existing report files replaced.
    :param lang: "es" (headings as the Informe prints them) or "en".
    :param period: count only actions whose `period` equals this (None: every action).
    :param documents: also write these Word documents: "compendio" (the Compendio General, DOCX
        and HTML) and/or "informe" (the draft Informe Ejecutivo, DOCX).
    :param embed: texts -> vectors for choosing the draft's main actions (default: cached USE).
    :raises BadInput: if `out_dir` exists and is not a directory, or a document is unknown.
    """
    i18n.check_lang(lang)
    unknown = set(documents) - set(DOCUMENTS)
    if unknown:
        raise BadInput(", ".join(sorted(unknown)), f"unknown document; known: {', '.join(DOCUMENTS)}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BadInput(out_dir, "exists and is not a directory")
    with engine.connect() as conn:
        stored = load_report_actions(conn, lang=lang)
        actions = of_period(stored, period)
        annex = actions.frame  # every action, confirmed repeats included, so each id is traceable
        actions, duplicates = merge_confirmed(conn, actions, lang)
        periods = sorted({p for p in period_counts(conn) if p is not None})
    tables = tables_from_actions(actions, lang=lang)
    if len(duplicates):
        tables["summary"] = pd.concat([tables["summary"], summary_rows(duplicates, lang)],
                                      ignore_index=True)
    tables["duplicates"] = duplicates
    charts = render_charts(tables, lang)
    context = report_context(actions, tables, lang)
    context["lines"] += duplicate_lines(duplicates, lang)
    if period is None and len(periods) > 1:
        context["lines"].append(i18n.text("note_mixed_periods", lang, periods=", ".join(periods)))

    charts_dir = out_dir / CHARTS_DIR
    charts_dir.mkdir(parents=True, exist_ok=True)
    for chart in charts.values():
        (charts_dir / chart.file_name).write_bytes(chart.png)
    paths = {
        "xlsx": write_xlsx(out_dir / XLSX_NAME, tables, annex, lang),
        "csv": out_dir / CSV_DIR,
        "markdown": write_markdown(out_dir / MARKDOWN_NAME, tables, context, charts, lang),
        "html": out_dir / HTML_NAME,
        "charts": charts_dir,
    }
    write_csvs(paths["csv"], tables, annex, lang)
    paths["html"].write_text(render_report(tables, annex, charts, context, lang), encoding="utf-8")
    if "compendio" in documents:
        sections = compendio_sections(actions.frame, lang)
        about = context | {"actions": len(actions.frame), "actors": int(actions.frame["actor"].nunique())}
        paths["compendio_docx"] = write_compendio_docx(out_dir / COMPENDIO_DOCX, sections, about, lang)
        paths["compendio_html"] = out_dir / COMPENDIO_HTML
        paths["compendio_html"].write_text(render_compendio_html(sections, about, lang), encoding="utf-8")
    if "informe" in documents:
        objectives = list(tables["objectives"]["objective"])
        proposals = propose_main_actions(actions.frame, objectives, embed=embed)
        paths["informe_docx"] = write_informe_docx(out_dir / INFORME_DOCX, tables=tables, charts=charts,
                                                   frame=actions.frame, proposals=proposals,
                                                   context=context, lang=lang)
    return ReportResult(paths=paths, tables=tables, stored=stored)


def render_charts(tables: dict, lang: str) -> dict[str, Chart]:
    objectives = tables["objectives"]
    return {
        "total": Chart(i18n.text("chart_total", lang), "objetivos_total.png",
                       objective_bars(objectives, "total", lang)),
        "federal": Chart(i18n.text("chart_federal", lang), "objetivos_federal.png",
                         objective_bars(objectives, "federal", lang)),
        "state": Chart(i18n.text("chart_state", lang), "objetivos_estatal.png",
                       objective_bars(objectives, "state", lang)),
        "map": Chart(i18n.text("chart_map", lang), "mapa_entidades.png", tile_map(tables["states"], lang)),
        "challenges_federal": Chart(i18n.text("chart_challenges_federal", lang), "retos_federal.png",
                                    category_bars(tables["challenges_federal"], lang, color=COLOR_FEDERAL)),
        "challenges_state": Chart(i18n.text("chart_challenges_state", lang), "retos_estatal.png",
                                  category_bars(tables["challenges_state"], lang, color=COLOR_STATE)),
    }


def report_context(actions: ReportActions, tables: dict, lang: str) -> dict:
    """The sentences under the title: period, where the labels come from, what was left out."""
    review = tables["review"]
    gcm = review[review["scheme"] == "gcm"].set_index("source")["actions"]
    lines = [i18n.text("period_one", lang, period=actions.period) if actions.period
             else i18n.text("period_all", lang),
             i18n.text("source_line", lang, human=int(gcm.get("human", 0)),
                       document=int(gcm.get("document", 0)), model=int(gcm.get("model", 0)),
                       none=int(gcm.get("none", 0)))]
    if actions.excluded_without_period:
        lines.append(i18n.text("note_period_excluded", lang, n=len(actions.excluded_without_period)))
    frame = actions.frame
    stateless = int(((frame["level"] == "state") & frame["state"].isna()).sum())
    if stateless:
        lines.append(i18n.text("note_no_state", lang, n=stateless))
    if frame.empty:
        lines.append(i18n.text("no_actions", lang))
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    generated = i18n.text("generated", lang, date=date, version=__version__)
    return {"lines": lines, "generated": generated, "period_label": actions.period or "", "date": date,
            "version": __version__}
