"""The draft Informe Ejecutivo as an editable Word document, laid out like the Informe 2022.

Every figure comes from the report's tables (`tables.tables_from_actions`), the same ones the HTML,
XLSX, CSV and Markdown files show: there is no second counting path. Where only a person can write
(the preamble's history, the analysis, the conclusions), a highlighted placeholder says what goes
there. Section IV proposes each objective's main actions by the rule in `selection.py`.
"""

from pathlib import Path

import pandas as pd

from ..taxonomy import load_scheme
from . import i18n, word
from .compendio import actor_label, source_label
from .export import display_table
from .selection import Proposal

REASON_KEYS = {"highlighted": "informe_why_highlighted", "human": "informe_why_human",
               "results": "informe_why_results", "central": "informe_why_central"}


def summary_value(tables: dict, metric: str) -> int:
    summary = tables["summary"].set_index("metric")["value"]
    return int(summary.get(metric, 0))


def write_informe_docx(path: Path, *, tables: dict, charts: dict, frame: pd.DataFrame,
                       proposals: dict[str, list[Proposal]], context: dict, lang: str) -> Path:
    """Write the draft: preamble, II–III with the count tables and charts, IV with the proposed
    main actions, V with the challenge tables, VI–VII, and the three annexes."""
    gcm = load_scheme("gcm")
    period = context.get("period_label") or ""
    doc = word.new_document(i18n.text("informe_title", lang, period=period).strip())
    word.paragraph(doc, i18n.text("kicker", lang), size=10, color=word.GRIS)
    doc.add_heading(i18n.text("informe_title", lang, period=period).strip(), level=0)
    word.paragraph(doc, i18n.text("report_subtitle", lang), italic=True)
    word.paragraph(doc, context["generated"] + " " + i18n.text(
        "informe_draft_notice", lang, version=context["version"], date=context["date"]), size=9,
        color=word.GRIS)
    word.placeholder(doc, i18n.text("informe_placeholder_place_date", lang))
    word.placeholder(doc, i18n.text("informe_placeholder_intro", lang))

    _preamble(doc, tables, context, lang)

    word.heading(doc, i18n.text("sec_conformacion", lang), 1)
    word.paragraph(doc, i18n.text("sec_most", lang), bold=True)
    _ranked_table(doc, tables, "objectives_most", lang)

    word.heading(doc, i18n.text("sec_evaluacion", lang), 1)
    word.paragraph(doc, i18n.text("sec_fewest", lang), bold=True)
    _ranked_table(doc, tables, "objectives_fewest", lang)
    word.paragraph(doc, i18n.text("informe_totals", lang, actions=summary_value(tables, "actions"),
                                  federal=summary_value(tables, "federal"),
                                  state=summary_value(tables, "state")))
    _chart(doc, charts, "total")

    word.page_break(doc)
    word.heading(doc, i18n.text("sec_examples", lang), 1)
    word.paragraph(doc, i18n.text("informe_selection_rule", lang), italic=True, size=10, color=word.GRIS)
    by_id = {int(row.action_id): row for row in frame.itertuples(index=False)}
    counts = tables["objectives"].set_index("objective")["total"]
    for objective, chosen in proposals.items():
        word.heading(doc, i18n.text("informe_objective_heading", lang, objective=objective,
                                    title=gcm.get(objective).name(lang)), 2)
        for proposal in chosen:
            _main_action(doc, by_id[proposal.action_id], proposal, lang)
        word.paragraph(doc, i18n.text("informe_objective_more", lang, shown=len(chosen),
                                      total=int(counts.get(objective, len(chosen)))), size=9,
                       color=word.GRIS)

    word.page_break(doc)
    word.heading(doc, i18n.text("sec_retos", lang), 1)
    for key in ("challenges_federal", "challenges_state"):
        word.paragraph(doc, i18n.table_title(key, lang), bold=True)
        shown = display_table(key, tables[key].drop(columns=["action_ids"]), lang)
        word.table(doc, shown, widths_cm=(3.5, 10.0, 2.5))
        _chart(doc, charts, key)
    word.placeholder(doc, i18n.text("informe_placeholder_retos", lang))

    word.heading(doc, i18n.text("sec_analysis", lang), 1)
    for key in ("federal", "state", "map"):
        _chart(doc, charts, key)
    word.placeholder(doc, i18n.text("informe_placeholder_analysis", lang))

    word.heading(doc, i18n.text("sec_conclusions", lang), 1)
    most = tables["objectives_most"]
    if len(most):
        top = most.iloc[0]
        word.paragraph(doc, i18n.text("informe_conclusion_figures", lang, objective=top["objective"],
                                      title=top["name"], count=int(top["count"])))
    word.placeholder(doc, i18n.text("informe_placeholder_conclusions", lang))

    word.page_break(doc)
    _annexes(doc, tables, frame, lang)
    doc.save(path)
    return path


