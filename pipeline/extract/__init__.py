"""Extraction: submitted PDF/DOCX files -> one record per reported action, with provenance.

`extract_file(path)` is the entry point; the modules below it each do one step:
`pdf` (pages -> positioned lines and table grids), `layout` (lines, columns, running headers),
`segment` (lines -> headings, items, paragraphs -> actions), `tables` (submission forms, ruled
or not), `ocr` (image-only pages read by Tesseract), `docx` (Word files into the same blocks and
grids).
"""

from .extraction import NO_ACTIONS_WARNING, Extraction, extract_file
from .pdf import DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_S

__all__ = ["extract_file", "Extraction", "DEFAULT_MAX_PAGES", "DEFAULT_TIMEOUT_S", "NO_ACTIONS_WARNING"]
