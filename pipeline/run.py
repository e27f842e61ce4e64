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

REPORT_DIR = "report"


@dataclass
class RunResult:
    db_url: str
    outcomes: list = field(default_factory=list)
    classified: dict = field(default_factory=dict)
    report: object = None
    second_year: dict = field(default_factory=dict)
    comparison: object = None

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
                                             previous=compare, lang=lang)
    engine.dispose()
    return result

