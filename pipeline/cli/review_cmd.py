"""`pmm review`: the review queue, the spreadsheet round trip, corrections and suspect labels."""

import click

from ..config import CORRECTIONS_DIR
from ..review.queue import STRATEGIES, current_model
from ..schemes import SCHEMES
from ..store import connect
from .common import FORMAT_OPTION, emit, reports_errors


@click.group("review")
def command():
    """Review low-confidence labels: queue, XLSX round trip, corrections, suspects."""


@command.command("queue")
@click.option("--scheme", type=click.Choice(SCHEMES), default="gcm", show_default=True)
@click.option("--strategy", type=click.Choice(STRATEGIES), default="lowest", show_default=True,
              help="lowest: lowest top score first; margin: smallest gap between the two best; "
                   "disagreement: model variants that disagree most first.")
@click.option("--actor", default=None, help="Only actions of this actor id (e.g. INM, MX-CHP).")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@click.option("--include-decided", is_flag=True, help="Also list actions a human already decided.")
@click.option("--variant", "variants", multiple=True,
              help="Model versions compared by --strategy disagreement (default: all).")
@FORMAT_OPTION
@click.pass_context
@reports_errors
def queue(ctx, scheme, strategy, actor, limit, include_decided, variants, fmt):
    """Actions whose labels most need a human, least certain first.

    Example: pmm review queue --scheme gcm --strategy margin --limit 10
    """
    from ..review.queue import review_queue

    engine = connect(ctx.obj["db_url"])
    model = None
    if strategy == "disagreement" and not variants:
        model = current_model(scheme)
    with engine.connect() as conn:
        items = review_queue(conn, scheme=scheme, strategy=strategy, actor=actor, limit=limit,
                             include_decided=include_decided, variants=variants or None, model=model)
    rows = [{"id": i["action_id"], "external_id": i["external_id"], "actor": i["actor"],
             "top": i["suggestions"][0]["label"], "score": round(i["top_score"], 3),
             "margin": round(i["margin"], 3), "disagree": round(i["disagreement"], 3),
             "assigned": ",".join(i["assigned"]), "model_version": i["model_version"],
             "text": i["text"]} for i in items]
    columns = ["id", "external_id", "actor", "top", "score",
               "disagree" if strategy == "disagreement" else "margin", "assigned", "text"]
    if fmt != "table" and rows:
        columns = list(rows[0])
    emit(rows, columns, fmt, title=f"{len(rows)} {scheme} actions to review ({strategy})")


@command.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="pmm_review.xlsx",
              show_default=True, help="The .xlsx file to write.")
@click.option("--scheme", "schemes", type=click.Choice(SCHEMES), multiple=True,
              help="Schemes to export, one sheet each (default: every scheme with predictions).")
@click.option("--strategy", type=click.Choice(STRATEGIES), default="lowest", show_default=True)
@click.option("--actor", default=None, help="Only actions of this actor id.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N rows per scheme.")
@click.option("--include-decided", is_flag=True, help="Also export actions a human already decided.")
@click.option("--lang", type=click.Choice(["es", "en"]), default="es", show_default=True,
              help="Language of the sheet's headings and label names.")
@click.pass_context
@reports_errors
def export(ctx, output, schemes, strategy, actor, limit, include_decided, lang):
    """Write the review queue to a spreadsheet with drop-down lists of valid labels.

    Example: pmm review export -o revision.xlsx --scheme gcm --limit 50
    """
    from ..review.export import export_review_sheet

    engine = connect(ctx.obj["db_url"])
    models = None
    if strategy == "disagreement":
        models = {scheme: current_model(scheme) for scheme in schemes or SCHEMES}
    counts = export_review_sheet(engine, output, schemes=list(schemes) or None, strategy=strategy,
                                 actor=actor, limit=limit, include_decided=include_decided, lang=lang,
                                 models=models)
    detail = ", ".join(f"{scheme}: {n}" for scheme, n in counts.items())
    click.echo(f"{output}: {sum(counts.values())} rows to review ({detail})")


