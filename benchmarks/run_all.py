"""Run every benchmark in turn, print its tables, then rebuild the README's figures (`make bench`).

Each benchmark is also a script of its own with options (`--help`); this runner uses sizes that
finish in minutes on a 2-core machine. For the full 10,000-text speed run of the classifiers:
`python benchmarks/bench_classify.py --n 10000`; to retrain every family and measure it afresh
on the held-out texts (~15 minutes): `python benchmarks/bench_classify_heldout.py`.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = [
    ("extraction", ["bench_extract.py"]),
    ("classification", ["bench_classify.py", "--n", "1000"]),
    ("classifiers on held-out texts (their cards)", ["bench_classify_heldout.py", "--from-models"]),
    ("SDG goals judged yes/no on held-out texts", ["bench_sdg_relevance.py"]),
    ("simulated review", ["bench_review.py"]),
    ("second year", ["bench_second_year.py"]),
    ("text layer", ["bench_text.py"]),
    ("suspect labels", ["bench_suspects.py"]),
    ("current models' cards", ["bench_models.py"]),
    ("decompression bombs: peak memory", ["hostile_memory.py"]),
    ("README figures", ["figures.py"]),
]


def main() -> int:
    failed = []
    for title, (script, *args) in RUNS:
        print(f"\n=== {title}: {script} {' '.join(args)}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script), *args]).returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
