"""Text features that are not embeddings: character n-gram TF-IDF and per-label word weights.

Both are stored as plain arrays and JSON (never pickles): `CharTfidf.to_state()` /
`from_state()`, `Lexicon.to_state()` / `from_state()`.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from ..text import fold, lemma_table
from ..text import stop_words as language_stop_words

TFIDF_NGRAMS = (2, 5)
TFIDF_MAX_FEATURES = 15000
# Texts longer than this are cut for the n-gram features: the first part says what the action is.
TFIDF_MAX_CHARS = 20000

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
STEM_CHARS = 6

# Words every label text of this domain shares, on top of spaCy's Spanish and English stop words:
# they say the text is about migration, never which objective.
DOMAIN_STOP_WORDS = frozenset("""
personas persona migrantes migrante migracion migratoria migratorio migratorias migratorios
migration migrant migrants people persons person mexico mexicanas mexicanos mexicana mexicano
gobierno government estado state programa programme program nacional national
""".split())

# How a word becomes the key it is weighed under. "prefix6": folded and cut to 6 characters;
# "lemma": spaCy's lookup lemma (Spanish table, then English; needs spacy-lookups-data),
# folded; "lemma6": that lemma cut to 6 characters; "snowball": the Snowball Spanish stemmer.
# benchmarks/results/text.json ("word_keys") measures each as a lexicon-only GCM classifier on
# the seed: lookup lemmas rank worse than prefixes (they map "programas" to "programar" and
# leave English forms alone), Snowball at least as well, and it is a published algorithm rather
# than a cut at an arbitrary length.
KEY_KINDS = ("prefix6", "lemma", "lemma6", "snowball")
DEFAULT_KEYS = "snowball"


@functools.lru_cache(maxsize=None)
def stop_words() -> frozenset[str]:
    return language_stop_words() | DOMAIN_STOP_WORDS


def _lemma(word: str) -> str:
    # Measured, not used by default: spacy-lookups-data is a benchmark dependency only.
    lower = word.lower()
    return lemma_table("es").get(lower) or lemma_table("en").get(lower) or lower


@functools.lru_cache(maxsize=None)
def _snowball():
    import snowballstemmer

    return snowballstemmer.stemmer("spanish")


@functools.lru_cache(maxsize=200_000)
def word_key(word: str, kind: str = DEFAULT_KEYS) -> str:
    """The key a word is weighed under ("remesas" ~ "remesa"); see KEY_KINDS."""
    if kind == "prefix6":
        return fold(word)[:STEM_CHARS]
    if kind == "snowball":
        return fold(_snowball().stemWord(word.lower()))
    lemma = fold(_lemma(word))
    return lemma[:STEM_CHARS] if kind == "lemma6" else lemma


def content_words(value: str) -> list[str]:
    """The words of a text that can carry meaning (no stop words, no numbers), as written."""
    stops = stop_words()
    return [w for w in _WORD.findall(value or "") if fold(w) not in stops]


class CharTfidf:
    """Character n-gram TF-IDF (within word boundaries, accents stripped, sublinear tf, L2)."""

    def __init__(self, vocabulary=None, idf=None):
        self.vocabulary = list(vocabulary or [])
        self.idf = None if idf is None else np.asarray(idf, dtype=np.float64)
        self._counter = None

    @classmethod
    def fit(cls, texts, *, extra_texts=()) -> "CharTfidf":
        """Learn the vocabulary and idf from `texts` (+ unlabelled `extra_texts` for the idf)."""
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=TFIDF_NGRAMS, sublinear_tf=True,
                                     strip_accents="unicode", lowercase=True,
                                     max_features=TFIDF_MAX_FEATURES, dtype=np.float32)
        vectorizer.fit([t[:TFIDF_MAX_CHARS] for t in list(texts) + list(extra_texts)])
        vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        return cls(vocabulary, vectorizer.idf_)

    def transform(self, texts) -> sparse.csr_matrix:
        if self._counter is None:
            self._counter = CountVectorizer(analyzer="char_wb", ngram_range=TFIDF_NGRAMS,
                                            strip_accents="unicode", lowercase=True,
                                            vocabulary={t: i for i, t in enumerate(self.vocabulary)},
                                            dtype=np.float32)
        counts = self._counter.transform([t[:TFIDF_MAX_CHARS] for t in texts]).astype(np.float64)
        counts.data = np.log(counts.data) + 1.0  # sublinear tf, as TfidfVectorizer does
        weighted = counts @ sparse.diags(self.idf)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)

    def to_state(self) -> tuple[dict, dict]:
        """(JSON-able dict, arrays) that `from_state` turns back into the same transform."""
        return {"vocabulary": self.vocabulary, "ngrams": list(TFIDF_NGRAMS)}, {"idf": self.idf}

    @classmethod
    def from_state(cls, meta: dict, arrays: dict) -> "CharTfidf":
        return cls(meta["vocabulary"], arrays["idf"])


class Lexicon:
    """Per-label word weights: how much more a word (stem) is used in a label's texts than in
    the others' (class-based TF-IDF). Explains a label with the words of a text."""

    def __init__(self, weights: dict[str, dict[str, float]], keys: str = DEFAULT_KEYS):
        if keys not in KEY_KINDS:
            raise ValueError(f"unknown word keys {keys!r} (known: {', '.join(KEY_KINDS)})")
        self.weights = weights
        self.keys = keys

    def key(self, word: str) -> str:
        return word_key(word, self.keys)

    @classmethod
    def fit(cls, texts, labels, *, top: int = 400, keys: str = DEFAULT_KEYS) -> "Lexicon":
        """:param labels: for each text, the list of its label ids."""
        counts: dict[str, Counter] = defaultdict(Counter)
        for text, text_labels in zip(texts, labels):
            keys_of_text = Counter(word_key(w, keys) for w in content_words(text))
            for label in text_labels:
                counts[label].update(keys_of_text)
        n_labels = len(counts)
        doc_freq = Counter(key for c in counts.values() for key in c)
        weights = {}
        for label, c in counts.items():
            scored = {k: (1 + math.log(n)) * math.log(1 + n_labels / doc_freq[k]) for k, n in c.items()}
            best = sorted(scored.items(), key=lambda kv: -kv[1])[:top]
            peak = best[0][1] if best else 1.0
            weights[label] = {k: round(v / peak, 4) for k, v in best}
        return cls(weights, keys)

    def terms(self, text: str, label: str, *, limit: int = 6) -> list[str]:
        """The words of `text` weighing most for `label`, as written, strongest first."""
        table = self.weights.get(label, {})
        seen = {}
        for word in content_words(text):
            key = self.key(word)
            if key in table and key not in seen:
                seen[key] = (table[key], word)
        return [word for _, word in sorted(seen.values(), key=lambda s: -s[0])[:limit]]

    def score(self, text: str, label: str) -> float:
        """Sum of the label's weights over the text's words, per sqrt(word count)."""
        table = self.weights.get(label, {})
        words = content_words(text)
        if not words:
            return 0.0
        return sum(table.get(self.key(w), 0.0) for w in words) / math.sqrt(len(words))

    def to_state(self) -> dict:
        return {"weights": self.weights, "keys": self.keys}

    @classmethod
    def from_state(cls, meta: dict) -> "Lexicon":
        # Models saved before word keys had a choice used 6-character prefixes.
        return cls(meta["weights"], meta.get("keys", "prefix6"))
