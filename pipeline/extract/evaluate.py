"""How well an extraction recovered actions whose text and objectives are known.

Used by the tests and the benchmark on PDFs rendered from the seed corpus, and usable on any
file for which someone has typed the expected actions.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field


def normalise_text(text: str) -> str:
    """One space between words and composed accents: extraction may vary in both."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


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


def score_extraction(records, expected) -> ExtractionScore:
    """Compare records (dicts with `text`, `stated_objectives`) with expected actions (dicts with
    `text`, `objectives`)."""
    found = Counter(normalise_text(r["text"]) for r in records)
    objectives = {}
    for record in records:
        objectives.setdefault(normalise_text(record["text"]), sorted(record.get("stated_objectives") or []))
    expected_texts = Counter(normalise_text(e["text"]) for e in expected)
    one = right = 0
    missed = []
    for action in expected:
        text = normalise_text(action["text"])
        if found[text] == expected_texts[text]:
            one += 1
            if objectives[text] == sorted(action["objectives"]):
                right += 1
        else:
            missed.append(text)
    extra = sum(count for text, count in found.items() if text not in expected_texts)
    return ExtractionScore(len(expected), one, right, extra, missed)
