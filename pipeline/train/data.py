"""The examples a classifier learns from: label texts, the seed corpus and human decisions.

Every example is a text with its label ids, a weight, a `kind` (where it comes from), a
language, and a `group`: examples of one group are held out together in cross-validation (an
SDG target's Spanish and English texts and its indicators are one group, so the fold that
tests them has not seen their translation).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ..config import TAXONOMY_DIR
from ..corpus import load_curriculum, load_seed
from ..errors import TaxonomyError
from ..schemes import TEXT_FIELD
from ..store import queries as q
from ..taxonomy import load_scheme
from ..taxonomy.files import read_csv
from .cv import bucket

HINTS_FILE = "label_hints.yaml"
GCM_ACTIONS_FILE = "gcm_actions.csv"
SDG_INDICATORS_FILE = "sdg_indicators.csv"
SDG_AURORA_FILE = "sdg_aurora_terms.csv"
BUILT_BY = "corpus/taxonomy/build_sdg_extras.py"  # writes the two SDG files above
# Example weights, chosen by cross-validation of the training part (benchmarks/tune_classify.py:
# seed actions scored out of fold over the 76, curriculum texts over their training groups).
# Seed 1.0 vs 0.25: seed CV top-1 0.63 vs 0.61, curriculum unchanged; 2.0 costs both. The
# curriculum at half the weight of a label text: texts of a held-out GCM action are then
# matched through that action's own text (es top-1 0.68 -> 0.73, en 0.73 -> 0.80).
# Decisions count fully (they are this team's own convention); the model's memory of decided
# texts makes predictions follow them regardless of weight.
DECISION_WEIGHT = 1.0
SEED_WEIGHT = 1.0
HELDOUT_BUCKETS = 5  # one bucket in five is held out: 20 %
# Curriculum texts, written for pmm as realistic action descriptions (see SEED_WEIGHT).
CURRICULUM_WEIGHT = 0.5
# Kinds of example that are texts written like submissions (not label definitions).
ACTION_LIKE_KINDS = ("seed", "decision", "curriculum")


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...]
    kind: str  # title, description, alias, hint, action, target, indicator, aurora, curriculum, seed, decision
    lang: str  # es, en
    group: str
    weight: float = 1.0
    source_id: str = ""  # seed id, indicator id, action id: what a held-out rule looks at


def heldout_bucket(key: str) -> int:
    """The held-out bucket 0..HELDOUT_BUCKETS-1 of a stable id."""
    return bucket(key, HELDOUT_BUCKETS)


def is_heldout(example: "Example") -> bool:
    """The fixed held-out rule, the same for every version so that two are compared on the same
    examples: seed actions in bucket 0 of their id; curriculum texts in bucket 0 of their *group*
    (the GCM action or programme they illustrate), so texts paraphrasing one action, whoever
    wrote them, are held out together; SDG indicators in bucket 0 of their id (goal level)."""
    if example.kind in ("seed", "indicator"):
        return heldout_bucket(example.source_id) == 0
    if example.kind == "curriculum":
        return heldout_bucket(example.group) == 0
    return False


def load_hints(scheme: str, taxonomy_dir=TAXONOMY_DIR) -> dict[str, dict[str, list[str]]]:
    """{label id: {"es": [...], "en": [...]}} from label_hints.yaml (empty if the scheme has none)."""
    path = taxonomy_dir / HINTS_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path}: cannot be read as YAML ({exc})") from None
    hints = data.get(scheme) or {}
    for label, by_lang in hints.items():
        for lang, texts in (by_lang or {}).items():
            if lang not in ("es", "en") or not all(isinstance(t, str) and t.strip() for t in texts or []):
                raise TaxonomyError(f"{path}: {scheme} {label} {lang}: expected a list of texts "
                                    "under es/en (quote texts that contain ': ')")
    return {str(label): by_lang or {} for label, by_lang in hints.items()}


def label_examples(scheme: str, level: str = "goal", taxonomy_dir=TAXONOMY_DIR) -> list[Example]:
    """The label texts of a scheme, in both languages, as examples of their labels."""
    taxonomy = load_scheme(scheme, level, taxonomy_dir)
    out: list[Example] = []

    def add(text, label, kind, lang, group, source_id=""):
        text = " ".join((text or "").split())
        if text:
            out.append(Example(text, (label,), kind, lang, group, 1.0, source_id))

    if scheme == "sdg":
        _sdg_examples(taxonomy, level, taxonomy_dir, add)
        return out
    for label in taxonomy:
        add(label.name_es, label.id, "title", "es", f"{label.id}:title_es")
        add(label.name_en, label.id, "title", "en", f"{label.id}:title_en")
        add(label.description_es, label.id, "description", "es", f"{label.id}:desc_es")
        add(label.description_en, label.id, "description", "en", f"{label.id}:desc_en")
        for n, alias in enumerate(label.aliases):
            add(alias, label.id, "alias", "es", f"{label.id}:alias{n}")
    if scheme == "gcm":
        for row in gcm_actions(taxonomy_dir):
            for lang in ("es", "en"):
                add(row[f"text_{lang}"], row["objective"], "action", lang,
                    f"{row['objective']}:action{row['letter']}", f"{row['objective']}{row['letter']}")
    for label_id, by_lang in load_hints(scheme, taxonomy_dir).items():
        if label_id not in taxonomy:
            raise TaxonomyError(f"{taxonomy_dir / HINTS_FILE}: {scheme} has no label {label_id!r}")
        for lang, texts in by_lang.items():
            for n, text in enumerate(texts or []):
                add(text, label_id, "hint", lang, f"{label_id}:hint_{lang}{n}")
    return out


def gcm_actions(taxonomy_dir=TAXONOMY_DIR) -> list[dict]:
    """The GCM's lettered actions: [{"objective", "letter", "text_en", "text_es"}]; English from
    gcm_actions.csv (A/RES/73/195), Spanish from the curriculum's renderings (empty if missing)."""
    spanish = {(str(r["objective"]), r["letter"]): r["text"] for r in load_curriculum("gcm-action")}
    rows = [row for _, row in read_csv(taxonomy_dir / GCM_ACTIONS_FILE, ("objective", "letter", "text_en"),
                                       made_by="corpus/taxonomy/build_gcm_actions.py")]
    return [{"objective": r["objective"], "letter": r["letter"], "text_en": r["text_en"],
             "text_es": spanish.get((r["objective"], r["letter"]), "")} for r in rows]


