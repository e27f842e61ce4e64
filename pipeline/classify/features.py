"""Text features that are not embeddings: character n-gram and word TF-IDF, per-label word weights.

All are stored as plain arrays and JSON (never pickles): `CharTfidf` / `WordTfidf`
`.to_state()` / `from_state()`, `Lexicon.to_state()` / `from_state()`.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..text import fold, lemma_table
from ..text import stop_words as language_stop_words

TFIDF_NGRAMS = (2, 5)
TFIDF_MAX_FEATURES = 15000
# Texts longer than this are cut for the n-gram features: the first part says what the action is.
TFIDF_MAX_CHARS = 20000
WORD_MAX_FEATURES = 30000

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
STEM_CHARS = 6

# Words every label text of this domain shares, on top of spaCy's Spanish and English stop words:
# they say the text is about migration, never which objective.
DOMAIN_STOP_WORDS = frozenset("""
personas persona migrantes migrante migracion migratoria migratorio migratorias migratorios
migration migrant migrants people persons person mexico mexicanas mexicanos mexicana mexicano
gobierno government estado state programa programme program nacional national
""".split())
# The reporting register: words every submission uses whatever the action is about ("se brindó",
# "se llevó a cabo", "en el periodo de junio de 2021 a junio de 2022", "su periodo de
# implementación es permanente"). They explain no label, so evidence never shows them.
REGISTER_WORDS = frozenset("""
permanente permanentes periodo periodos implementacion implementaron implemento implementa
brindo brindaron brinda brindan brindar brindado brindada brindados brindadas
llevo llevaron lleva llevan llevar llevado llevada llevados llevadas cabo
realizo realizaron realiza realizan realizar realizado realizada realizados realizadas
efectuo efectuaron efectuado efectuada acciones accion actividades actividad
enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
ano anos fecha fechas total totales respectivamente mismas mismos misma traves ello cual
logro logros lograron resultado resultados meta metas objetivo objetivos forma manera
uno dos tres cuatro cinco seis siete ocho nueve diez primer primera segundo segunda
fuere dicho estipula surge cabal pauta sede contexto
carried out provided provide period during january february march april may june july august
september october november december year years total ongoing activities activity
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
    """spaCy's Spanish and English stop words, the domain's stock and the reporting register."""
    return language_stop_words() | DOMAIN_STOP_WORDS | REGISTER_WORDS


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


def is_content_word(word: str) -> bool:
    """Whether a word can carry a label's meaning: not a stop word of either language, not the
    domain's or the reporting register's common stock."""
    return fold(word) not in stop_words()


def content_words(value: str) -> list[str]:
    """The words of a text that can carry meaning (no stop words, no numbers), as written."""
    stops = stop_words()
    return [w for w in _WORD.findall(value or "") if fold(w) not in stops]


class _Tfidf:
    """TF-IDF over a fixed vocabulary (sublinear tf, L2 rows), fitted with scikit-learn and kept
    as a vocabulary list and an idf array. Subclasses say what a term is (`_analysis()`)."""

    def __init__(self, vocabulary=None, idf=None):
        self.vocabulary = list(vocabulary or [])
        self.idf = None if idf is None else np.asarray(idf, dtype=np.float64)
        self._vectorizer = None

    @classmethod
    def _analysis(cls, n_texts: int | None = None) -> dict:
        """TfidfVectorizer arguments; `n_texts`: how many texts it is fitted on (None: scoring)."""
        raise NotImplementedError

    @classmethod
    def fit(cls, texts, *, extra_texts=()):
        """Learn the vocabulary and idf from `texts` (+ unlabelled `extra_texts` for the idf)."""
        texts = [t[:TFIDF_MAX_CHARS] for t in list(texts) + list(extra_texts)]
        vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **cls._analysis(len(texts)))
        vectorizer.fit(texts)
        vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        return cls(vocabulary, vectorizer.idf_)

    def transform(self, texts) -> sparse.csr_matrix:
        if self._vectorizer is None:
            # scikit-learn's own transform over the stored vocabulary and idf: what fitting gave.
            analysis = {k: v for k, v in self._analysis().items() if k not in ("max_features", "min_df")}
            self._vectorizer = TfidfVectorizer(sublinear_tf=True, **analysis,
                                               vocabulary={t: i for i, t in enumerate(self.vocabulary)})
            self._vectorizer.idf_ = self.idf
        return self._vectorizer.transform([t[:TFIDF_MAX_CHARS] for t in texts])

    def to_state(self) -> tuple[dict, dict]:
        """(JSON-able dict, arrays) that `from_state` turns back into the same transform."""
        return {"vocabulary": self.vocabulary}, {"idf": self.idf}

    @classmethod
    def from_state(cls, meta: dict, arrays: dict):
        return cls(meta["vocabulary"], arrays["idf"])


