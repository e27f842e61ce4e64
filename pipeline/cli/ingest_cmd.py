"""`pmm ingest`: a folder of submissions into the store, with a progress bar and a summary."""

from pathlib import Path

import click

from ..store import connect
from .common import print_table, reports_errors
from .extract_cmd import MAX_PAGES_OPTION, OCR_OPTION, TIMEOUT_OPTION


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@MAX_PAGES_OPTION
@TIMEOUT_OPTION
@OCR_OPTION
@click.option("--period", default=None,
              help="The reporting period of these files, as the year it ends in (2023 for junio de "
                   "2022 a junio de 2023). Default: read from each document's dates.")
@click.pass_context
@reports_errors
def command(ctx, paths, max_pages, timeout_s, ocr, period):
    """Extract every PDF/DOCX file (or folder of them) into the store.

    A file already stored (same sha256) is skipped. Exit code 0 when every file went in,
    1 when some failed (the others are stored all the same).

    Example: pmm --db pmm.sqlite ingest --period 2023 envios_2023/
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..ingest import expand_paths, ingest_paths

    engine = connect(ctx.obj["db_url"])
    files = expand_paths(paths)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True)) as bar:
        task = bar.add_task("ingest", total=len(files))
        outcomes = ingest_paths(engine, files, max_pages=max_pages, timeout_s=timeout_s, ocr=ocr,
                                period=period,
                                progress=lambda outcome: bar.update(task, advance=1,
                                                                    description=outcome.file.name))
    print_table([{"file": o.file.name, "actions": o.actions, "period": o.period, "status": o.status,
                  "reason": o.reason} for o in outcomes], ["file", "actions", "period", "status", "reason"])
    if any(o.status == "failed" for o in outcomes):
        ctx.exit(1)
