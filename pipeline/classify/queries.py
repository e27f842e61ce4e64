"""Expert keyword queries in Scopus boolean syntax: does a text match an SDG's query lines?

The Aurora Universities Network SDG queries v5.0 (CC BY 4.0) describe each SDG target by
Scopus TITLE-ABS-KEY query lines. No maintained Python parser of that syntax exists (the query
parsers on PyPI read Lucene syntax, which has no W/n or PRE/n), so this module parses the
subset the queries use and evaluates it on a plain text:

- terms: "loose phrase" or {exact phrase} or a bare word; `*` any run of characters and `?`
  one character inside a word; punctuation and hyphens separate words ("socio-economic*"
  is the phrase "socio economic*"), case and accents are ignored, and a word without a
  wildcard also matches its plural (-s, -es, -y/-ies), as Scopus's loose phrases do;
- operators, tightest first as Scopus applies them: OR, then W/n and PRE/n (the two sides
  within n words of each other, in either order / the left first), then AND, then AND NOT;
  parentheses group. A proximity operand must be terms joined by OR or proximity, not AND.

A malformed query raises QuerySyntaxError naming the query and the position. The queries are
written for English: matching a Spanish text finds (almost) nothing, and says nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import TAXONOMY_DIR
from ..errors import PmmError, TaxonomyError
from ..taxonomy.files import read_csv
from ..text import fold

QUERIES_FILE = "sdg_aurora_queries.csv"
# A text is matched on its first words only: proximity compares every pair of occurrences, and
# a title, an abstract or an action description is far shorter than this.
MAX_WORDS = 5000
_TOKEN = re.compile(r'\s*(?:(?P<quote>"[^"]*")|(?P<brace>\{[^}]*\})|(?P<open>\()|(?P<close>\))'
                    r'|(?P<prox>(?:W|PRE)/\d+)(?=[\s("{]|$)|(?P<word>[^\s(){}"]+))', re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:[*?][^\W_]*)*[*?]?|[*?][^\W_*?]*", re.UNICODE)
_TEXT_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class QuerySyntaxError(PmmError):
    """A query that is not valid Scopus boolean syntax (the message names it and where)."""


def _words(text: str) -> list[str]:
    """The words of a text, as the queries see them."""
    return _TEXT_WORD.findall(fold(text))


# --- the query tree --------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A word or phrase: its words as patterns (a wildcard word holds `*` or `?`)."""

    words: tuple[str, ...]
    exact: bool = False

    def spans(self, doc: "Document") -> list[tuple[int, int]]:
        first, *rest = self.words
        out = []
        for start in doc.positions(first, self.exact):
            end = start + len(rest)
            if end < len(doc.words) and all(doc.word_matches(start + 1 + i, w, self.exact)
                                            for i, w in enumerate(rest)):
                out.append((start, end))
        return out

    def matches(self, doc) -> bool:
        return bool(self.spans(doc))


@dataclass(frozen=True)
class Or:
    parts: tuple

    def spans(self, doc):
        return sorted({span for part in self.parts for span in part.spans(doc)})

    def matches(self, doc) -> bool:
        return any(part.matches(doc) for part in self.parts)


@dataclass(frozen=True)
class Near:
    """W/n (`ordered` False) or PRE/n (True): at most n words between the two sides."""

    left: object
    right: object
    distance: int
    ordered: bool

    def spans(self, doc):
        right = self.right.spans(doc)
        if not right:
            return []
        out = set()
        for a in self.left.spans(doc):
            for b in right:
                if a[1] < b[0]:
                    gap = b[0] - a[1] - 1
                elif b[1] < a[0] and not self.ordered:
                    gap = a[0] - b[1] - 1
                else:
                    continue  # overlapping, or in the wrong order for PRE/n
                if gap <= self.distance:
                    out.add((min(a[0], b[0]), max(a[1], b[1])))
        return sorted(out)

    def matches(self, doc) -> bool:
        return bool(self.spans(doc))


@dataclass(frozen=True)
class And:
    parts: tuple

    def matches(self, doc) -> bool:
        return all(part.matches(doc) for part in self.parts)


@dataclass(frozen=True)
class AndNot:
    left: object
    right: object

    def matches(self, doc) -> bool:
        return self.left.matches(doc) and not self.right.matches(doc)


# --- parsing ---------------------------------------------------------------------------------

