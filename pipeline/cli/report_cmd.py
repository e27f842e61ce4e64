"""`pmm report`: the Informe Ejecutivo's count tables and charts, from the store."""

from pathlib import Path

import click

from ..store import connect
from ..taxonomy import LANGUAGES
from .common import print_table, reports_errors


@click.command("report")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default="informe",
              show_default=True, help="Directory for the report's files (created if missing).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="es", show_default=True,
              help="Language of headings and names: es (as the Informe prints them) or en.")
@click.option("--period", default=None,
              help="Count only actions of this reporting period (the year it ends in, e.g. 2023); "
                   "actions with no period are then left out (the report says how many). "
                   "Default: every action.")
@click.option("--compare", default=None,
              help="Also compare with this earlier period (e.g. 2022): comparacion.html/.xlsx, per "
                   "objective and new/continuing/ended programmes per actor. Without --period, the "
                   "newest other period is compared.")
@click.option("--compendio", is_flag=True,
              help="Also write the Compendio General: every action by objective and actor (DOCX, HTML).")
@click.option("--informe", is_flag=True,
              help="Also write an editable draft of the Informe Ejecutivo (DOCX) with proposed main actions.")
@click.pass_context
@reports_errors
def command(ctx, out_dir, lang, period, compare, compendio, informe):
    """Build the report: XLSX, CSV, Markdown and one self-contained HTML file.

    Labels come from human decisions first, else from the newest model's assigned labels.
    Every count lists the ids of the actions it counts.

    Example: pmm report --out informe_2023 --period 2023 --compare 2022 --compendio --informe
    """
    from ..extract.period import normalize_period
    from ..report import build_report
    from ..report.compare import build_comparison, default_current

    engine = connect(ctx.obj["db_url"])
    period = normalize_period(period)
    compare = normalize_period(compare, source="--compare")
    if compare is not None and period is None:
        with engine.connect() as conn:
            period = default_current(conn, compare)
    documents = [name for name, wanted in (("compendio", compendio), ("informe", informe)) if wanted]
    result = build_report(engine, out_dir, lang=lang, period=period, documents=documents)
    summary = result.tables["summary"]
    print_table([{"": name, "n": value} for name, value in zip(summary["name"], summary["value"])],
                ["", "n"], title=str(out_dir))
    for kind, path in result.paths.items():
        click.echo(f"{kind}: {path}")
    if compare is not None:
        comparison = build_comparison(engine, out_dir, period=period, previous=compare, lang=lang,
                                      stored=result.stored)
        table = comparison.tables["compare_summary"]
        print_table([{"": r["name"], compare: r["previous"], period: r["current"],
                      "±": None if r["change"] is None else f"{r['change']:+d}"}
                     for r in table.to_dict("records")], ["", compare, period, "±"],
                    title=f"{period} / {compare}")
        for kind in ("html", "xlsx"):
            click.echo(f"comparison {kind}: {comparison.paths[kind]}")