@command.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--reviewer", required=True, help="Who made the decisions (stored with each one).")
@click.pass_context
@reports_errors
def import_(ctx, path, reviewer):
    """Record the decisions of a filled-in review sheet.

    Valid rows are recorded together; rows with an unknown label, an altered text or id, or a
    duplicate are reported with their row number and left out (exit code 1).

    Example: pmm review import revision.xlsx --reviewer "Ana López"
    """
    from ..review.importer import import_review_sheet

    engine = connect(ctx.obj["db_url"])
    report = import_review_sheet(engine, path, reviewer=reviewer)
    click.echo(f"{path}: {len(report.recorded)} decisions recorded, {len(report.rejected)} rows "
               f"rejected, {report.undecided} rows left blank, {report.unchanged} already recorded")
    for problem in report.rejected:
        click.echo(f"  {problem}", err=True)
    if report.rejected:
        ctx.exit(1)


@command.command("decide")
@click.argument("action_id", type=int)
@click.argument("labels", nargs=-1)
@click.option("--scheme", type=click.Choice(SCHEMES), default="gcm", show_default=True)
@click.option("--reviewer", required=True, help="Who decides.")
@click.option("--note", default=None, help="Why (kept with the decision).")
@click.pass_context
@reports_errors
def decide(ctx, action_id, labels, scheme, reviewer, note):
    """Record one decision: the labels an action carries (none: no label applies).

    Example: pmm review decide 12 7 15 --scheme gcm --reviewer "Ana López"
    """
    from ..review.decisions import record

    engine = connect(ctx.obj["db_url"])
    with engine.begin() as conn:
        decision_id = record(conn, action_id=action_id, scheme=scheme, labels=labels,
                             reviewer=reviewer, source="cli", note=note)
    click.echo(f"decision {decision_id}: action {action_id} {scheme} = {', '.join(labels) or '(none)'}")


@command.command("highlight")
@click.argument("action_ids", type=click.IntRange(min=1), nargs=-1, required=True)
@click.option("--reviewer", required=True, help="Who marks them (stored with each mark).")
@click.option("--undo", is_flag=True, help="Withdraw the mark instead (the record is kept).")
@click.option("--note", default=None, help="Why (kept with the mark).")
@click.pass_context
@reports_errors
def highlight(ctx, action_ids, reviewer, undo, note):
    """Mark actions "destacada": the draft Informe proposes them first among their objective's
    main actions (`pmm report --informe`).

    Example: pmm review highlight 12 40 --reviewer "Ana López"
    """
    from ..store import queries as q

    engine = connect(ctx.obj["db_url"])
    with engine.begin() as conn:
        for action_id in action_ids:
            if undo:
                done = q.unmark_highlight(conn, action_id=action_id)
                click.echo(f"action {action_id}: {'unmarked' if done else 'was not marked'}")
            else:
                mark_id = q.mark_highlight(conn, action_id=action_id, reviewer=reviewer, note=note)
                click.echo(f"action {action_id}: destacada (mark {mark_id})")


@command.command("export-corrections")
@click.option("--out-dir", type=click.Path(file_okay=False), default=str(CORRECTIONS_DIR),
              show_default=True, help="Folder for <scheme>.jsonl.")
@click.pass_context
@reports_errors
def export_corrections_(ctx, out_dir):
    """Write the human decisions in force as JSON lines, one file per scheme, for git.

    Example: pmm review export-corrections && git add corpus/corrections
    """
    from ..review.corrections import export_corrections

    engine = connect(ctx.obj["db_url"])
    written = export_corrections(engine, out_dir=out_dir)
    if not written:
        click.echo("no decisions to export")
    for scheme, path in written.items():
        with open(path, encoding="utf-8") as stream:
            count = sum(1 for _ in stream)
        click.echo(f"{path}: {count} {scheme} decisions")


@command.command("suspects")
@click.option("--scheme", type=click.Choice(SCHEMES), default="gcm", show_default=True)
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N suspects.")
@FORMAT_OPTION
@click.pass_context
@reports_errors
def suspects(ctx, scheme, folds, limit, fmt):
    """Seed or human labels that the cross-validated model confidently contradicts.

    Example: pmm review suspects --scheme gcm --limit 10
    """
    from ..train.suspects import find_suspects

    engine = connect(ctx.obj["db_url"])
    found = find_suspects(engine, scheme=scheme, folds=folds)
    if limit is not None:
        found = found[:limit]
    rows = [{"source": s["source"], "id": s["id"], "given": ",".join(s["given"]),
             "given_prob": round(s["given_prob"], 3), "suggested": s["suggested"],
             "suggested_prob": round(s["suggested_prob"], 3),
             "text": s["text"]} for s in found]
    emit(rows, ["source", "id", "given", "given_prob", "suggested", "suggested_prob", "text"], fmt,
          title=f"{len(rows)} suspect {scheme} labels")


