"""How well an extraction recovered actions whose text and objectives are known.

Used by the tests and the benchmark on PDFs rendered from the seed corpus, and usable on any
file for which someone has typed the expected actions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Extraction may vary in whitespace and accent composition: texts are compared in the form the
# store hashes them in.
from ..text import normal_form


@dataclass
class ExtractionScore:
    expected: int
    exactly_one: int  # expected actions found as exactly one record with the same text
    objective_right: int  # … of which the record's stated objectives equal the expected ones
    extra_records: int  # records whose text matches no expected action
    missed: list[str] = field(default_factory=list)  # texts of expected actions not found once

    @property
    def exactly_one_share(self) -> float:
        return self.exactly_one / self.expected if self.expected else 0.0

    @property
    def objective_share(self) -> float:
        return self.objective_right / self.expected if self.expected else 0.0


def score_extraction(records, expected, *, min_similarity: float = 1.0) -> ExtractionScore:
    """Compare records (dicts with `text`, `stated_objectives`) with expected actions (dicts with
    `text`, `objectives`).

    :param min_similarity: below 1, an action also counts as found once when exactly one record
        reads like it (difflib ratio at least this): OCR misreads a letter here and there.
    """
    if min_similarity < 1.0:
        return _score_similar(records, expected, min_similarity)
    found = Counter(normal_form(r["text"]) for r in records)
    objectives = {}
    for record in records:
        objectives.setdefault(normal_form(record["text"]), sorted(record.get("stated_objectives") or []))
    expected_texts = Counter(normal_form(e["text"]) for e in expected)
    one = right = 0
    missed = []
    for action in expected:
        text = normal_form(action["text"])
        if found[text] == expected_texts[text]:
            one += 1
            if objectives[text] == sorted(action["objectives"]):
                right += 1
        else:
            missed.append(text)
    extra = sum(count for text, count in found.items() if text not in expected_texts)
    return ExtractionScore(len(expected), one, right, extra, missed)


def _score_similar(records, expected, min_similarity: float) -> ExtractionScore:
    import difflib

    texts = [normal_form(r["text"]) for r in records]
    matched_records = set()
    one = right = 0
    missed = []
    for action in expected:
        text = normal_form(action["text"])
        hits = []
        for index, candidate in enumerate(texts):
            matcher = difflib.SequenceMatcher(None, text, candidate, autojunk=False)
            if matcher.real_quick_ratio() >= min_similarity and matcher.quick_ratio() >= min_similarity \
                    and matcher.ratio() >= min_similarity:
                hits.append(index)
        if len(hits) == 1:
            one += 1
            matched_records.add(hits[0])
            if sorted(records[hits[0]].get("stated_objectives") or []) == sorted(action["objectives"]):
                right += 1
        else:
            missed.append(text)
    return ExtractionScore(len(expected), one, right, len(records) - len(matched_records), missed)
