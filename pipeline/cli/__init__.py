"""`pmm`: the command line. Each command group lives in its own module and calls the library."""

import click

from ..config import DB_URL_ENV, DEFAULT_DB_URL


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar=DB_URL_ENV, default=DEFAULT_DB_URL,
              help="Store: a SQLAlchemy URL or a SQLite file path (default ./pmm.sqlite).")
@click.version_option(package_name="pmm")
@click.pass_context
def cli(ctx, db):
    """pmm: classify GCM/PMM actions and build the Informe Ejecutivo's tables."""
    ctx.obj = {"db_url": db}


# One module per command or group, in the order of the data flow; each defines `command`.
COMMAND_MODULES = (
    "extract_cmd", "ingest_cmd", "predict_cmd", "classify_cmd", "review_cmd", "serve_cmd",
    "train_cmd", "models_cmd", "report_cmd", "run_cmd", "taxonomy_cmd", "corpus_cmd", "store_cmd",
)


def _register(modules):
    from importlib import import_module

    for name in modules:
        cli.add_command(import_module(f"{__name__}.{name}").command)


_register(COMMAND_MODULES)
