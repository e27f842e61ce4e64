"""The labelled seed corpus: the example actions of the Informe Ejecutivo 2022 and its printed figures.

`corpus/seed/informe_2022_actions.jsonl` holds one action per line, read by hand from section IV
of the report, each under the GCM objective the report prints it under. It is the only labelled
in-domain data pmm has, so every row is checked on load: a bad row stops the load with the file
and line named, instead of quietly training or evaluating on it.
"""

import functools
import re
from pathlib import Path

import yaml

from .config import SEED_DIR
from .errors import BadInput
from .jsonl import parse_lines

SEED_ACTIONS_FILE = SEED_DIR / "informe_2022_actions.jsonl"
SEED_FIGURES_FILE = SEED_DIR / "informe_2022_figures.yaml"

SEED_KEYS = ("id", "text", "objectives", "actor", "actor_type", "note")
# The keys a classifier or store needs; `note` is for the people who check the seed.
JSONL_KEYS = ("id", "text", "objectives", "actor", "actor_type")
# Kept here rather than imported from the taxonomy so the seed loads without the taxonomy files;
# tests check that both agree actor by actor.
ACTOR_TYPES = ("federal", "autonomous", "legislative", "state", "municipal", "other")
GCM_OBJECTIVES = range(1, 24)
# "<source>-<objective, 2 digits>-<order within the objective, 2 digits>", e.g. "ie2022-07-02".
SEED_ID = re.compile(r"^[a-z0-9]+-(\d{2})-(\d{2})$")

FIGURES_KEYS = ("period", "totals", "states", "objectives_most", "objectives_fewest",
                "challenges_federal", "challenges_state", "state_buckets")


def checked_rows(lines, path, check) -> list[dict]:
    """The rows of a JSON-lines file, each passed to `check(row, where)`, their ids unique.

    :raises BadInput: naming the file and line of the first bad or repeated row.
    """
    rows, seen = [], {}
    for lineno, where, row in parse_lines(lines, path):
        check(row, where)
        if row["id"] in seen:
            raise BadInput(where, f"duplicate id {row['id']!r} (first on line {seen[row['id']]})")
        seen[row["id"]] = lineno
        rows.append(row)
    return rows


