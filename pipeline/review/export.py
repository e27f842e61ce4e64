"""Write the review queue to an XLSX workbook analysts fill in (the spreadsheet round trip).

One sheet per scheme; each row: the action's text and actor, the model's top suggestions with
scores, the evidence sentence, an "accept" column, and decision columns whose drop-down lists
(data validation) offer the scheme's valid labels, "7 — Abordar y reducir…". The label lists live
on a hidden sheet so the drop-downs stay short formulas.
"""

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..cells import append_xlsx_row, set_xlsx_value
from ..errors import BadInput, PmmError
from ..schemes import SCHEMES
from . import sheet as layout
from .decisions import NO_LABEL_CHOICE, load_catalogue
from .queue import DEFAULT_STRATEGY, review_queue
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
DECISION_FILL = PatternFill("solid", fgColor="FFF2CC")

HELP_TEXT = {
    "es": [
        "Revisión de etiquetas de pmm",
        "",
        "Cada hoja tiene una fila por acción, las que el modelo tiene menos claras primero.",
        "Para aceptar lo que propone el modelo (columna «asignadas por el modelo», o la sugerencia 1 "
        "si no asignó ninguna), escriba «sí» en «aceptar».",
        "Para corregir, elija las etiquetas correctas en «decisión 1», «decisión 2», «decisión 3» "
        "(lista desplegable; puede escribir solo el número, p. ej. 7). Elija «(ninguna etiqueta)» "
        "si ninguna aplica.",
        "Deje en blanco las filas que no revise. No modifique el texto, el id ni la columna oculta "
        "row_key: la importación rechaza esas filas.",
        "Importe con:  pmm review import ARCHIVO.xlsx --reviewer SU_NOMBRE",
    ],
    "en": [
        "pmm label review",
        "",
        "Each sheet has one row per action, least certain first.",
        "To accept what the model proposes (column 'assigned by the model', or suggestion 1 if it "
        "assigned none), write 'yes' in 'accept'.",
        "To correct it, pick the right labels in 'decision 1', 'decision 2', 'decision 3' (drop-down; "
        "you may type just the number, e.g. 7). Pick '(no label)' if none applies.",
        "Leave rows you do not review empty. Do not edit the text, the id or the hidden row_key "
        "column: import rejects such rows.",
        "Import with:  pmm review import FILE.xlsx --reviewer YOUR_NAME",
    ],
}