def _preamble(doc, tables, context, lang) -> None:
    word.heading(doc, i18n.text("sec_preamble", lang), 1)
    period = context.get("period_label")
    phrase = (i18n.text("informe_period_phrase", lang, period=period) if period
              else i18n.text("informe_period_phrase_all", lang))
    which = i18n.text("informe_which", lang, period=period) if period else i18n.text("informe_which_all", lang)
    word.paragraph(doc, i18n.text("informe_preamble_figures", lang, which=which,
                                  federal_actors=summary_value(tables, "federal_actors"),
                                  states=summary_value(tables, "states"), period_phrase=phrase,
                                  actions=summary_value(tables, "actions")))
    word.placeholder(doc, i18n.text("informe_placeholder_preamble", lang))


def _ranked_table(doc, tables, key, lang) -> None:
    """The Informe's two-column table: "N. title" and the number of actions."""
    table = tables[key]
    shown = pd.DataFrame({
        i18n.heading("objective", lang): [f"{row.objective}. {row.name}" for row in table.itertuples()],
        i18n.heading("count", lang): [int(v) for v in table["count"]],
    })
    word.table(doc, shown, widths_cm=(12.0, 4.0))


def _chart(doc, charts, key) -> None:
    chart = charts.get(key)
    if chart is not None:
        word.picture(doc, chart.png, caption=chart.caption)


def _main_action(doc, row, proposal: Proposal, lang) -> None:
    para = word.bullet(doc)
    word.run(para, f"{actor_label(row, lang)}. ", bold=True)
    word.run(para, row.text)
    word.labelled(doc, i18n.text("compendio_results", lang), row.results_text)
    word.labelled(doc, i18n.text("compendio_challenges_text", lang), row.challenges_text)
    reasons = ", ".join(i18n.text(REASON_KEYS[r], lang) for r in proposal.reasons)
    source = source_label(row, lang)
    word.paragraph(doc, i18n.text("informe_proposed_because", lang, reasons=reasons)
                   + (f" {source} (id {int(row.action_id)})." if source else f" (id {int(row.action_id)})."),
                   italic=True, size=9, color=word.GRIS)


def _annexes(doc, tables, frame, lang) -> None:
    word.heading(doc, i18n.text("sec_annexes", lang), 1)
    word.heading(doc, i18n.text("annex_definitions", lang), 2)
    challenges = load_scheme("challenge")
    definitions = pd.DataFrame({
        i18n.text("col_category", lang): [label.name(lang) for label in challenges],
        i18n.text("col_definition", lang): [label.description(lang) for label in challenges],
    })
    word.table(doc, definitions, widths_cm=(5.0, 11.0), font_size=9)

    word.heading(doc, i18n.text("annex_acronyms", lang), 2)
    federal = frame[frame["level"] == "federal"].dropna(subset=["actor"])
    bodies = (federal[["actor", "actor_name"]].drop_duplicates("actor")
              .sort_values("actor", key=lambda s: s.str.casefold()))
    word.table(doc, pd.DataFrame({i18n.text("col_acronym", lang): list(bodies["actor"]),
                                  i18n.text("col_body", lang): [n or a for a, n in zip(bodies["actor"],
                                                                                        bodies["actor_name"])]}),
               widths_cm=(3.5, 12.5), font_size=9)

    word.heading(doc, i18n.text("annex_states", lang), 2)
    states = tables["states"].sort_values("name", key=lambda s: s.str.casefold())
    word.table(doc, pd.DataFrame({i18n.text("col_state", lang): list(states["name"]),
                                  i18n.heading("actions", lang): [int(v) for v in states["actions"]]}),
               widths_cm=(10.0, 4.0), font_size=9)
