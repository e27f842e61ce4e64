"""`pmm train`: train a new model version, evaluate it and promote it if it is not worse."""

import click

from ..config import MODELS_DIR
from ..schemes import SCHEMES
from ..store import connect
from .common import print_table, reports_errors


@click.command("train")
@click.option("--scheme", type=click.Choice(SCHEMES), required=True)
@click.option("--level", type=click.Choice(["goal", "target"]), default="goal", show_default=True,
              help="SDG only: goals or targets.")
@click.option("--models-dir", type=click.Path(file_okay=False), default=str(MODELS_DIR), show_default=False,
              help="Folder of trained models (default: the project's models/).")
@click.option("--force", is_flag=True, help="Promote the new version even if it is worse.")
@click.option("--no-store", is_flag=True, help="Ignore the store's human decisions.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the cross-validation folds.")
@click.pass_context
@reports_errors
def command(ctx, scheme, level, models_dir, force, no_store, seed):
    """Train on the label texts, the seed corpus and every human decision in the store.

    The new version is written to models/<scheme>/<version>/ with its card; it becomes current
    only if it does at least as well as the current one on the fixed held-out examples.

    Example: pmm --db pmm.sqlite train --scheme gcm
    """
    from ..train import train

    engine = None if no_store else connect(ctx.obj["db_url"])
    result = train(engine, scheme=scheme, level=level, models_dir=models_dir, force=force, seed=seed)
    new, old = result.metrics["heldout"], result.current_metrics or {}
    rows = [{"model": "new " + result.version, "heldout_n": new.get("n"), "top1": new.get("top1"),
             "top3": new.get("top3"), "macro_f1": new.get("macro_f1")}]
    if old:
        rows.append({"model": "current", "heldout_n": old.get("n"), "top1": old.get("top1"),
                     "top3": old.get("top3"), "macro_f1": old.get("macro_f1")})
    print_table(rows, ["model", "heldout_n", "top1", "top3", "macro_f1"],
                title="promoted" if result.promoted else "kept the current model (new one is worse)")
    click.echo(str(result.path))