def _lex(query: str) -> list[tuple[str, str, int]]:
    """(kind, value, position) tokens; AND / OR / NOT bare words become operators."""
    tokens, pos = [], 0
    while pos < len(query):
        if query[pos:].strip() == "":
            break
        m = _TOKEN.match(query, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError(f"query {query!r}: unexpected character at {pos}")
        kind = m.lastgroup
        value = m.group(kind)
        at = m.start(kind)
        if kind == "word" and value.upper() in ("AND", "OR", "NOT"):
            kind = value.upper()
        tokens.append((kind, value, at))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, query: str):
        self.query = query
        self.tokens = _lex(query)
        self.i = 0

    def error(self, what: str):
        at = self.tokens[self.i][2] if self.i < len(self.tokens) else len(self.query)
        raise QuerySyntaxError(f"query {self.query!r}: {what} at {at}")

    def peek(self, offset=0):
        j = self.i + offset
        return self.tokens[j][0] if j < len(self.tokens) else None

    def parse(self):
        if not self.tokens:
            raise QuerySyntaxError(f"query {self.query!r}: empty")
        node = self.and_not()
        if self.i < len(self.tokens):
            self.error("unexpected " + repr(self.tokens[self.i][1]))
        return node

    def and_not(self):
        node = self.and_()
        while self.peek() == "AND" and self.peek(1) == "NOT":
            self.i += 2
            node = AndNot(node, self.and_())
        return node

    def and_(self):
        parts = [self.near()]
        while self.peek() == "AND" and self.peek(1) != "NOT":
            self.i += 1
            parts.append(self.near())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def near(self):
        node = self.or_()
        while self.peek() == "prox":
            op = self.tokens[self.i][1].upper()
            self.i += 1
            right = self.or_()
            for side in (node, right):
                if isinstance(side, (And, AndNot)):
                    self.error(f"AND inside an operand of {op}")
            name, n = op.split("/")
            node = Near(node, right, int(n), name == "PRE")
        return node

    def or_(self):
        parts = [self.atom()]
        while self.peek() == "OR":
            self.i += 1
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def atom(self):
        kind = self.peek()
        if kind == "open":
            self.i += 1
            node = self.and_not()
            if self.peek() != "close":
                self.error("missing ')'")
            self.i += 1
            return node
        if kind in ("quote", "brace", "word"):
            value = self.tokens[self.i][1]
            exact = kind == "brace"
            inner = value[1:-1] if kind in ("quote", "brace") else value
            words = tuple(_WORD.findall(fold(inner)))
            if not words or all(set(w) <= set("*?") for w in words):
                self.error(f"empty term {value!r}")
            self.i += 1
            return Term(words, exact)
        if kind is None:
            self.error("query ends where a term was expected")
        self.error(f"a term was expected, not {self.tokens[self.i][1]!r}")


@lru_cache(maxsize=4096)
def parse(query: str):
    """The query's tree (Term / Or / Near / And / AndNot). Raises QuerySyntaxError."""
    return _Parser(query).parse()


# --- matching --------------------------------------------------------------------------------

def _plural_forms(word: str) -> tuple[str, ...]:
    forms = [word, word + "s", word + "es"]
    if word.endswith("y") and len(word) > 2:
        forms.append(word[:-1] + "ies")
    return tuple(forms)


@lru_cache(maxsize=8192)
def _pattern(word: str):
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in word) + r"\Z")


class Document:
    """A text's words and an index of where each occurs, for matching many queries."""

    def __init__(self, text: str):
        self.words = _words(text)[:MAX_WORDS]
        self.where: dict[str, list[int]] = {}
        for i, w in enumerate(self.words):
            self.where.setdefault(w, []).append(i)
        self.vocabulary = sorted(self.where)
        self._cache: dict[tuple[str, bool], frozenset] = {}

    def _matching_words(self, pattern: str, exact: bool) -> frozenset:
        key = (pattern, exact)
        found = self._cache.get(key)
        if found is None:
            if "*" not in pattern and "?" not in pattern:
                found = frozenset(f for f in ((pattern,) if exact else _plural_forms(pattern)) if f in self.where)
            elif pattern.endswith("*") and "*" not in pattern[:-1] and "?" not in pattern:
                prefix = pattern[:-1]
                lo = bisect.bisect_left(self.vocabulary, prefix)
                hi = bisect.bisect_left(self.vocabulary, prefix + "\U0010ffff")
                found = frozenset(self.vocabulary[lo:hi])
            else:
                regex = _pattern(pattern)
                found = frozenset(w for w in self.vocabulary if regex.match(w))
            self._cache[key] = found
        return found

    def positions(self, pattern: str, exact: bool = False) -> list[int]:
        return sorted(i for w in self._matching_words(pattern, exact) for i in self.where[w])

    def word_matches(self, i: int, pattern: str, exact: bool = False) -> bool:
        return self.words[i] in self._matching_words(pattern, exact)


def matches(query: str, text) -> bool:
    """Does `text` (a str or a Document) match the query?"""
    doc = text if isinstance(text, Document) else Document(text)
    return parse(query).matches(doc)


# --- the SDG queries -------------------------------------------------------------------------

@lru_cache(maxsize=4)
def load_queries(taxonomy_dir: Path = TAXONOMY_DIR) -> dict[str, tuple[str, ...]]:
    """{goal id: its query lines} from sdg_aurora_queries.csv, every line parsed once (a
    malformed line is a TaxonomyError naming the file, the target and the reason)."""
    path = Path(taxonomy_dir) / QUERIES_FILE
    out: dict[str, list[str]] = {}
    for line, row in read_csv(path, ("target", "goal", "query"), made_by="corpus/taxonomy/build_sdg_extras.py"):
        try:
            parse(row["query"])
        except QuerySyntaxError as exc:
            raise TaxonomyError(f"{path}: line {line}: target {row['target']}: {exc}") from None
        out.setdefault(str(row["goal"]), []).append(row["query"])
    return {goal: tuple(lines) for goal, lines in out.items()}


def goal_matches(texts, goals, queries=None):
    """(n, len(goals)) booleans: text i matches at least one query line of goal j."""
    import numpy as np

    queries = load_queries() if queries is None else queries
    out = np.zeros((len(texts), len(goals)), dtype=bool)
    for i, text in enumerate(texts):
        doc = Document(text)
        for j, goal in enumerate(goals):
            out[i, j] = any(parse(q).matches(doc) for q in queries.get(str(goal), ()))
    return out
