"""`pmm extract`: one submission file in, one JSON line per action out."""

from pathlib import Path

import click

from ..config import DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_S
from .common import reports_errors, write_jsonl

MAX_PAGES_OPTION = click.option("--max-pages", type=click.IntRange(min=1), default=DEFAULT_MAX_PAGES,
                                show_default=True, help="Refuse files with more pages than this.")
TIMEOUT_OPTION = click.option("--timeout", "timeout_s", type=click.FloatRange(min=0, min_open=True),
                              default=DEFAULT_TIMEOUT_S, show_default=True,
                              help="Give up on a file after this many seconds.")
OCR_OPTION = click.option("--ocr/--no-ocr", default=True, show_default=True,
                          help="Read image-only (scanned) pages with Tesseract (Spanish + English).")


@click.command("extract")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the JSON lines here instead of stdout.")
@MAX_PAGES_OPTION
@TIMEOUT_OPTION
@OCR_OPTION
@reports_errors
def command(file, output, max_pages, timeout_s, ocr):
    """Extract one record per action from a PDF or DOCX submission, as JSON lines.

    Each line has text, pages, bbox, heading, stated_objectives, actor, actor_type,
    challenges_text, ocr, ocr_confidence and source_sha256. Warnings go to stderr.

    Example: pmm extract informe_sre.pdf -o acciones.jsonl
    """
    from ..extract import extract_file

    extraction = extract_file(file, max_pages=max_pages, timeout_s=timeout_s, ocr=ocr)
    for warning in extraction.warnings:
        click.echo(f"warning: {file}: {warning}", err=True)
    write_jsonl(extraction.records, output)
