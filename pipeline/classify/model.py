"""A trained classifier for one scheme and level: variants, calibration, thresholds, memory.

Scoring a text:

1. features: embeddings (e5, USE; cached by text hash), character n-gram and word TF-IDF;
2. variants: each a small estimator on one feature (multinomial logistic regression or nearest
   label centroid), giving a probability distribution over the labels;
3. combination: the weighted geometric mean of the variants' distributions, renormalised;
4. calibration: P(label) = softmax(log(p) / T) over the labels, T fitted on out-of-fold scores
   (models saved before it use Platt scaling, sigmoid(a * logit(p) + b), and still load); or,
   for the SDG goals, a per-label relevance head (pipeline.classify.relevance: P(the text is
   about label k) from the distribution, its sentences and the Aurora expert queries);
5. assignment: the labels whose probability reaches their threshold (thresholds chosen on
   out-of-fold scores), at least `min_assigned` (the top label when none passes);
6. memory: a text identical or near-identical (cosine >= memory_similarity) to one a person
   decided gets that decision's labels: predictions follow the decisions.

A model is saved as JSON + a numpy .npz (no pickles) by `to_files`, read back by `from_files`.
"""

from __future__ import annotations

import io
import json

import numpy as np

from ..errors import ModelIntegrityError
from ..text import split_sentences, text_hash
from .embed import EMBEDDERS, embed_texts, get_embedder
from .ensemble import ESTIMATORS, Ensemble, VariantSpec
from .estimators import PlattCalibrator, TemperatureCalibrator
from .evidence import explain
from .features import SPARSE_FEATURES, Lexicon
from .relevance import RelevanceHead, sentence_max

FORMAT = "pmm.classifier.v1"
CALIBRATORS = {"platt": PlattCalibrator, "temperature": TemperatureCalibrator}
# Schemes whose texts list several topics, one per sentence: scored sentence by sentence too.
SENTENCE_WISE_SCHEMES = ("challenge",)
# Evidence: each sentence of a text is scored by the ensemble's fast variants (USE, TF-IDF; e5
# would double the cost of classifying), and an assigned label shows the sentence that scores it
# highest. Texts longer than this many sentences are explained from their first ones.
EVIDENCE_SOURCES = ("use", "tfidf", "words")
MAX_EVIDENCE_SENTENCES = 40


def assigned_matrix(probs, thresholds, min_assigned=1, max_assigned=None) -> np.ndarray:
    """(n, L) booleans, the assignment rule: a label is assigned when it ranks within the best
    `min_assigned`, or reaches its threshold while ranking within the best `max_assigned` (None:
    any rank). Training chooses the thresholds for this very rule (pipeline.train.calibrate)."""
    probs = np.asarray(probs)
    rank = np.argsort(np.argsort(-probs, axis=1, kind="stable"), axis=1, kind="stable")
    limit = probs.shape[1] if max_assigned is None else max(max_assigned, min_assigned)
    return (rank < min_assigned) | ((probs >= np.asarray(thresholds)) & (rank < limit))


