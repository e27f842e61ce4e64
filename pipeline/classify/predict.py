"""Loading a model, and the two ways of using it: JSON lines in/out, and the store.

- `load_model(scheme, level)`: the current (or a named) version, verified against its card.
- `predict_jsonl(model, path_or_lines)`: `{"id", "text"}` lines in, PRODUCT.md's output lines out.
  The whole input is checked before anything is scored, so a bad line 900 stops the run before
  line 1 is written, with the line named.
- `classify_store(engine)`: score every action that lacks a prediction from the current version.
"""

from __future__ import annotations

from pathlib import Path

from .. import artifacts
from ..config import MODELS_DIR
from ..errors import BadInput, UnknownScheme
from ..inputs import MAX_JSONL_BYTES, read_bytes
from ..jsonl import parse_lines
from ..schemes import GOAL, LEVELS, SCHEMES, TEXT_FIELD
from ..store import queries as q
from .model import Model

BATCH = 64
# A text longer than this is refused: no action description is 5 million characters long, and a
# file that is one is almost certainly not JSON lines of actions.
MAX_TEXT_CHARS = 5_000_000
MAX_ID_CHARS = 10_000


def load_model(scheme: str, level: str = GOAL, *, models_dir=MODELS_DIR, version=None) -> Model:
    """The current version of a scheme's model (or `version`), its files checked against the card.

    :raises UnknownScheme: unknown scheme or level.
    :raises ModelIntegrityError: a file differs from its card (nothing of it is loaded).
    :raises PmmError: no such model or version.
    """
    if scheme not in SCHEMES:
        raise UnknownScheme(f"unknown scheme {scheme!r} (known: {', '.join(SCHEMES)})")
    if level not in LEVELS[scheme]:
        raise UnknownScheme(f"scheme {scheme!r} has no level {level!r} (levels: {', '.join(LEVELS[scheme])})")
    path, card, files = artifacts.read_version(models_dir, scheme, level, version)
    return Model.from_files(files, card=card, where=str(path))


def read_jsonl_records(source, *, name=None) -> list[dict]:
    """Parse and check every input line; return [{"id", "text", "line"}].

    :param source: a path, bytes, or an iterable of text lines.
    :raises BadInput: "NAME:LINE: reason" for the first bad line, "NAME: reason" for the file.
    """
    if isinstance(source, (str, Path)):
        name = name or str(source)
        try:
            source = read_bytes(source, max_bytes=MAX_JSONL_BYTES)
        except OSError as exc:
            raise BadInput(name, f"cannot read ({exc.strerror or exc})") from None
    name = name or "input"
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadInput(name, f"not UTF-8 text (byte 0x{source[exc.start]:02x} at offset "
                                 f"{exc.start}); save it as UTF-8") from None
        source = source.splitlines()
    records = []
    for lineno, where, item in parse_lines(source, name):
        if not isinstance(item, dict):
            raise BadInput(where, 'each line must be a JSON object like {"id": ..., "text": ...}')
        if "text" not in item:
            raise BadInput(where, 'missing "text"')
        text = item["text"]
        if not isinstance(text, str):
            raise BadInput(where, f'"text" must be a string, not {type(text).__name__}')
        if not text.strip():
            raise BadInput(where, "empty text")
        if len(text) > MAX_TEXT_CHARS:
            raise BadInput(where, f"text of {len(text):,} characters is over the {MAX_TEXT_CHARS:,} limit")
        identifier = item.get("id")
        if not (identifier is None or isinstance(identifier, (str, int, float))):
            raise BadInput(where, f'"id" must be a string or a number, not {type(identifier).__name__}')
        if isinstance(identifier, str) and len(identifier) > MAX_ID_CHARS:
            raise BadInput(where, f'"id" of {len(identifier):,} characters is over the {MAX_ID_CHARS:,} limit')
        records.append({"id": identifier, "text": text, "line": lineno})
    return records


def predict_jsonl(model: Model, lines_or_path, *, name=None, evidence: bool = True):
    """Yield one output dict per input line: {"id", "labels", "assigned", "evidence", "model_version"}.

    :raises BadInput: naming the input and line, before any output is produced.
    """
    records = read_jsonl_records(lines_or_path, name=name)
    return _predicted(model, records, evidence)


def _predicted(model, records, evidence):
    for start in range(0, len(records), BATCH):
        batch = records[start:start + BATCH]
        for record, result in zip(batch, model.predict([r["text"] for r in batch], evidence=evidence)):
            yield {"id": record["id"], **result, "model_version": model.version}


def classify_store(engine, *, schemes=SCHEMES, models_dir=MODELS_DIR, progress=None,
                   batch: int = BATCH) -> dict[str, int]:
    """Score every stored action that has no prediction from the current model of each scheme.

    The challenge scheme scores an action's `challenges_text`, and only actions that have one.
    Each batch is written in its own transaction: an interruption keeps finished batches and
    the next run carries on where it stopped.

    :param progress: optional callable(done, total) over all schemes.
    :returns: {scheme: number of actions classified now}.
    """
    models = {scheme: load_model(scheme, models_dir=models_dir) for scheme in schemes}
    todo = {}
    with engine.begin() as conn:
        for scheme, model in models.items():
            q.register_model_version(conn, scheme=model.scheme, version=model.version, card=model.card)
            ids = q.actions_lacking_predictions(conn, scheme=scheme, model_version=model.version)
            actions = q.load_actions(conn, ids=ids) if ids else []
            field = TEXT_FIELD[scheme]
            todo[scheme] = [(a["id"], a[field]) for a in actions if (a.get(field) or "").strip()]
    total = sum(len(items) for items in todo.values())
    done = 0
    if progress:
        progress(done, total)
    counts = {}
    for scheme, items in todo.items():
        model = models[scheme]
        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
            results = model.predict([text for _, text in chunk])
            with engine.begin() as conn:
                for (action_id, _), result in zip(chunk, results):
                    q.add_predictions(conn, action_id=action_id, scheme=scheme,
                                      model_version=model.version, labels=result["labels"],
                                      assigned=result["assigned"], evidence=result.get("evidence"))
            done += len(chunk)
            if progress:
                progress(done, total)
        counts[scheme] = len(items)
    return counts

