"""`pmm models`: list the trained versions of a scheme's model and choose the current one."""

import click

from ..config import MODELS_DIR
from ..schemes import SCHEMES
from .common import FORMAT_OPTION, LEVEL_OPTION, emit, reports_errors

COLUMNS = ["version", "current", "created_at", "examples", "decisions", "heldout_n", "heldout_top1",
           "heldout_top3"]
SCHEME_OPTION = click.option("--scheme", type=click.Choice(SCHEMES), required=True)
MODELS_DIR_OPTION = click.option("--models-dir", type=click.Path(file_okay=False), default=str(MODELS_DIR),
                                 show_default=False, help="Folder of trained models.")


@click.group("models")
def command():
    """List trained model versions and choose which one is current."""


@command.command("list")
@SCHEME_OPTION
@LEVEL_OPTION
@MODELS_DIR_OPTION
@FORMAT_OPTION
@reports_errors
def list_cmd(scheme, level, models_dir, fmt):
    """Every version of a scheme's model, oldest first, with its held-out scores.

    Example: pmm models list --scheme gcm
    """
    from ..train import list_versions

    rows = list_versions(scheme, level, models_dir=models_dir)
    if fmt == "table":
        rows = [{**r, "current": "*" if r["current"] else ""} for r in rows]
    emit(rows, COLUMNS, fmt, title=f"{scheme} ({level}) models")


@command.command("use")
@SCHEME_OPTION
@LEVEL_OPTION
@MODELS_DIR_OPTION
@click.argument("version")
@reports_errors
def use_cmd(scheme, level, models_dir, version):
    """Make VERSION the current model of a scheme (its files are checked first).

    Example: pmm models use --scheme gcm gcm-20250101-120000-ab12cd
    """
    from ..train import use_version

    click.echo(f"current {scheme} model: {use_version(scheme, level, version, models_dir=models_dir)}")
