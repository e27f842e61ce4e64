"""Untrusted text in spreadsheets: the one rule for every CSV and XLSX pmm writes.

Text from submissions (and ids, actor names, notes) may start with what a spreadsheet program
evaluates: "=", "+", "-", "@", a tab or a line break (and their full-width forms, which some
locales' Excel also reads as formulas). In an XLSX file the cell is written as a string, so it
shows exactly the text and never becomes a formula (the review sheet's round trip hashes that
exact text). A CSV has no cell types: such text gets a leading apostrophe, which spreadsheet
programs read as "this is text" and hide.

XLSX and DOCX are XML: `xml_safe` drops the characters XML 1.0 forbids, which their writers refuse.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# XML 1.0 allows tab, newline and carriage return below U+0020, and no surrogates or U+FFFE/FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 forbids (control characters a PDF may carry): XLSX and
    DOCX are XML, and their writers refuse such text instead of storing it."""
    return _NOT_XML.sub("", text)


def is_formula_like(value) -> bool:
    """Would a spreadsheet program evaluate this value as a formula if it met it in a CSV?"""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value):
    """The value as a CSV cell: formula-like text gets a leading apostrophe; the rest is unchanged."""
    return "'" + value if is_formula_like(value) else value


def set_xlsx_value(cell, value) -> None:
    """Put `value` in an openpyxl cell; a string is always a string cell, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def append_xlsx_row(sheet, values) -> list:
    """`sheet.append(values)`, with every string kept as text (openpyxl reads "=…" as a formula);
    returns the row's cells."""
    from openpyxl.cell.cell import Cell  # here: the CLI imports this module for csv_value

    # The cells are typed before they are appended: finding the appended row afterwards
    # (sheet[sheet.max_row]) scans every cell of the sheet, once per row.
    cells = [Cell(sheet, value=value) for value in values]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    sheet.append(cells)
    return cells
