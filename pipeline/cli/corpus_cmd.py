"""`pmm corpus`: look at the labelled seed corpus and the figures the Informe prints."""

import click
import yaml

from .. import corpus
from .common import print_table, reports_errors, write_jsonl

PREVIEW_CHARS = 80


@click.group("corpus")
def command():
    """The labelled seed corpus (corpus/seed/)."""


@command.group("show")
def show():
    """Print the seed actions or the report's figures."""


@show.command("seed")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
              show_default=True, help="table: id, objectives, actor, start of the text; "
                                      "jsonl: id, text, objectives, actor, actor_type.")
@click.option("--path", type=click.Path(dir_okay=False), default=None,
              help="Another seed file to check and show (default: the 2022 seed).")
@reports_errors
def show_seed(fmt, path):
    """The seed actions of the Informe Ejecutivo 2022, section IV.

    Example: pmm corpus show seed --format jsonl > seed.jsonl
    """
    rows = corpus.load_seed(path) if path else corpus.load_seed()
    if fmt == "jsonl":
        write_jsonl(corpus.seed_as_jsonl_rows(rows))
        return
    print_table([{"id": r["id"], "objectives": ",".join(map(str, r["objectives"])),
                  "actor": r["actor"] or "-", "text": r["text"][:PREVIEW_CHARS]} for r in rows],
                ["id", "objectives", "actor", "text"], title=f"{len(rows)} seed actions")


@show.command("figures")
@reports_errors
def show_figures():
    """The figures the Informe Ejecutivo 2022 prints, as YAML.

    Example: pmm corpus show figures
    """
    click.echo(yaml.safe_dump(corpus.load_figures(), allow_unicode=True, sort_keys=False), nl=False)
