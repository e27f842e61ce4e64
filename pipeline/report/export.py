"""Writing the tables for people: an XLSX workbook, CSV files and a Markdown summary.

All three show the same display form of each table (`display_table`): headings in the report's
language, keys such as "federal" or "human" translated, action ids as one space-separated cell.
Text that came from submissions is untrusted: `pipeline.cells` keeps it from ever being read as
a formula (a string cell in XLSX, a leading apostrophe in CSV).
"""

import html
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..cells import append_xlsx_row, csv_value, xml_safe
from . import i18n

# Stable keys in these columns are shown through i18n texts with this prefix.
TRANSLATED_VALUES = {"level": "level_", "scheme": "scheme_", "source": "source_", "color": "color_",
                     "actor_type": "type_"}
# Keys that only programs need: the display shows the localised name beside them instead.
HIDDEN_COLUMNS = {"summary": ("metric",), "state_buckets": ("bucket",)}
# The methodological notes printed under each table.
TABLE_NOTES = {
    "objectives": ("note_multi_objective", "note_levels"),
    "objectives_most": ("note_ties", "note_most_order"),
    "objectives_fewest": ("note_ties",),
    "state_buckets": ("note_buckets",),
    "challenges_federal": ("note_challenges",),
    "challenges_state": ("note_challenges",),
    "gcm_sdg_matrix": ("note_gcm_sdg",),
}
ACTIONS_SHEET = {"es": "Acciones", "en": "Actions"}
ACTIONS_COLUMNS = ("id", "external_id", "actor", "actor_name", "actor_type", "level", "state",
                   "period", "gcm", "gcm_source", "sdgs", "challenge_labels", "file_name", "pages",
                   "text")

HEADER_FILL = PatternFill("solid", fgColor="691C32")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_WIDTH = 60
TEXT_WIDTH = 100


def join_ids(ids) -> str:
    return " ".join(str(i) for i in ids)


def translate_value(column: str, value, lang: str):
    prefix = TRANSLATED_VALUES.get(column)
    if prefix and isinstance(value, str) and f"{prefix}{value}" in i18n.TEXT[lang]:
        return i18n.text(f"{prefix}{value}", lang)
    return value


