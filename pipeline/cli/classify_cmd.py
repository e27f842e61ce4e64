"""`pmm classify`: score the stored actions that lack a prediction from the current models."""

import click

from ..config import MODELS_DIR
from ..schemes import SCHEMES
from .common import print_table, reports_errors


@click.command("classify")
@click.option("--scheme", "schemes", type=click.Choice(SCHEMES), multiple=True,
              help="Only these schemes (repeatable; default: all three).")
@click.option("--models-dir", type=click.Path(file_okay=False), default=str(MODELS_DIR), show_default=False,
              help="Folder of trained models (default: the project's models/).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
@reports_errors
def command(ctx, schemes, models_dir, quiet):
    """Classify every action in the store that has no prediction from the current model.

    Scores and the model version are stored; the challenge scheme scores the challenges text
    of the actions that have one. Running it again only does what is left.

    Example: pmm --db pmm.sqlite classify --scheme gcm
    """
    from ..classify import classify_store
    from ..store import connect

    engine = connect(ctx.obj["db_url"])
    schemes = schemes or SCHEMES
    if quiet:
        counts = classify_store(engine, schemes=schemes, models_dir=models_dir)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("classifying", total=None)
            counts = classify_store(engine, schemes=schemes, models_dir=models_dir,
                                    progress=lambda done, total: bar.update(task, completed=done, total=total))
    print_table([{"scheme": s, "classified": n} for s, n in counts.items()], ["scheme", "classified"])
