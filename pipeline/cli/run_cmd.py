"""`pmm run`: ingest, classify and report a folder of submissions in one command."""

from pathlib import Path

import click

from .common import print_table, reports_errors

TOP_ROWS = 10


@click.command("run")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--work", "work_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("work"),
              show_default=True, help="Folder for the store and the report.")
@click.option("--fresh/--keep", default=True, show_default=True,
              help="Start from an empty store in the work folder (--keep adds to it).")
@click.option("--lang", type=click.Choice(["es", "en"]), default="es", show_default=True,
              help="Language of the report.")
@click.option("--period", default=None,
              help="Reporting period of the inputs, as the year it ends in (2023); default: read "
                   "from their dates. The report then counts that period.")
@click.option("--compare", default=None,
              help="Also compare the period with this earlier one (e.g. 2022) in the report.")
@click.option("--strict", is_flag=True,
              help="Exit 1 when any file failed (default: report them and go on with the rest).")
@click.pass_context
@reports_errors
def command(ctx, inputs, work_dir, fresh, lang, period, compare, strict):
    """Ingest, classify and report submissions (the whole job).

    Example: pmm run corpus/samples/ --work work
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..report.export import display_table
    from ..report.i18n import table_title
    from ..run import run_pipeline

    store = work_dir / "pmm.sqlite"
    if fresh:
        for path in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
            path.unlink(missing_ok=True)
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
                  console=console) as bar:
        tasks = {}

        def progress(stage, done, total):
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        result = run_pipeline(inputs, work_dir, db_url=str(store), lang=lang, progress=progress,
                              period=period, compare=compare)
    for outcome in result.failed:
        console.print(f"[red]Error:[/red] {outcome.file}: {outcome.reason}")
    stored = sum(o.actions for o in result.outcomes if o.status == "stored")
    console.print(f"{len(result.outcomes)} files, {stored} actions stored, {len(result.failed)} failed; "
                  f"classified: " + ", ".join(f"{k} {v}" for k, v in result.classified.items()))
    table = result.report.tables["objectives"].sort_values("total", ascending=False, kind="stable")
    shown = display_table("objectives", table.head(TOP_ROWS).drop(columns="action_ids"), lang)
    print_table(shown.to_dict("records"), list(shown.columns), title=table_title("objectives", lang))
    click.echo(f"Report: {result.report.paths['html'].resolve()}")
    if result.comparison is not None:
        click.echo(f"Comparison: {result.comparison.paths['html'].resolve()}")
    if strict and result.failed:
        ctx.exit(1)