def load_seed(path=SEED_ACTIONS_FILE) -> list[dict]:
    """Read and validate the seed actions, in file order.

    :param path: a JSON-lines file with the keys in SEED_KEYS on every line.
    :raises BadInput: naming the file and line of the first bad row.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadInput(path, f"cannot read the seed corpus ({exc.strerror or exc})") from None
    rows = checked_rows(lines, path, check_seed_row)
    if not rows:
        raise BadInput(path, "the seed corpus holds no actions")
    return rows


def check_seed_row(row, where) -> None:
    """Raise BadInput(where, reason) unless `row` is a well-formed seed action."""
    if not isinstance(row, dict):
        raise BadInput(where, "each line must be a JSON object")
    missing = [k for k in SEED_KEYS if k not in row]
    if missing:
        raise BadInput(where, f"missing key(s): {', '.join(missing)}")
    unknown = sorted(set(row) - set(SEED_KEYS))
    if unknown:
        raise BadInput(where, f"unknown key(s): {', '.join(unknown)}")
    if not isinstance(row["id"], str) or not SEED_ID.match(row["id"]):
        raise BadInput(where, f"id {row['id']!r} is not of the form 'ie2022-07-02'")
    if not isinstance(row["text"], str) or not row["text"].strip():
        raise BadInput(where, f"{row['id']}: empty text")
    objectives = row["objectives"]
    # bool is an int subclass: reject it explicitly, `true` is no objective.
    if (not isinstance(objectives, list) or not objectives
            or any(isinstance(o, bool) or not isinstance(o, int) for o in objectives)):
        raise BadInput(where, f"{row['id']}: objectives must be a non-empty list of integers, "
                              f"got {objectives!r}")
    outside = [o for o in objectives if o not in GCM_OBJECTIVES]
    if outside:
        raise BadInput(where, f"{row['id']}: objective(s) {outside} outside 1..23")
    if len(set(objectives)) != len(objectives):
        raise BadInput(where, f"{row['id']}: repeated objective in {objectives}")
    if int(SEED_ID.match(row["id"]).group(1)) != objectives[0]:
        raise BadInput(where, f"{row['id']}: id names objective {row['id'].split('-')[1]} "
                              f"but objectives are {objectives}")
    if row["actor_type"] not in ACTOR_TYPES:
        raise BadInput(where, f"{row['id']}: actor_type {row['actor_type']!r} is not one of "
                              f"{', '.join(ACTOR_TYPES)}")
    if not isinstance(row["note"], str):
        raise BadInput(where, f"{row['id']}: note must be a string")
    # Every seed action counts for some actor; where the text names none, the note says why the
    # chosen one was assigned.
    if not isinstance(row["actor"], str) or not row["actor"].strip():
        raise BadInput(where, f"{row['id']}: actor must be an actor id")


def load_figures(path=SEED_FIGURES_FILE) -> dict:
    """Read the figures the report prints (totals, top/bottom objectives, challenge tables).

    :raises BadInput: if the file cannot be read, is not YAML, or lacks a section.
    """
    path = Path(path)
    try:
        figures = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(path, f"cannot read the figures ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise BadInput(where, f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(figures, dict):
        raise BadInput(path, "the figures file must be a YAML mapping")
    missing = [k for k in FIGURES_KEYS if k not in figures]
    if missing:
        raise BadInput(path, f"missing section(s): {', '.join(missing)}")
    return figures


def seed_as_jsonl_rows(rows) -> list[dict]:
    """The seed rows as plain records for `pmm predict`/training input: notes left out."""
    return [{k: row[k] for k in JSONL_KEYS} for row in rows]


# --- the curriculum ------------------------------------------------------------------------------

CURRICULUM_DIR = SEED_DIR.parent / "curriculum"
# One file per scheme of the writers' rows ("gcm-action": Spanish renderings of the GCM's lettered
# actions, label texts rather than examples).
CURRICULUM_FILES = {"gcm": "gcm.jsonl", "gcm-action": "gcm_actions_es.jsonl",
                    "challenge": "challenge.jsonl", "sdg-target": "sdg_target.jsonl"}
CURRICULUM_KEYS = {"id", "scheme", "lang", "labels", "group", "text", "source", "hard_pair", "why", "writer"}
CURRICULUM_ACTION_KEYS = {"id", "scheme", "objective", "letter", "lang", "text", "source", "writer"}
CURRICULUM_LANGS = ("es", "en")


@functools.lru_cache(maxsize=None)
def _curriculum_label_sets() -> dict[str, frozenset]:
    from .taxonomy import load_scheme

    return {"gcm": frozenset(load_scheme("gcm").ids), "challenge": frozenset(load_scheme("challenge").ids),
            "sdg-target": frozenset(load_scheme("sdg", "target").ids)}


def check_curriculum_row(row, where) -> None:
    """Raise BadInput(where, reason) unless `row` is a well-formed curriculum row."""
    if not isinstance(row, dict):
        raise BadInput(where, "each line must be a JSON object")
    scheme = row.get("scheme")
    if scheme not in CURRICULUM_FILES:
        raise BadInput(where, f"scheme {scheme!r} is not one of {', '.join(CURRICULUM_FILES)}")
    allowed = CURRICULUM_ACTION_KEYS if scheme == "gcm-action" else CURRICULUM_KEYS
    unknown = sorted(set(row) - allowed)
    if unknown:
        raise BadInput(where, f"unknown key(s): {', '.join(unknown)}")
    required = ({"id", "objective", "letter", "lang", "text", "source"} if scheme == "gcm-action"
                else {"id", "lang", "labels", "group", "text", "source"})
    missing = sorted(k for k in required if not row.get(k))
    if missing:
        raise BadInput(where, f"missing key(s): {', '.join(missing)}")
    if not isinstance(row["text"], str) or len(row["text"].split()) < 3:
        raise BadInput(where, f"{row['id']}: text too short")
    if row["lang"] not in CURRICULUM_LANGS:
        raise BadInput(where, f"{row['id']}: lang {row['lang']!r} is not es or en")
    label_sets = _curriculum_label_sets()
    if scheme == "gcm-action":
        if str(row["objective"]) not in label_sets["gcm"] or not str(row["letter"]).isalpha():
            raise BadInput(where, f"{row['id']}: no GCM action {row['objective']}{row['letter']}")
        return
    labels = row["labels"]
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise BadInput(where, f"{row['id']}: labels must be a non-empty list of strings")
    if len(set(labels)) != len(labels):
        raise BadInput(where, f"{row['id']}: repeated label in {labels}")
    bad = [x for x in labels if x not in label_sets[scheme]]
    if bad:
        raise BadInput(where, f"{row['id']}: unknown {scheme} label(s) {bad}")


@functools.lru_cache(maxsize=None)
def _load_curriculum_file(path: Path) -> tuple:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return ()
    except OSError as exc:
        raise BadInput(path, f"cannot read the curriculum ({exc.strerror or exc})") from None
    return tuple(checked_rows(lines, path, check_curriculum_row))


def load_curriculum(scheme: str, folder=None) -> list[dict]:
    """The curriculum rows of one scheme ("gcm", "gcm-action", "challenge", "sdg-target"), checked.

    Training data only: no figure is ever scored on it except through the held-out split the
    training code fixes by group.

    :raises BadInput: naming the file and line of the first bad row.
    """
    if scheme not in CURRICULUM_FILES:
        raise BadInput(scheme, f"no curriculum for {scheme!r} (known: {', '.join(CURRICULUM_FILES)})")
    folder = Path(folder) if folder is not None else CURRICULUM_DIR
    return [dict(row) for row in _load_curriculum_file(folder / CURRICULUM_FILES[scheme])]
