"""The current models' own evaluation, as their cards record it (`pmm train` measures it).

Reads models/<family>/CURRENT's card.json for GCM, SDG goals and SDG targets and writes their
held-out, other-language and calibration figures to benchmarks/results/models.json, so that the
README's table quotes the models in use. Retraining (`pmm train`) and running this again
updates them.

Run:  .venv/bin/python benchmarks/bench_models.py   (seconds: nothing is trained)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import artifacts  # noqa: E402
from pipeline.config import MODELS_DIR  # noqa: E402
from pipeline.schemes import GCM, SDG, TARGET  # noqa: E402

from figures import write_result  # noqa: E402


def card(scheme, level="goal") -> dict:
    card, _ = artifacts.read_verified(artifacts.resolve_version_dir(MODELS_DIR, scheme, level, None))
    return card


def main() -> int:
    gcm, sdg, target = card(GCM), card(SDG), card(SDG, TARGET)
    g, s, t = gcm["metrics"], sdg["metrics"], target["metrics"]
    by_lang = s["heldout_by_language"]
    rows = [
        {"what": "GCM, fixed held-out",
         "figure": f"top-1 {g['heldout']['top1']:.2f}, top-3 {g['heldout']['top3']:.2f}",
         "on": f"{g['heldout']['n']} seed actions never trained on ({gcm['version']})"},
        {"what": "GCM, other language",
         "figure": " / ".join(f"{v['top1']:.2f}" for v in g["language_check"].values()),
         "on": "trained on one language's label texts, tested on the other's (en→es / es→en)"},
        {"what": "SDG goals, held-out",
         "figure": f"top-1 {s['heldout']['top1']:.2f} (es {by_lang['es']['top1']:.2f}, "
                   f"en {by_lang['en']['top1']:.2f}), top-3 {s['heldout']['top3']:.2f}",
         "on": f"{s['heldout']['n']} UN indicator texts never trained on ({sdg['version']})"},
        {"what": "SDG targets, held-out",
         "figure": f"top-1 {t['heldout']['top1']:.2f}, top-3 {t['heldout']['top3']:.2f}",
         "on": f"the same {t['heldout']['n']} indicators, {target['labels']} labels"},
        {"what": "calibration (ECE, every label / top label)",
         "figure": f"GCM {g['heldout']['ece']:.3f} / {g['heldout']['top_label_ece']:.2f}; "
                   f"SDG {s['heldout']['ece']:.3f} / {s['heldout']['top_label_ece']:.2f}",
         "on": "the held-out examples above; reliability tables in the cards"},
    ]
    payload = {"versions": {"gcm": gcm["version"], "sdg": sdg["version"], "sdg-target": target["version"]},
               "metrics": {"gcm": g, "sdg": s, "sdg-target": t}}
    path = write_result("models", payload, rows)
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