# --- the second year: duplicates and continuing programmes -----------------------------------

PERIOD_OPTION = click.option("--period", default=None,
                             help="Reporting period, as the year it ends in (e.g. 2023).")


@command.command("duplicates")
@PERIOD_OPTION
@click.option("--find/--no-find", default=True, show_default=True,
              help="Compare the period's actions again first (embeddings are cached).")
@click.option("--status", type=click.Choice(["open", "resolved", "all"]), default="open",
              show_default=True, help="open: not yet resolved by a person.")
@FORMAT_OPTION
@click.pass_context
@reports_errors
def duplicates_(ctx, period, find, status, fmt):
    """Pairs of actions that may be one programme reported twice (per period).

    Nothing is merged until a person says so: `pmm review resolve A B same|different`.

    Example: pmm review duplicates --period 2023
    """
    from ..review.duplicates import duplicate_rows

    rows = duplicate_rows(connect(ctx.obj["db_url"]), period=period, find=find, status=status)
    columns = ["period", "id", "other", "actors", "why", "score", "resolved", "text"]
    emit(rows, columns, fmt, title=f"{len(rows)} possible duplicates ({status})",
         csv_columns=columns[:-1] + ["reviewer", "text"])


@command.command("resolve")
@click.argument("action_id", type=int)
@click.argument("other_id", type=int)
@click.argument("verdict", type=click.Choice(["same", "different"]))
@click.option("--reviewer", required=True, help="Who decides (stored with the resolution).")
@click.option("--note", default=None, help="Why (kept with the resolution).")
@click.pass_context
@reports_errors
def resolve(ctx, action_id, other_id, verdict, reviewer, note):
    """Say whether two actions are one programme reported twice (same) or not (different).

    Example: pmm review resolve 12 40 same --reviewer "Ana López"
    """
    from ..review.duplicates import resolve_duplicate

    engine = connect(ctx.obj["db_url"])
    with engine.begin() as conn:
        resolution_id = resolve_duplicate(conn, action_id=action_id, other_id=other_id,
                                          verdict=verdict, reviewer=reviewer, source="cli", note=note)
    click.echo(f"resolution {resolution_id}: actions {action_id} and {other_id} are {verdict}")


@command.command("continuing")
@PERIOD_OPTION
@click.option("--scheme", type=click.Choice(SCHEMES), default="gcm", show_default=True)
@click.option("--find/--no-find", default=True, show_default=True,
              help="Link the period's actions to the period before again first.")
@FORMAT_OPTION
@click.pass_context
@reports_errors
def continuing_(ctx, period, scheme, find, fmt):
    """Actions that continue a programme decided last period: its labels, proposed ("como en").

    Example: pmm review continuing --period 2023
    """
    from ..review.continuing import carried_rows

    rows = carried_rows(connect(ctx.obj["db_url"]), scheme=scheme, period=period, find=find)
    emit(rows, ["period", "id", "actor", "como_en", "previous", "labels", "text"], fmt,
         title=f"{len(rows)} {scheme} label sets carried forward, to confirm",
         csv_columns=["period", "id", "actor", "como_en", "previous", "labels", "decided_by", "text"])


@command.command("accept-carried")
@click.argument("action_ids", nargs=-1, type=int)
@PERIOD_OPTION
@click.option("--scheme", type=click.Choice(SCHEMES), default="gcm", show_default=True)
@click.option("--reviewer", required=True, help="Who confirms (stored with each decision).")
@click.pass_context
@reports_errors
def accept_carried_(ctx, action_ids, period, scheme, reviewer):
    """Confirm carried-forward labels in bulk: each becomes a decision by the reviewer.

    Without ACTION_IDS, every pending proposal (of --period, if given) is accepted.

    Example: pmm review accept-carried --period 2023 --reviewer "Ana López"
    """
    from ..extract.period import normalize_period
    from ..review.continuing import accept_carried

    engine = connect(ctx.obj["db_url"])
    with engine.begin() as conn:
        ids = accept_carried(conn, scheme=scheme, reviewer=reviewer, action_ids=action_ids or None,
                             period=normalize_period(period))
    click.echo(f"{len(ids)} {scheme} decisions recorded from last period's labels")
