"""How alike two action texts are: the cached sentence embeddings, and a text rule.

Two reports of one programme share most of their wording even when their figures and dates
change, or, when a partner agency reports it in its own words, they share the programme's name
and its figures. So a pair is compared three ways:

- `overlap`: the share of the shorter text's word triples (numbers masked, accents and case
  folded) that the other text has too: 1.0 for a copy, high for next year's version;
- `names` and `figures`: programme names (quoted, or followed by their acronym) and figures
  (numbers of 10 or more that are not years) that both texts state;
- `cosine`: of the texts' embeddings (`pipeline.classify.embed.embed_texts`, cached by text
  hash, so the texts the classifier has seen cost nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..text import fold

DEFAULT_EMBEDDER = "e5"
SHINGLE = 3
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"(?<![\w/.-])(\d{1,3}(?:[,.]\d{3})+|\d+)(?![\w/-]|[.,]\d)")
_QUOTED = re.compile(r"[“«\"]([^”»\"]{4,160})[”»\"]")
# "Grupo de Acción Inmediata (GAI)": the acronym, and the capitalised name before it.
_ACRONYM = re.compile(r"((?:[A-ZÁÉÍÓÚÑ][\wáéíóúñ-]*\s+(?:(?:de|del|la|las|los|el|y|para|en|a)\s+)*){1,10})"
                      r"\(([A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ]{1,11})\)")


def words(text: str) -> list[str]:
    """Folded words, every number as "#" (a new year's figures do not make a new programme)."""
    return ["#" if w.isdigit() else w for w in _WORD.findall(fold(text))]


def shingles(text: str, n: int = SHINGLE) -> frozenset:
    tokens = words(text)
    if len(tokens) < n:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def overlap(a: frozenset, b: frozenset) -> float:
    """|a ∩ b| / min(|a|, |b|): a text inside a longer one still overlaps fully."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def figures(text: str) -> frozenset:
    """Numbers of 10 or more that are not years: "6,542" and "6542" are one figure."""
    found = set()
    for match in _NUMBER.finditer(text or ""):
        value = int(re.sub(r"[,.]", "", match.group(1)))
        if value >= 10 and not 1900 <= value <= 2100:
            found.add(value)
    return frozenset(found)


@lru_cache(maxsize=1)
def _actor_acronyms() -> frozenset:
    """Acronyms of the bodies themselves (INM, COMAR, OIM): naming one is not naming a programme."""
    from ..taxonomy import load_actors

    actors = load_actors()
    names = set()
    for actor in actors:
        for value in (actor.id, getattr(actor, "acronym", ""), *getattr(actor, "aliases", ())):
            if value and value.isupper():
                names.add(fold(value))
    return frozenset(names | {"oim", "acnur", "onu", "unicef", "comar", "ime", "crm", "apf", "dof"})


def names(text: str) -> frozenset:
    """Programme names a text states: quoted ones, and those followed by their acronym (the
    acronym alone counts too, unless it is a body's own, such as INM)."""
    found = set()
    for match in _QUOTED.finditer(text or ""):
        name = " ".join(words(match.group(1)))
        if len(name.split()) >= 2 or len(name) >= 6:
            found.add(name)
    bodies = _actor_acronyms()
    for match in _ACRONYM.finditer(text or ""):
        acronym = fold(match.group(2))
        if acronym in bodies:
            continue
        found.add(acronym)
        name = " ".join(words(match.group(1)))
        if len(name.split()) >= 2:
            found.add(name)
    return frozenset(found)


@dataclass(frozen=True)
class TextFeatures:
    shingles: frozenset
    names: frozenset
    figures: frozenset


def features(text: str) -> TextFeatures:
    return TextFeatures(shingles(text), names(text), figures(text))


def embeddings(texts, embedder: str = DEFAULT_EMBEDDER) -> np.ndarray:
    """(n, dim) unit vectors from the classifier's embedder and its on-disk cache."""
    from ..classify.embed import embed_texts

    texts = list(texts)
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    return embed_texts(texts, embedder)


def cosines(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    if not len(left) or not len(right):
        return np.zeros((len(left), len(right)), dtype=np.float32)
    return left @ right.T
