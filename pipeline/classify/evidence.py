"""Why a label was assigned: the sentences of the text and the words that weigh most for it.

Evidence is lexical on purpose: a sentence is ranked by the label's word weights (Lexicon,
learnt from the label texts and labelled examples in both languages), so an analyst can see the
very words in the sentence. It costs no extra embedding, which keeps batch classification fast.
"""

from __future__ import annotations

from ..text import split_sentences
from .features import Lexicon

MAX_SENTENCES = 2
MAX_TERMS = 6
# A 1 MB text has thousands of sentences; the ones that explain it are rarely past these.
MAX_CANDIDATE_SENTENCES = 300
MAX_SENTENCE_CHARS = 500


def explain(text: str, labels, lexicon: Lexicon, *, max_sentences: int = MAX_SENTENCES,
            max_terms: int = MAX_TERMS) -> dict[str, dict]:
    """{label: {"sentences": [...], "terms": [...]}} for each of `labels`.

    Sentences are those with the highest score for the label, in text order; when no sentence
    has a word of the label, the first sentence stands for the text.
    """
    sentences = split_sentences(text, limit=MAX_CANDIDATE_SENTENCES) or [" ".join(text.split())]
    head = " ".join(sentences)
    out = {}
    for label in labels:
        scored = [(lexicon.score(s, label), i) for i, s in enumerate(sentences)]
        best = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])[:max_sentences]
        picked = sorted(i for _, i in best) or [0]
        out[label] = {
            "sentences": [_clip(sentences[i]) for i in picked],
            "terms": lexicon.terms(head, label, limit=max_terms),
        }
    return out


def _clip(sentence: str) -> str:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, MAX_SENTENCE_CHARS)
    return sentence[:cut if cut > 0 else MAX_SENTENCE_CHARS] + " …"