class CharTfidf(_Tfidf):
    """Character n-gram TF-IDF (within word boundaries, accents stripped): robust to spelling,
    inflection and the two languages sharing word roots."""

    @classmethod
    def _analysis(cls, n_texts: int | None = None) -> dict:
        return {"analyzer": "char_wb", "ngram_range": TFIDF_NGRAMS, "strip_accents": "unicode",
                "lowercase": True, "max_features": TFIDF_MAX_FEATURES}

    def to_state(self) -> tuple[dict, dict]:
        meta, arrays = super().to_state()
        return {**meta, "ngrams": list(TFIDF_NGRAMS)}, arrays


def word_terms(text: str) -> list[str]:
    """A text's terms for word TF-IDF: its content words' keys and each adjacent pair of them
    ("trabaj agricol"), so that a programme's defining phrase counts as one feature."""
    keys = [word_key(w) for w in content_words(text)]
    return keys + [f"{a} {b}" for a, b in zip(keys, keys[1:])]


class WordTfidf(_Tfidf):
    """Word TF-IDF over content-word stems and stem pairs seen in at least two texts: names the
    topic directly where character n-grams spread it over many fragments."""

    @classmethod
    def _analysis(cls, n_texts: int | None = None) -> dict:
        # A handful of texts (a small custom taxonomy) may share no term: keep every term then.
        min_df = 2 if n_texts is None or n_texts >= MIN_TEXTS_FROM else 1
        return {"analyzer": word_terms, "min_df": min_df, "max_features": WORD_MAX_FEATURES}


# The sparse feature sources a variant can read, by source name.
SPARSE_FEATURES = {"tfidf": CharTfidf, "words": WordTfidf}


MIN_TERM_WEIGHT = 0.15
MIN_TEXTS = 2
MIN_TEXTS_FROM = 10


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
    def fit(cls, texts, labels, *, top: int = 400, keys: str = DEFAULT_KEYS,
            min_texts: int = MIN_TEXTS) -> "Lexicon":
        """:param labels: for each text, the list of its label ids.
        :param min_texts: a word counts for a label only if at least this many of the label's
            texts use it (a word of one text, such as a place name, explains no label); labels
            with fewer than MIN_TEXTS_FROM texts keep every word."""
        counts: dict[str, Counter] = defaultdict(Counter)
        texts_with: dict[str, Counter] = defaultdict(Counter)
        for text, text_labels in zip(texts, labels):
            keys_of_text = Counter(word_key(w, keys) for w in content_words(text))
            for label in text_labels:
                counts[label].update(keys_of_text)
                texts_with[label].update(set(keys_of_text))
        n_labels = len(counts)
        doc_freq = Counter(key for c in counts.values() for key in c)
        per_label = Counter(label for text_labels in labels for label in text_labels)
        weights = {}
        for label, c in counts.items():
            needed = min_texts if per_label[label] >= MIN_TEXTS_FROM else 1
            # A word every label uses explains none of them: its weight goes to ~0.
            scored = {k: (1 + math.log(n)) * math.log((1 + n_labels) / doc_freq[k]) for k, n in c.items()
                      if texts_with[label][k] >= needed}
            best = sorted(scored.items(), key=lambda kv: -kv[1])[:top]
            peak = best[0][1] if best else 1.0
            weights[label] = {k: round(v / peak, 4) for k, v in best}
        return cls(weights, keys)

    def terms(self, text: str, label: str, *, limit: int = 6) -> list[str]:
        """The words of `text` weighing most for `label`, as written, strongest first (words that
        weigh under MIN_TERM_WEIGHT of the label's strongest, used by every label alike, left out)."""
        table = self.weights.get(label, {})
        seen = {}
        for word in content_words(text):
            key = self.key(word)
            if table.get(key, 0.0) >= MIN_TERM_WEIGHT and key not in seen:
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