class Model:
    """A loaded or freshly fitted classifier. Build it with `pipeline.train.fit_model` or
    `pipeline.classify.load_model`; its fitted parts are plain attributes."""

    def __init__(self, *, scheme, level, version, ensemble, calibrator, variant_calibrators, thresholds,
                 min_assigned=1, max_assigned=None, vectorizers=None, lexicon=None, memory=None, memory_similarity=0.98,
                 memory_weight=0.9, card=None, relevance=None):
        self.scheme = scheme
        self.level = level
        self.version = version
        self.ensemble = ensemble
        self.labels = tuple(ensemble.labels)
        self.calibrator = calibrator
        self.variant_calibrators = dict(variant_calibrators)
        self.thresholds = np.asarray(thresholds, dtype=np.float64)
        self.min_assigned = min_assigned
        self.max_assigned = max_assigned
        # The fitted sparse featurizers by source: {"tfidf": CharTfidf, "words": WordTfidf}.
        self.vectorizers = dict(vectorizers or {})
        self.lexicon = lexicon or Lexicon({})
        # {"source": embedder, "keys": [text sha256], "vectors": (n, d), "labels": (n, L) 0/1}
        self.memory = memory
        self.memory_similarity = memory_similarity
        self.memory_weight = memory_weight
        self.card = card or {}
        # Per-label relevance (pipeline.classify.relevance): when present it gives the scores.
        self.relevance = relevance

    # --- scoring --------------------------------------------------------------------------

    @property
    def variants(self) -> list:
        return list(self.ensemble.variants)

    @property
    def estimators(self) -> dict:
        return self.ensemble.estimators_

    @property
    def sources(self) -> list[str]:
        return self.ensemble.sources

    def features(self, texts, *, known=None, sources=None) -> dict:
        """Feature matrices of `texts` by source name (`sources`: only these; default all)."""
        feats = {}
        for source in self.sources if sources is None else sources:
            if source in SPARSE_FEATURES:
                feats[source] = self.vectorizers[source].transform(texts)
            else:
                feats[source] = embed_texts(texts, get_embedder(source), known=(known or {}).get(source))
        return feats

    def raw_variant_probabilities(self, feats) -> dict[str, np.ndarray]:
        """Each variant's uncalibrated distribution over `self.labels`, (n, L)."""
        return self.ensemble.variant_proba(feats)

    def combine(self, variant_probs: dict[str, np.ndarray]) -> np.ndarray:
        return self.ensemble.combine(variant_probs)

    def mixed(self, texts, *, known=None) -> tuple[np.ndarray, dict]:
        """The variants' combined distribution (n, L), uncalibrated; and the features used."""
        feats = self.features(texts, known=known)
        return self.combine(self.raw_variant_probabilities(feats)), feats

    def scores(self, texts, *, known=None) -> tuple[np.ndarray, dict]:
        """Calibrated P(label applies), (n, L), before memory; and the features used."""
        mixed, feats = self.mixed(texts, known=known)
        if self.relevance is not None:
            return self._relevance_scores(list(texts), mixed), feats
        return self.calibrator.transform(mixed), feats

    def _relevance_scores(self, texts, mixed):
        from .queries import goal_matches

        matches = goal_matches(texts, self.labels) if self.relevance.uses_queries else None
        sentences = None
        if self.relevance.uses_sentences:
            sentences = sentence_max(texts, mixed, lambda parts: self.mixed(parts)[0])
        return self.relevance.transform(mixed, matches, sentences)

    def variant_scores(self, texts) -> dict[str, np.ndarray]:
        """Each variant's calibrated probabilities, {variant name: (n, L)} (label order: `labels`)."""
        texts = list(texts)
        raw = self.raw_variant_probabilities(self.features(texts))
        return {name: self.variant_calibrators[name].transform(p) for name, p in raw.items()}

    def assign(self, probs: np.ndarray) -> list[list[str]]:
        """The labels `assigned_matrix` gives each row, best first."""
        chosen = assigned_matrix(probs, self.thresholds, self.min_assigned, self.max_assigned)
        order = np.argsort(-np.asarray(probs), axis=1, kind="stable")
        return [[self.labels[i] for i in row_order if row_chosen[i]] for row_order, row_chosen in zip(order, chosen)]

    def _max_over_sentences(self, texts, probs):
        """P(label) of a text = the most any one of its sentences (or the whole) says.

        A reported challenge often lists several problems in as many sentences, and each may
        belong to its own category (the Informe: "los retos pueden corresponder a 1 o más
        categorías"); scored as one text, the strongest topic drowns the others."""
        return sentence_max(texts, probs, lambda sentences: self.scores(sentences)[0])

    def sentence_scores(self, texts) -> list:
        """For each text: (its sentences, (s, L) scores of each sentence by the fast variants),
        or None when the text is one sentence or the model has no fast variant."""
        names = [v.name for v in self.variants if v.source in EVIDENCE_SOURCES]
        out = [None] * len(texts)
        if not names:
            return out
        sentences, spans = [], []
        for text in texts:
            parts = split_sentences(text, limit=MAX_EVIDENCE_SENTENCES)
            spans.append((len(sentences), len(sentences) + len(parts)) if len(parts) > 1 else None)
            if len(parts) > 1:
                sentences += parts
        if not sentences:
            return out
        feats = self.features(sentences, sources=[s for s in self.sources if s in EVIDENCE_SOURCES])
        probs = self.ensemble.combine(self.ensemble.variant_proba(feats, only=names))
        return [None if span is None else (sentences[span[0]:span[1]], probs[span[0]:span[1]]) for span in spans]

    def _apply_memory(self, texts, probs, feats):
        """Blend in the decided labels of identical / near-identical texts; return hit rows."""
        hits = {}
        if not self.memory or not len(self.memory["keys"]):
            return hits
        key_row = {k: i for i, k in enumerate(self.memory["keys"])}
        vectors = feats.get(self.memory["source"])
        sims = vectors @ self.memory["vectors"].T if vectors is not None else None
        for row, text in enumerate(texts):
            match = key_row.get(text_hash(text))
            if match is None and sims is not None:
                best = int(np.argmax(sims[row]))
                if sims[row, best] >= self.memory_similarity:
                    match = best
            if match is not None:
                decided = self.memory["labels"][match].astype(np.float64)
                probs[row] = (1 - self.memory_weight) * probs[row] + self.memory_weight * decided
                hits[row] = [self.labels[i] for i in np.flatnonzero(decided)]
        return hits

    def predict(self, texts, *, evidence: bool = True) -> list[dict]:
        """For each text: {"labels": [{"label", "score"}] (all, best first), "assigned": [...],
        "evidence": {label: {"sentences", "terms"}} for the assigned labels}."""
        texts = list(texts)
        if not texts:
            return []
        probs, feats = self.scores(texts)
        if self.scheme in SENTENCE_WISE_SCHEMES:
            probs = self._max_over_sentences(texts, probs)
        if self.memory and self.memory["source"] not in feats:
            feats[self.memory["source"]] = embed_texts(texts, get_embedder(self.memory["source"]))
        hits = self._apply_memory(texts, probs, feats)
        assigned = self.assign(probs)
        by_sentence = self.sentence_scores(texts) if evidence else [None] * len(texts)
        results = []
        for row, text in enumerate(texts):
            order = np.argsort(-probs[row], kind="stable")
            labels = [{"label": self.labels[i], "score": round(float(probs[row, i]), 4)} for i in order]
            chosen = hits.get(row, assigned[row])
            if row in hits:
                chosen = sorted(chosen, key=lambda lab: -probs[row, self.labels.index(lab)])
            result = {"labels": labels, "assigned": chosen}
            if evidence:
                result["evidence"] = explain(text, chosen, self.lexicon, self.labels, by_sentence[row])
                for label in hits.get(row, []):
                    result["evidence"][label]["decided"] = True
            results.append(result)
        return results

    # --- persistence ----------------------------------------------------------------------

    def to_files(self) -> dict[str, bytes]:
        arrays = {"thresholds": self.thresholds}
        for name, estimator in self.estimators.items():
            for key, value in estimator.to_arrays().items():
                # float32 halves the files; the scores move by < 1e-6. The stored training vectors
                # of a nearest-examples variant (most of a file) go to float16: cosines move by
                # < 1e-3, a fraction of the gaps between neighbours.
                if key == "vectors_":
                    value = value.astype(np.float16)
                arrays[f"variant.{name}.{key}"] = value.astype(np.float32) if value.dtype == np.float64 else value
        for key, value in self.calibrator.to_arrays().items():
            arrays[f"calibrator.{key}"] = value
        for name, calibrator in self.variant_calibrators.items():
            arrays[f"variant_calibrator.{name}.coef_"] = calibrator.coef_
        if self.relevance is not None:
            arrays.update({f"relevance.{k}": v for k, v in self.relevance.to_arrays().items()})
        meta = {
            "format": FORMAT, "scheme": self.scheme, "level": self.level, "version": self.version,
            "labels": list(self.labels), "variants": [v.as_dict() for v in self.variants],
            "calibration": next(k for k, c in CALIBRATORS.items() if isinstance(self.calibrator, c)),
            "min_assigned": self.min_assigned, "max_assigned": self.max_assigned,
            "memory_similarity": self.memory_similarity,
            "memory_weight": self.memory_weight,
            "embedders": {s: EMBEDDERS[s].id for s in self.sources if s in EMBEDDERS},
            "lexicon": self.lexicon.to_state(), "tfidf": None, "memory": None,
            "relevance": self.relevance is not None,
        }
        for source, vectorizer in self.vectorizers.items():
            meta[source], state = vectorizer.to_state()
            arrays.update({f"{source}.{k}": v for k, v in state.items()})
        if self.memory:
            meta["memory"] = {"source": self.memory["source"], "keys": list(self.memory["keys"])}
            arrays["memory.vectors"] = np.asarray(self.memory["vectors"], dtype=np.float32)
            arrays["memory.labels"] = np.asarray(self.memory["labels"], dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **{k: np.asarray(v) for k, v in arrays.items()})
        return {"model.json": json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                "arrays.npz": buffer.getvalue()}

    @classmethod
    def from_files(cls, files: dict[str, bytes], *, card=None, where="model") -> "Model":
        """Rebuild a model from the bytes `to_files` wrote (already verified by the caller)."""
        try:
            meta = json.loads(files["model.json"].decode("utf-8"))
            with np.load(io.BytesIO(files["arrays.npz"]), allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except (KeyError, ValueError, UnicodeDecodeError) as exc:
            raise ModelIntegrityError(f"{where}: unreadable model files ({exc})") from None
        if meta.get("format") != FORMAT:
            raise ModelIntegrityError(f"{where}: model format {meta.get('format')!r} is not {FORMAT!r}")
        for source, embedder_id in meta.get("embedders", {}).items():
            if source not in EMBEDDERS or EMBEDDERS[source].id != embedder_id:
                raise ModelIntegrityError(f"{where}: trained with embedder {embedder_id!r}, which this "
                                          f"pmm does not have; retrain with `pmm train`")
        variants = [VariantSpec(**v) for v in meta["variants"]]
        estimators = {}
        for spec in variants:
            prefix = f"variant.{spec.name}."
            sub = {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}
            estimators[spec.name] = ESTIMATORS[spec.kind].from_arrays(sub, **spec.params)
        calibration = meta.get("calibration", "platt")
        if calibration not in CALIBRATORS:
            raise ModelIntegrityError(f"{where}: unknown calibration {calibration!r}; retrain with `pmm train`")
        calibrator = CALIBRATORS[calibration].from_arrays({"coef_": arrays["calibrator.coef_"]})
        variant_calibrators = {spec.name: PlattCalibrator.from_arrays(
            {"coef_": arrays[f"variant_calibrator.{spec.name}.coef_"]}) for spec in variants}
        vectorizers = {source: featurizer.from_state(meta[source], {"idf": arrays[f"{source}.idf"]})
                       for source, featurizer in SPARSE_FEATURES.items() if meta.get(source)}
        memory = None
        if meta.get("memory"):
            memory = {"source": meta["memory"]["source"], "keys": meta["memory"]["keys"],
                      "vectors": arrays["memory.vectors"].astype(np.float32),
                      "labels": arrays["memory.labels"]}
        relevance = None
        if meta.get("relevance"):
            relevance = RelevanceHead.from_arrays({k[len("relevance."):]: v for k, v in arrays.items()
                                                   if k.startswith("relevance.")})
        return cls(scheme=meta["scheme"], level=meta["level"], version=meta["version"],
                   ensemble=Ensemble.from_estimators(variants, meta["labels"], estimators),
                   calibrator=calibrator, variant_calibrators=variant_calibrators,
                   thresholds=arrays["thresholds"], min_assigned=meta["min_assigned"],
                   max_assigned=meta.get("max_assigned"), vectorizers=vectorizers,
                   lexicon=Lexicon.from_state(meta["lexicon"]), memory=memory,
                   memory_similarity=meta["memory_similarity"], memory_weight=meta["memory_weight"],
                   card=card, relevance=relevance)
