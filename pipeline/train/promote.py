"""Which model version is current: the promotion gate, listing versions, picking one.

The gate compares a new version with the current one on the same fixed held-out examples
(pipeline.train.data.is_heldout), example by example: Δ = new top-1 hit − current top-1 hit.
Its mean and a paired bootstrap 95 % interval say how much better or worse the new one is, and
how sure that is. The new version is refused when it is worse for sure (the whole interval is
below 0) or worse by more than TOLERANCE on the point estimate; otherwise it is promoted. On a
few hundred examples one changed prediction moves Δ by well under the tolerance and cannot
make a model "worse for sure", so one corrected label no longer flips the decision.
"""

from __future__ import annotations

import numpy as np

from .. import artifacts
from ..config import MODELS_DIR
from ..errors import PmmError

TOLERANCE = 0.03  # top-1 the new version may lose (point estimate) and still be promoted
CONFIDENCE = 0.95
RESAMPLES = 4000


def paired_comparison(new_hits, current_hits, *, resamples: int = RESAMPLES, seed: int = 0) -> dict:
    """Mean difference of paired 0/1 outcomes (new − current) with a bootstrap interval.

    :returns: {"n", "new", "current", "diff", "low", "high", "new_only", "current_only"}:
        top-1 of each, their difference and its CONFIDENCE interval, and the discordant pairs
        (examples only the new / only the current version gets right).
    """
    new = np.asarray(new_hits, dtype=float)
    current = np.asarray(current_hits, dtype=float)
    if new.shape != current.shape:
        raise ValueError(f"paired outcomes of different lengths: {new.shape} and {current.shape}")
    n = len(new)
    if n == 0:
        return {"n": 0}
    diff = new - current
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
    tail = (1 - CONFIDENCE) / 2
    return {"n": n, "new": round(float(new.mean()), 4), "current": round(float(current.mean()), 4),
            "diff": round(float(diff.mean()), 4), "low": round(float(np.quantile(means, tail)), 4),
            "high": round(float(np.quantile(means, 1 - tail)), 4),
            "new_only": int(((new == 1) & (current == 0)).sum()),
            "current_only": int(((new == 0) & (current == 1)).sum())}


def gate(comparison: dict | None, *, tolerance: float = TOLERANCE) -> tuple[bool, str]:
    """(promote?, why) from a paired comparison (None: no current model to compare with)."""
    if not comparison:
        return True, "no current model to compare with"
    if not comparison.get("n"):
        return True, "nothing held out to compare on"
    diff, low, high = comparison["diff"], comparison["low"], comparison["high"]
    interval = f"Δtop-1 {diff:+.3f}, {CONFIDENCE:.0%} interval [{low:+.3f}, {high:+.3f}] on {comparison['n']} examples"
    if high < 0:
        return False, f"worse for sure: {interval} lies below 0"
    if diff < -tolerance:
        return False, f"worse by more than the tolerance {tolerance}: {interval}"
    if low > 0:
        return True, f"better for sure: {interval}"
    return True, f"not worse beyond the tolerance {tolerance}: {interval}"


def list_versions(scheme: str, level: str = "goal", *, models_dir=MODELS_DIR) -> list[dict]:
    """Every version of a scheme's model, oldest first, with its held-out metrics."""
    current = artifacts.current_version(models_dir, scheme, level)
    rows = []
    for path in artifacts.version_dirs(models_dir, scheme, level):
        card = artifacts.read_card(path)
        heldout = (card.get("metrics") or {}).get("heldout") or {}
        rows.append({"version": path.name, "current": path.name == current,
                     "created_at": card.get("created_at"), "promoted": card.get("promoted"),
                     "examples": (card.get("training_data") or {}).get("examples"),
                     "decisions": (card.get("training_data") or {}).get("by_kind", {}).get("decision", 0),
                     "heldout_n": heldout.get("n"), "heldout_top1": heldout.get("top1"),
                     "heldout_top3": heldout.get("top3"),
                     "gate": (card.get("promotion") or {}).get("why")})
    return rows


def use_version(scheme: str, level: str = "goal", version: str = "", *, models_dir=MODELS_DIR) -> str:
    """Make `version` current (after checking its files against its card); return it."""
    known = [path.name for path in artifacts.version_dirs(models_dir, scheme, level)]
    if version not in known:
        raise PmmError(f"{artifacts.family_dir(models_dir, scheme, level)}: no version {version!r} "
                       f"(known: {', '.join(known) or 'none'})")
    artifacts.set_current(models_dir, scheme, level, version)
    return version