def display_table(key: str, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as a person reads it: localised headings and values, ids joined."""
    shown = table.drop(columns=[c for c in HIDDEN_COLUMNS.get(key, ()) if c in table.columns])
    shown = shown.copy()
    for column in shown.columns:
        if column == "action_ids":
            shown[column] = shown[column].map(join_ids)
        elif column in TRANSLATED_VALUES:
            shown[column] = shown[column].map(lambda v, c=column: translate_value(c, v, lang))
    shown = shown.astype(object).where(shown.notna(), None)
    return shown.rename(columns={c: i18n.heading(c, lang) for c in shown.columns})


def actions_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per counted action: what every `action_ids` cell refers to."""
    rows = [{
        "id": int(r.action_id), "external_id": r.external_id, "actor": r.actor,
        "actor_name": r.actor_name, "actor_type": translate_value("actor_type", r.actor_type, lang),
        "level": translate_value("level", r.level, lang), "state": r.state, "period": r.period,
        "gcm": ", ".join(r.gcm), "gcm_source": translate_value("source", r.gcm_source, lang),
        "sdgs": ", ".join(r.sdg), "challenge_labels": ", ".join(r.challenge),
        "file_name": r.file_name, "pages": ", ".join(str(p) for p in r.pages), "text": r.text,
    } for r in frame.itertuples(index=False)]
    table = pd.DataFrame(rows, columns=list(ACTIONS_COLUMNS))
    table = table.astype(object).where(table.notna(), None)
    return table.rename(columns={c: i18n.heading(c, lang) for c in table.columns})


# --- XLSX --------------------------------------------------------------------------------------

def write_xlsx(path: Path, tables: dict, frame: pd.DataFrame, lang: str) -> Path:
    """One formatted sheet per table, then the "Acciones" sheet of every counted action."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, table in tables.items():
        write_sheet(workbook, i18n.sheet_name(key, lang), display_table(key, table, lang))
    write_sheet(workbook, ACTIONS_SHEET[lang], actions_table(frame, lang),
                 wide_column=i18n.heading("text", lang))
    workbook.save(path)
    return path


def write_sheet(workbook, title: str, table: pd.DataFrame, wide_column=None) -> None:
    """A display table as a sheet: a coloured header row, untrusted text kept as text, widths and
    number formats from the values, the header frozen and filtered."""
    sheet = workbook.create_sheet(title)
    sheet.append([str(c) for c in table.columns])
    for row in table.itertuples(index=False):
        append_xlsx_row(sheet, [xml_safe(v) if isinstance(v, str) else v for v in row])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        values = list(table[column])
        integers = bool(values) and all(isinstance(v, int) and not isinstance(v, bool) or v is None
                                        for v in values)
        floats = bool(values) and any(isinstance(v, float) for v in values)
        for cell in sheet[letter][1:]:
            if integers:
                cell.number_format = "#,##0"
            elif floats:
                cell.number_format = "0.00"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        longest = max([len(str(column))] + [len(str(v)) for v in values if v is not None])
        limit = TEXT_WIDTH if column == wide_column else MAX_WIDTH
        sheet.column_dimensions[letter].width = min(max(8, longest + 2), limit)
    sheet.freeze_panes = "A2"
    if table.shape[1]:
        sheet.auto_filter.ref = f"A1:{get_column_letter(table.shape[1])}{max(1, len(table) + 1)}"


# --- CSV ---------------------------------------------------------------------------------------

def write_csvs(directory: Path, tables: dict, frame: pd.DataFrame, lang: str) -> list[Path]:
    """One CSV per table (file named by the table's key) plus `actions.csv`; UTF-8 with BOM,
    which Excel needs to show accents."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    shown = {key: display_table(key, table, lang) for key, table in tables.items()}
    shown["actions"] = actions_table(frame, lang)
    for key, table in shown.items():
        path = directory / f"{key}.csv"
        safe = table.map(lambda v: "" if v is None else csv_value(v))
        safe.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        written.append(path)
    return written


# --- Markdown ----------------------------------------------------------------------------------

def _md_cell(value) -> str:
    if value is None:
        return ""
    # Markdown renderers pass HTML through: escape it, as cells may hold text from submissions.
    text = html.escape(str(value), quote=False)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def markdown_table(table: pd.DataFrame) -> str:
    columns = [str(c) for c in table.columns]
    lines = ["| " + " | ".join(_md_cell(c) for c in columns) + " |",
             "|" + "|".join("---:" if len(table) and table[c].map(is_number).all() else "---"
                            for c in table.columns) + "|"]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)


def write_markdown(path: Path, tables: dict, context: dict, charts: dict, lang: str) -> Path:
    """The summary: the tables without their id lists (those are in the CSV/XLSX), and the charts
    as links to the PNG files beside it."""
    t = lambda key, **kw: i18n.text(key, lang, **kw)  # noqa: E731
    out = [f"# {t('report_title')}", "", t("report_subtitle"), ""]
    for line in [*context["lines"], t("traceability")]:
        out += [line, ""]
    chart_after = {"objectives": ("total", "federal", "state"), "state_buckets": ("map",),
                   "challenges_federal": ("challenges_federal",), "challenges_state": ("challenges_state",)}
    notes = TABLE_NOTES
    for key, table in tables.items():
        if key == "gcm_sdg":
            continue  # the matrix shows the same counts; the CSV keeps the pairs and their ids
        out += [f"## {i18n.table_title(key, lang)}", ""]
        shown = display_table(key, table, lang)
        shown = shown.drop(columns=[i18n.heading("action_ids", lang)], errors="ignore")
        out += [markdown_table(shown) if len(shown) else f"_{t('empty_table')}_", ""]
        out += [f"_{t(note)}_" for note in notes.get(key, ())] + ([""] if key in notes else [])
        for name in chart_after.get(key, ()):
            if name in charts:
                chart = charts[name]
                out += [f"![{chart.caption}](graficas/{chart.file_name})", ""]
    path.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")
    return path

