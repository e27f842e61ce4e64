"""`pmm train`: train a new model version, evaluate it and promote it if it is not worse."""

import click

from ..config import MODELS_DIR
from ..schemes import SCHEMES
from ..store import connect
from .common import LEVEL_OPTION, print_table, reports_errors


@click.command("train")
@click.option("--scheme", type=click.Choice(SCHEMES), required=True)
@LEVEL_OPTION
@click.option("--models-dir", type=click.Path(file_okay=False), default=str(MODELS_DIR), show_default=False,
              help="Folder of trained models (default: the project's models/).")
@click.option("--force", is_flag=True, help="Promote the new version even if the gate refuses it.")
@click.option("--no-store", is_flag=True, help="Ignore the store's human decisions.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the cross-validation folds.")
@click.pass_context
@reports_errors
def command(ctx, scheme, level, models_dir, force, no_store, seed):
    """Train on the label texts, the seed corpus and every human decision in the store.

    The new version is written to models/<scheme>/<version>/ with its card; it becomes current
    unless the gate finds it worse than the current one on the fixed held-out examples (paired
    bootstrap interval of the difference in top-1; the table shows it and the reason).

    Example: pmm --db pmm.sqlite train --scheme gcm
    """
    from ..train import train

    engine = None if no_store else connect(ctx.obj["db_url"])
    result = train(engine, scheme=scheme, level=level, models_dir=models_dir, force=force, seed=seed)
    new, old = result.metrics["heldout"], result.current_metrics or {}
    comparison = result.promotion.get("comparison") or {}
    columns = ["model", "heldout_n", "top1", "top1_primary", "top3", "macro_f1"]
    rows = [{"model": "new " + result.version, "heldout_n": new.get("n"), **{c: new.get(c) for c in columns[2:]}}]
    if old:
        rows.append({"model": "current " + comparison.get("current_version", ""), "heldout_n": old.get("n"),
                     **{c: old.get(c) for c in columns[2:]}})
    if comparison.get("n"):
        rows.append({"model": "new − current (paired)", "heldout_n": comparison["n"],
                     "top1": f"{comparison['diff']:+.3f} [{comparison['low']:+.3f}, {comparison['high']:+.3f}]",
                     "top1_primary": f"only new right {comparison['new_only']}, "
                                     f"only current {comparison['current_only']}"})
    print_table(rows, columns, title=("promoted: " if result.promoted else "kept the current model: ")
                + result.promotion.get("why", ""))
    for part, summary in sorted(result.metrics.get("heldout_by_part", {}).items()):
        click.echo(f"  held out {part}: n={summary.get('n')} top1={summary.get('top1')} "
                   f"top1_primary={summary.get('top1_primary')} top3={summary.get('top3')}")
    seed_cv = result.metrics.get("seed_cv") or {}
    if seed_cv.get("n"):
        click.echo(f"  seed {seed_cv['folds']}-fold CV x{seed_cv['repeats']}: top1 {seed_cv['top1']['mean']:.3f} "
                   f"± {seed_cv['top1']['sd']:.3f}, top3 {seed_cv['top3']['mean']:.3f} ± {seed_cv['top3']['sd']:.3f}")
    click.echo(str(result.path))