def curriculum_examples(scheme: str, level: str = "goal") -> list[Example]:
    """The curriculum texts of a scheme as examples (kind "curriculum"), primary label first.

    SDG goal models learn a target text as its goal."""
    source = {"gcm": "gcm", "challenge": "challenge", "sdg": "sdg-target"}[scheme]
    out = []
    for row in load_curriculum(source):
        labels = list(row["labels"])
        if scheme == "sdg" and level == "goal":
            labels = list(dict.fromkeys(label.split(".")[0] for label in labels))
        out.append(Example(" ".join(row["text"].split()), tuple(labels), "curriculum", row["lang"],
                           f"curriculum:{row['group']}", CURRICULUM_WEIGHT, row["id"]))
    return out


def _sdg_examples(taxonomy, level, taxonomy_dir, add):
    goal_of = (lambda target: target.split(".")[0])
    label_of = (lambda target: goal_of(target)) if level == "goal" else (lambda target: target)
    if level == "goal":
        for goal in taxonomy:
            add(goal.name_es, goal.id, "title", "es", f"goal{goal.id}")
            add(goal.name_en, goal.id, "title", "en", f"goal{goal.id}")
            for n, alias in enumerate(goal.aliases):
                add(alias, goal.id, "alias", "es" if n == 0 else "en", f"goal{goal.id}")
        targets = load_scheme("sdg", "target", taxonomy_dir)
    else:
        targets = taxonomy
    # At goal level a target and everything under it form one group; at target level the
    # label itself would vanish with its group, so each text is its own group.
    def group(target, suffix):
        return f"target{target}" if level == "goal" else f"target{target}:{suffix}"

    for target in targets:
        add(target.name_es, label_of(target.id), "target", "es", group(target.id, "es"), target.id)
        add(target.name_en, label_of(target.id), "target", "en", group(target.id, "en"), target.id)
    known = set(targets.ids)
    for _, row in read_csv(taxonomy_dir / SDG_INDICATORS_FILE, ("id", "target", "title_es", "title_en"),
                           made_by=BUILT_BY):
        if row["target"] not in known:
            continue
        for lang in ("es", "en"):
            add(row[f"title_{lang}"], label_of(row["target"]), "indicator", lang,
                group(row["target"], f"{row['id']}:{lang}"), row["id"])
    for _, row in read_csv(taxonomy_dir / SDG_AURORA_FILE, ("target", "terms_en"), made_by=BUILT_BY):
        if row["target"] in known:
            add(row["terms_en"].replace(";", ","), label_of(row["target"]), "aurora", "en",
                group(row["target"], "aurora"), row["target"])


def seed_examples() -> list[Example]:
    """The seed corpus (GCM only): each action under the objective(s) the Informe prints it under."""
    return [Example(" ".join(row["text"].split()), tuple(str(o) for o in row["objectives"]), "seed", "es",
                    f"seed:{row['id']}", SEED_WEIGHT, row["id"]) for row in load_seed()]


def decision_examples(engine, scheme: str, level: str = "goal") -> list[Example]:
    """Every human decision in force for the scheme, on the text the decision was about
    (an action's `challenges_text` for the challenge scheme)."""
    if engine is None:
        return []
    with engine.connect() as conn:
        decided = q.current_decisions(conn, scheme=scheme)
        if not decided:
            return []
        actions = {a["id"]: a for a in q.load_actions(conn, ids=[aid for aid, _ in decided])}
    out = []
    for (action_id, _), decision in sorted(decided.items()):
        action = actions.get(action_id)
        text = (action or {}).get(TEXT_FIELD[scheme]) or ""
        text = " ".join(text.split())
        if not text:
            continue
        labels = [str(label) for label in decision["labels"]]
        if scheme == "sdg":
            # Goal models learn target decisions as their goal; target models only targets.
            labels = ([label.split(".")[0] for label in labels] if level == "goal"
                      else [label for label in labels if "." in label])
        labels = tuple(sorted(set(labels), key=q.label_order))
        out.append(Example(text, labels, "decision", "es", f"decision:{action_id}", DECISION_WEIGHT,
                           str(action_id)))
    return out
