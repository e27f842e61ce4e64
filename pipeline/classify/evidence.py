"""Why a label was assigned: the sentence of the text that drove it, and its content words.

The sentence: when the model scored the text's sentences one by one (its fast variants, see
`Model.sentence_scores`), the sentence that gives the label its highest probability; otherwise
(one-sentence texts, models without fast variants) the sentences ranked by the label's word
weights. The terms: the content words of that sentence (then of the whole text) that weigh most
for the label in its Lexicon, learnt from the label texts and labelled examples of both
languages; function words and the reporting register ("se brindó", "periodo", "permanente")
never count (features.is_content_word).
"""

from __future__ import annotations

import numpy as np

from ..text import split_sentences
from .features import Lexicon

MAX_SENTENCES = 2
MAX_TERMS = 6
# A 1 MB text has thousands of sentences; the ones that explain it are rarely past these.
MAX_CANDIDATE_SENTENCES = 300
MAX_SENTENCE_CHARS = 500
# A second sentence is shown too when it scores the label nearly as high as the first.
SECOND_SENTENCE_RATIO = 0.8


def explain(text: str, labels, lexicon: Lexicon, all_labels=(), sentence_scores=None, *,
            max_sentences: int = MAX_SENTENCES, max_terms: int = MAX_TERMS) -> dict[str, dict]:
    """{label: {"sentences": [...], "terms": [...]}} for each of `labels`.

    :param all_labels: the model's labels, the columns of `sentence_scores`.
    :param sentence_scores: (sentences, (s, L) scores) from `Model.sentence_scores`, or None.
    """
    if sentence_scores is not None:
        sentences, scores = sentence_scores
    else:
        sentences = split_sentences(text, limit=MAX_CANDIDATE_SENTENCES) or [" ".join(text.split())]
        scores = None
    head = " ".join(sentences)
    column = {label: j for j, label in enumerate(all_labels)}
    out = {}
    for label in labels:
        if scores is not None and label in column:
            p = scores[:, column[label]]
            order = np.argsort(-p, kind="stable")[:max_sentences]
            picked = sorted(i for k, i in enumerate(order) if k == 0 or p[i] >= SECOND_SENTENCE_RATIO * p[order[0]])
            how = "model"
        else:
            scored = [(lexicon.score(s, label), i) for i, s in enumerate(sentences)]
            best = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])[:max_sentences]
            picked = sorted(i for _, i in best) or [0]
            how = "words"
        terms = lexicon.terms(" ".join(sentences[i] for i in picked), label, limit=max_terms)
        terms += [t for t in lexicon.terms(head, label, limit=max_terms) if t not in terms]
        out[label] = {"sentences": [_clip(sentences[i]) for i in picked], "terms": terms[:max_terms],
                      "sentence_by": how}
    return out


def _clip(sentence: str) -> str:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, MAX_SENTENCE_CHARS)
    return sentence[:cut if cut > 0 else MAX_SENTENCE_CHARS] + " …"
