"""Which model version is current: list the versions, promote one if it is not worse, or pick one."""

from __future__ import annotations

from .. import artifacts
from ..config import MODELS_DIR
from ..errors import PmmError

# Held-out metrics compared for promotion, in order of importance; a new model is "not worse"
# when its sum is at least the current one's on the very same held-out examples.
PROMOTION_METRICS = ("top1", "top3")


def promotion_score(metrics: dict | None) -> float | None:
    if not metrics or not metrics.get("n"):
        return None
    values = [metrics.get(m) for m in PROMOTION_METRICS]
    return None if any(v is None for v in values) else float(sum(values))


def is_not_worse(new: dict | None, current: dict | None) -> bool:
    """True when there is no current model, nothing held out to compare on, or the new model
    scores at least as well on the same held-out examples."""
    new_score, current_score = promotion_score(new), promotion_score(current)
    if current_score is None or new_score is None:
        return True
    return new_score >= current_score - 1e-9


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
                     "heldout_top3": heldout.get("top3")})
    return rows


def use_version(scheme: str, level: str = "goal", version: str = "", *, models_dir=MODELS_DIR) -> str:
    """Make `version` current (after checking its files against its card); return it."""
    known = [path.name for path in artifacts.version_dirs(models_dir, scheme, level)]
    if version not in known:
        raise PmmError(f"{artifacts.family_dir(models_dir, scheme, level)}: no version {version!r} "
                       f"(known: {', '.join(known) or 'none'})")
    artifacts.set_current(models_dir, scheme, level, version)
    return version
