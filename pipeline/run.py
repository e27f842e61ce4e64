"""The whole job in one call: ingest a folder of submissions, classify, report."""

from dataclasses import dataclass, field
from pathlib import Path

from .classify import classify_store
from .ingest import expand_paths, ingest_paths
from .extract.period import normalize_period
from .report import build_report
from .report.compare import build_comparison, default_current
from .review.continuing import refresh_period
from .store import connect
from .store import queries as q

REPORT_DIR = "report"


@dataclass
class RunResult:
    db_url: str
    outcomes: list = field(default_factory=list)
    classified: dict = field(default_factory=dict)
    report: object = None
    second_year: dict = field(default_factory=dict)
    comparison: object = None
    agreement: dict = field(default_factory=dict)

    @property
    def failed(self):
        return [o for o in self.outcomes if o.status == "failed"]


def run_pipeline(inputs, work_dir, *, db_url=None, lang="es", progress=None, period=None,
                 compare=None) -> RunResult:
    """Ingest `inputs` (files or folders) into the store, classify every action, write the report.

    :param work_dir: folder for the store (unless `db_url` is given) and the report (`report/`).
    :param progress: optional callable(stage, done, total) with stage "ingest" or "classify".
    :param period: the inputs' reporting period ("2023"; default: read from their dates); the
        report counts that period, with its duplicates and continuing programmes found.
    :param compare: a period to compare with in the report ("2022").
    """
    period = normalize_period(period)
    compare = normalize_period(compare, source="--compare")
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    db_url = db_url or str(work_dir / "pmm.sqlite")
    engine = connect(db_url)
    result = RunResult(db_url=db_url)
    files = expand_paths([Path(p) for p in inputs])
    ingested = 0

    def on_file(_outcome):
        nonlocal ingested
        ingested += 1
        progress("ingest", ingested, len(files))

    result.outcomes = ingest_paths(engine, files, progress=on_file if progress else None, period=period)
    result.classified = classify_store(
        engine, progress=(lambda done, total: progress("classify", done, total)) if progress else None)
    if compare is not None and period is None:
        with engine.connect() as conn:
            period = default_current(conn, compare)
    # Duplicates and continuing programmes of every period these files brought (or were given).
    found = {o.period for o in result.outcomes if o.status == "stored" and o.period} | ({period} - {None})
    for one in sorted(found):
        result.second_year[one] = refresh_period(engine, period=one)
    result.report = build_report(engine, work_dir / REPORT_DIR, lang=lang, period=period,
                                 documents=("compendio", "informe"))
    if compare is not None:
        result.comparison = build_comparison(engine, work_dir / REPORT_DIR, period=period,
                                             previous=compare, lang=lang, stored=result.report.stored)
    with engine.connect() as conn:
        result.agreement = objective_agreement(conn)
    engine.dispose()
    return result


def objective_agreement(conn) -> dict:
    """Where the GCM objectives come from, and how the model agrees with the submissions.

    :returns: {"actions", "labels_by_source": {"document"|"model"|"human": n},
        "both": actions with stated objectives and a model prediction, "top1_stated": of those,
        how many have the model's best objective among the stated ones, "assigned_overlap": how
        many share at least one assigned objective with the stated ones}.
    """
    predicted = q.latest_predictions(conn, scheme="gcm")
    effective = q.effective_labels(conn, scheme="gcm", predicted=predicted)
    stated = q.stated_objectives(conn)
    by_source: dict[str, int] = {}
    for found in effective.values():
        by_source[found["source"]] = by_source.get(found["source"], 0) + 1
    both = [a for a in stated if a in predicted and predicted[a]["labels"]]
    wanted = {a: {str(o) for o in stated[a]} for a in both}
    return {"actions": len(effective), "labels_by_source": by_source, "both": len(both),
            "top1_stated": sum(predicted[a]["labels"][0]["label"] in wanted[a] for a in both),
            "assigned_overlap": sum(bool(set(predicted[a]["assigned"]) & wanted[a]) for a in both)}