def export_review_sheet(engine, path, *, schemes=None, strategy: str = DEFAULT_STRATEGY, actor=None,
                        limit=None, include_decided: bool = False, lang: str = "es",
                        models=None) -> dict[str, int]:
    """Write the review queue of each scheme to `path` (.xlsx); returns {scheme: rows written}.

    :param schemes: the schemes to export (default: every scheme the store has predictions for).
    :param limit: at most this many rows per scheme.
    :param models: {scheme: loaded model} whose variants the ``disagreement`` order compares.
    :raises PmmError: if there is nothing to review.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise BadInput(path, "the review sheet must be an .xlsx file")
    lang = "en" if lang == "en" else "es"
    with engine.connect() as conn:
        queues = {scheme: review_queue(conn, scheme=scheme, strategy=strategy, actor=actor,
                                       limit=limit, include_decided=include_decided,
                                       model=(models or {}).get(scheme))
                  for scheme in schemes or SCHEMES}
    if not schemes:  # by default, only the schemes with something to review get a sheet
        queues = {scheme: items for scheme, items in queues.items() if items}
    if not any(queues.values()):
        raise PmmError("nothing to review: no undecided action has predictions "
                       "(run `pmm classify` first, or pass --include-decided)")

    workbook = Workbook()
    help_sheet = workbook.active
    help_sheet.title = layout.HELP_SHEET[lang]
    for line in HELP_TEXT[lang]:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 120
    lists = workbook.create_sheet(layout.LISTS_SHEET)
    lists.sheet_state = "hidden"
    counts = {}
    for list_column, (scheme, items) in enumerate(queues.items(), start=1):
        catalogue = load_catalogue(scheme)
        choices = [NO_LABEL_CHOICE[lang]] + [label.choice(lang) for label in catalogue.labels]
        letter = get_column_letter(list_column)
        lists.cell(row=1, column=list_column, value=scheme)
        for row, choice in enumerate(choices, start=2):
            set_xlsx_value(lists.cell(row=row, column=list_column), choice)
        list_range = f"{layout.LISTS_SHEET}!${letter}$2:${letter}${len(choices) + 1}"
        ws = workbook.create_sheet(layout.SHEET_TITLES.get(scheme, scheme)[:31])
        _write_rows(ws, items, scheme=scheme, catalogue=catalogue, lang=lang)
        _add_drop_downs(ws, list_range, rows=len(items), lang=lang)
        counts[scheme] = len(items)
    workbook.active = 2 if len(workbook.sheetnames) > 2 else 0
    try:
        workbook.save(path)
    except OSError as exc:
        raise BadInput(path, f"cannot write the review sheet ({exc.strerror or exc})") from None
    return counts


def _write_rows(ws, items, *, scheme, catalogue, lang):
    ws.append(layout.headers(lang))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for item in items:
        # Text from PDFs may start with "=": it must stay text, never become a formula.
        cells = append_xlsx_row(ws, _row_values(item, scheme=scheme, catalogue=catalogue, lang=lang))
        row = cells[0].row  # not ws.max_row / ws[row]: each scans every cell of the sheet
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for n in range(1, layout.SUGGESTIONS + 1):
            ws.cell(row=row, column=layout.COLUMN_INDEX[f"score_{n}"] + 1).number_format = "0.00"
        for key in layout.DECISION_KEYS + ("accept",):
            ws.cell(row=row, column=layout.COLUMN_INDEX[key] + 1).fill = DECISION_FILL
        # Spreadsheet programs do not grow rows for wrapped text on their own.
        lines = math.ceil(len(item["text"]) / 95) + item["text"].count("\n")
        ws.row_dimensions[row].height = min(409, max(30, 15 * lines))
    for i, col in enumerate(layout.COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "F2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(layout.COLUMNS))}{max(ws.max_row, 1)}"


def _row_values(item, *, scheme, catalogue, lang):
    values = {
        "row_key": layout.make_row_key(scheme, item["action_id"], item["text"], item["model_version"]),
        "action_id": item["action_id"],
        "external_id": item.get("external_id"),
        "actor": item.get("actor"),
        "text": layout.sheet_text(item["text"]),
        "assigned": ", ".join(item["assigned"]),
        "evidence": layout.sheet_text(_evidence_sentence(item)),
    }
    for n, suggestion in enumerate(item["suggestions"][:layout.SUGGESTIONS], start=1):
        label = catalogue.get(suggestion["label"])
        values[f"suggestion_{n}"] = label.choice(lang) if label else suggestion["label"]
        values[f"score_{n}"] = round(float(suggestion["score"]), 4)
    return [values.get(col.key) for col in layout.COLUMNS]


def _evidence_sentence(item) -> str:
    """The sentence that most drove the model's best label, if the model kept one."""
    for suggestion in item["suggestions"][:1]:
        evidence = item["evidence"].get(suggestion["label"]) or {}
        sentences = evidence.get("sentences") if isinstance(evidence, dict) else None
        if sentences:
            return str(sentences[0])
    return ""


def _add_drop_downs(ws, list_range, *, rows, lang):
    last_row = max(rows + 1, 2)
    error = {"es": ("Etiqueta no válida", "Elija una etiqueta de la lista o escriba su número."),
             "en": ("Invalid label", "Pick a label from the list or type its number.")}[lang]
    labels = DataValidation(type="list", formula1=f"={list_range}", allow_blank=True,
                            showErrorMessage=True, errorStyle="warning",
                            errorTitle=error[0], error=error[1])
    # "warning" rather than "stop": typing a bare "7" must stay possible; import reads it.
    first = get_column_letter(layout.COLUMN_INDEX[layout.DECISION_KEYS[0]] + 1)
    last = get_column_letter(layout.COLUMN_INDEX[layout.DECISION_KEYS[-1]] + 1)
    labels.add(f"{first}2:{last}{last_row}")
    ws.add_data_validation(labels)
    accept_letter = get_column_letter(layout.COLUMN_INDEX["accept"] + 1)
    accept = DataValidation(type="list", formula1='"sí"' if lang == "es" else '"yes"',
                            allow_blank=True)
    accept.add(f"{accept_letter}2:{accept_letter}{last_row}")
    ws.add_data_validation(accept)

