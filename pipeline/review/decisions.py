"""Human decisions: check a label set against the scheme's taxonomy, then append it to the store.

A decision is recorded with who made it, where (page, xlsx, cli), and what the model said at that
moment (its version and the labels it proposed), so that a later model never overwrites it and
its correction can be measured.
"""

import re
from dataclasses import dataclass

from ..errors import BadInput
from ..schemes import GOAL, LEVELS
from ..store import queries as q
from ..text import fold

SOURCES = ("page", "xlsx", "cli", "carried")  # carried: a "como en <año>" proposal accepted
# Between a label id and its name in drop-down lists and suggestion cells: "7 — Abordar y ...".
CHOICE_SEPARATOR = " — "
# A decision that no label of the scheme applies (e.g. an action that reports no challenge).
NO_LABEL_CHOICE = {"es": "(ninguna etiqueta)", "en": "(no label)"}
CHOICE_NAME_MAX = 90


class UnknownLabel(BadInput):
    """A label that is not in the scheme's taxonomy."""

    def __init__(self, source, scheme, label):
        self.scheme = scheme
        self.label = label
        super().__init__(source, f"unknown {scheme} label {label!r}")


@dataclass(frozen=True)
class LabelChoice:
    id: str
    name_es: str
    name_en: str
    aliases: tuple = ()

    def name(self, lang="es") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_es

    def choice(self, lang="es") -> str:
        """"7 — Abordar y reducir las vulnerabilidades…": what a drop-down list shows."""
        name = self.name(lang)
        if len(name) > CHOICE_NAME_MAX:
            name = name[:CHOICE_NAME_MAX - 1].rstrip() + "…"
        return f"{self.id}{CHOICE_SEPARATOR}{name}"


class LabelCatalogue:
    """The labels a human may give in one scheme, in the given order, and how to read them back
    from what a person typed or picked ("7", "7 — Abordar…", "Objetivo 7", a label's name)."""

    def __init__(self, scheme: str, labels: list[LabelChoice]):
        self.scheme = scheme
        self.labels = list(labels)
        self._by_id = {label.id: label for label in self.labels}
        self._by_name = {}
        for label in self.labels:
            for name in (label.name_es, label.name_en, *label.aliases):
                if name:
                    self._by_name.setdefault(fold(name), label.id)

    @property
    def ids(self) -> list[str]:
        return [label.id for label in self.labels]

    def __contains__(self, label_id) -> bool:
        return str(label_id) in self._by_id

    def get(self, label_id) -> LabelChoice | None:
        return self._by_id.get(str(label_id))

    def parse(self, value, *, source="input") -> str | None:
        """The label id a cell or a typed value means; None for "no label".

        :raises UnknownLabel: if it names no label of the scheme.
        """
        text = str(value).strip()
        if text in NO_LABEL_CHOICE.values():
            return None
        if isinstance(value, float) and value.is_integer():  # a spreadsheet turns "7" into 7.0
            text = str(int(value))
        head = text.split(CHOICE_SEPARATOR.strip(), 1)[0].strip()
        head = re.sub(r"^(objetivo|objective|ods|sdg|meta|target)\s+", "", head, flags=re.I)
        if head in self._by_id:
            return head
        folded = fold(text)
        if folded in self._by_name:
            return self._by_name[folded]
        raise UnknownLabel(source, self.scheme, text)


def load_catalogue(scheme: str) -> LabelCatalogue:
    """The labels of `scheme` ("gcm", "sdg", "challenge") from corpus/taxonomy/.

    For "sdg" both the 17 goals and the 169 targets are valid ("10" and "10.7").
    """
    from ..taxonomy import load_scheme

    levels = LEVELS.get(scheme, (GOAL,))  # an unknown scheme: load_scheme says so
    labels = []
    for level in levels:
        taxonomy = load_scheme(scheme, level=level)
        labels.extend(LabelChoice(str(label.id), label.name_es or "", label.name_en or "",
                                  tuple(label.aliases)) for label in taxonomy.labels)
    if len(levels) > 1:  # goals followed by their targets: "10", "10.1", ... "10.c", "11"
        labels.sort(key=lambda label: q.label_order(label.id))
    return LabelCatalogue(scheme, labels)


def validate_labels(catalogue: LabelCatalogue, labels, *, source="decision") -> list[str]:
    """The label ids, checked, deduplicated and in taxonomy order.

    :raises UnknownLabel: naming the first label not in the scheme.
    """
    checked = []
    for label in labels:
        label = str(label).strip()
        if label not in catalogue:
            raise UnknownLabel(source, catalogue.scheme, label)
        if label not in checked:
            checked.append(label)
    return sorted(checked, key=q.label_order)


def model_proposal(prediction) -> tuple[str | None, list[dict]]:
    """What the model proposed for an action: (version, [{"label","score"}]) — its assigned labels,
    or its best label if it assigned none. This is also what "accept" records."""
    if not prediction:
        return None, []
    scores = {item["label"]: item["score"] for item in prediction["labels"]}
    proposed = prediction["assigned"] or [item["label"] for item in prediction["labels"][:1]]
    return prediction["model_version"], [{"label": l, "score": scores.get(l)} for l in proposed]


def record(conn, *, action_id: int, scheme: str, labels, reviewer: str, source: str,
           model_version=None, catalogue: LabelCatalogue | None = None, note=None) -> int:
    """Check `labels` and append the decision, with the prediction it answers; returns its id.

    :param source: where the decision was made, one of SOURCES.
    :param model_version: the model whose prediction the reviewer saw (default: the newest
        that scored the action).
    :raises UnknownLabel: for a label outside the scheme.
    :raises PmmError: for an empty reviewer name or an action that is not stored.
    """
    if source not in SOURCES:
        raise BadInput(f"action {action_id}", f"unknown decision source {source!r}")
    catalogue = catalogue or load_catalogue(scheme)
    labels = validate_labels(catalogue, labels, source=f"action {action_id}")
    prediction = q.latest_predictions(conn, scheme=scheme, model_version=model_version,
                                      action_ids=[action_id]).get(action_id)
    if prediction is None and model_version is not None:
        # The prediction shown has gone (store rebuilt?): keep at least which model it came from.
        prediction = {"model_version": model_version, "labels": [], "assigned": []}
    model_version, model_labels = model_proposal(prediction)
    return q.record_decision(conn, action_id=action_id, scheme=scheme, labels=labels,
                             reviewer=reviewer, source=source, model_version=model_version,
                             model_labels=model_labels, note=note)

