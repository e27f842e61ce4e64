"""`pmm taxonomy`: show the label sets and actors, and check the taxonomy files."""

from dataclasses import asdict
from pathlib import Path

import click

from .. import taxonomy
from ..config import TAXONOMY_DIR
from ..schemes import CHALLENGE, GCM, GOAL, SDG, TARGET
from .common import FORMAT_OPTION, emit, reports_errors

# What `show` accepts -> (loader arguments, columns shown in a table; csv/json get every field).
LISTS = {
    "gcm": ((GCM, GOAL), ["id", "name_es", "name_en"]),
    "sdg": ((SDG, GOAL), ["id", "name_es", "aliases"]),
    "sdg-targets": ((SDG, TARGET), ["id", "parent", "name_es"]),
    "challenges": ((CHALLENGE, GOAL), ["id", "name_es", "tables"]),
    "actors": (None, ["id", "acronym", "name_es", "actor_type", "kind", "state"]),
}

DIR_OPTION = click.option("--taxonomy-dir", type=click.Path(file_okay=False, path_type=Path),
                          default=TAXONOMY_DIR, show_default=True,
                          help="Folder holding the taxonomy files.")


@click.group("taxonomy")
def command():
    """Show and check the GCM, SDG and challenge label sets and the actors."""


@command.command("show")
@click.argument("which", type=click.Choice(list(LISTS)))
@FORMAT_OPTION
@DIR_OPTION
@reports_errors
def show(which, fmt, taxonomy_dir):
    """Print one label set or the actors. Example: pmm taxonomy show gcm --format json"""
    scheme_level, table_columns = LISTS[which]
    items = (taxonomy.load_actors(taxonomy_dir) if scheme_level is None
             else taxonomy.load_scheme(*scheme_level, taxonomy_dir=taxonomy_dir))
    rows = [asdict(item) for item in items]
    emit(rows, table_columns, fmt, title=f"{which} ({len(rows)})",
         csv_columns=list(rows[0]) if rows else table_columns)


@command.command("check")
@DIR_OPTION
@reports_errors
def check(taxonomy_dir):
    """Validate every taxonomy file and print how many entries each holds."""
    label_sets, actors = taxonomy.validate(taxonomy_dir)
    for which, (scheme_level, _) in LISTS.items():
        if scheme_level is None:
            levels = [taxonomy.level_of(a.actor_type) for a in actors]
            by_level = ", ".join(f"{level} {levels.count(level)}" for level in dict.fromkeys(levels))
            click.echo(f"actors: {len(actors)} ({by_level})")
        else:
            click.echo(f"{which}: {len(label_sets[scheme_level])}")
    click.echo("taxonomy OK")
