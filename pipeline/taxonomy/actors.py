"""The actors that report actions, and finding them named in a text.

The federal bodies of annex 2 and a few more, the 32 federal entities and one municipality, read
from `corpus/taxonomy/actors.csv`. Names are found with spaCy's PhraseMatcher over the tokens of
`pipeline.text` (the same tokenizer cuts the names and the text): names ignoring case and
accents, acronyms ("INM", "S.R.E", "ECONOMÍA") case-sensitively, so the acronym SALUD does not
fire on "servicios de salud".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from ..config import TAXONOMY_DIR
from ..errors import TaxonomyError
from ..text import fold, match_tokens, strip_accents
from .files import ById, check_rows, read_csv

ACTOR_TYPES = ("federal", "autonomous", "legislative", "state", "municipal", "other")
ACTOR_KINDS = ("secretaria", "desconcentrado", "descentralizado", "autonomo", "legislativo",
               "entidad_federativa", "municipio", "otro")
ACTORS_FILE = "actors.csv"
ALIAS_SEPARATOR = "|"

_LEVEL_OF_TYPE = {"federal": "federal", "autonomous": "federal", "legislative": "federal",
                  "state": "state", "municipal": "municipal", "other": "other"}
# A state's own secretaría is often named like a federal one: "Secretaría de Salud del Estado
# de Tabasco" is Tabasco's, not SALUD. Such a name followed by one of these joins the state.
_STATE_QUALIFIERS = {("del",), ("de",), ("de", "la")}


@dataclass(frozen=True)
class Actor:
    """A body that reports actions. `state` is the ISO 3166-2:MX code for state and municipal actors."""

    id: str
    acronym: str
    name_es: str
    name_en: str
    actor_type: str
    kind: str
    state: str | None
    aliases: tuple[str, ...] = ()

    @property
    def level(self) -> str:
        return level_of(self.actor_type)

    def names(self) -> tuple[str, ...]:
        """Every string that names this actor: id, acronym, Spanish name and aliases."""
        seen = dict.fromkeys(n for n in (self.id, self.acronym, self.name_es, *self.aliases) if n)
        return tuple(seen)


def is_acronym(name: str) -> bool:
    # "INM", "S.R.E", "MX-CHP": no spaces, no lower case.
    return " " not in name and name == name.upper() and any(c.isalpha() for c in name)


def _token_key(token: str, keep_case: bool) -> str:
    return strip_accents(token) if keep_case else fold(token)


def _words(text: str, keep_case: bool) -> list[tuple[str, int, int]]:
    return [(_token_key(t, keep_case), start, end) for t, start, end in match_tokens(text)]


def alias_key(name: str) -> tuple[bool, tuple[str, ...]]:
    """What two names must share to be the same name: acronym or not, and the folded tokens."""
    acronym = is_acronym(name)
    return acronym, tuple(word for word, _, _ in _words(name, acronym))


@dataclass(frozen=True)
class _Mention:
    start: int  # token index
    end: int
    length: int  # characters of the name, spaces collapsed: what "longest match" compares
    actor: Actor
    by_acronym: bool


class _AliasMatcher:
    """spaCy PhraseMatchers over folded tokens: one for names, one (case kept) for acronyms."""

    def __init__(self, by_alias: dict):
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc
        from spacy.vocab import Vocab

        self._vocab = Vocab()
        self._doc = Doc
        self._matchers = {False: PhraseMatcher(self._vocab), True: PhraseMatcher(self._vocab)}
        self._found = {}  # match key -> (actor, length)
        for (acronym, words), (actor, length) in by_alias.items():
            if not words:
                continue
            key = f"{int(acronym)}\0{' '.join(words)}"
            self._found[self._vocab.strings.add(key)] = (actor, length)
            self._matchers[acronym].add(key, [Doc(self._vocab, words=list(words))])

    def mentions(self, text: str) -> tuple[list[_Mention], list[str]]:
        """Every name found (the longest at each token, per matcher), and the folded tokens."""
        mentions = []
        folded = []
        for keep_case, matcher in self._matchers.items():
            words = [word for word, _, _ in _words(text, keep_case)]
            if not keep_case:
                folded = words
            if not words:
                continue
            longest = {}
            for match_id, start, end in matcher(self._doc(self._vocab, words=words)):
                actor, length = self._found[match_id]
                if start not in longest or length > longest[start].length:
                    longest[start] = _Mention(start, end, length, actor, keep_case)
            mentions.extend(longest.values())
        return sorted(mentions, key=lambda m: m.start), folded


@dataclass(frozen=True)
class Actors(ById):
    """The actors, in file order, with lookups by id and by the names a text uses."""

    actors: tuple[Actor, ...]
    _by_id: dict = field(init=False, repr=False, compare=False, hash=False)
    _by_alias: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        by_alias = {}
        for actor in self.actors:
            for name in actor.names():
                length = len(" ".join(_token_key(name, is_acronym(name)).split()))
                by_alias.setdefault(alias_key(name), (actor, length))
        object.__setattr__(self, "_by_id", {actor.id: actor for actor in self.actors})
        object.__setattr__(self, "_by_alias", by_alias)

    @functools.cached_property
    def _matcher(self) -> _AliasMatcher:
        return _AliasMatcher(self._by_alias)

    def get(self, actor_id: str) -> Actor:
        try:
            return self._by_id[actor_id]
        except KeyError:
            raise TaxonomyError(f"actors: unknown actor {actor_id!r}") from None

    def states(self) -> tuple[Actor, ...]:
        """The 32 federal entities, in file order."""
        return tuple(actor for actor in self.actors if actor.actor_type == "state")

    def resolve(self, text: str) -> Actor | None:
        """The actor a text names, or None when it names none (never a guess).

        The longest name found wins; among equally long ones, the earliest. "México" alone
        names no actor: it is the country, not the Estado de México.
        """
        mentions = self._mentions(text or "")
        if not mentions:
            return None
        best = max(mentions, key=lambda m: (m.length, -m.start))
        return best.actor

    def mentions(self, text: str) -> tuple[Actor, ...]:
        """Every actor a text names, each once, in order of first mention (longest name at a place)."""
        found = {}
        by_start = sorted(self._mentions(text or ""), key=lambda m: (m.start, -m.length))
        covered_to = -1
        for mention in by_start:
            # A name inside a longer one ("Estado de Chiapas" in "Gobierno del Estado de
            # Chiapas", "Secretaría de Salud" in "Secretaría de Salud de Tabasco") is not a mention.
            if mention.start < covered_to:
                continue
            covered_to = mention.end
            found.setdefault(mention.actor.id, mention.actor)
        return tuple(found.values())

    def _mentions(self, text: str) -> list[_Mention]:
        if not text.strip():
            return []
        mentions, folded = self._matcher.mentions(text)
        return _join_state_bodies(mentions, folded)

    def members(self) -> tuple[Actor, ...]:
        return self.actors


def _join_state_bodies(mentions: list[_Mention], folded: list[str]) -> list[_Mention]:
    joined = list(mentions)
    for body in mentions:
        if body.by_acronym or body.actor.kind != "secretaria":
            continue
        for place in mentions:
            if place.start < body.end or place.actor.actor_type not in ("state", "municipal"):
                continue
            qualifier = tuple(folded[body.end:place.start])
            if qualifier in _STATE_QUALIFIERS:
                length = body.length + len(" ".join(qualifier)) + 2 + place.length
                joined.append(_Mention(body.start, place.end, length, place.actor, False))
    return joined


def level_of(actor_type: str) -> str:
    """The counting level of an actor type: federal (incl. autonomous, legislative), state, municipal, other."""
    try:
        return _LEVEL_OF_TYPE[actor_type]
    except KeyError:
        raise TaxonomyError(f"unknown actor type {actor_type!r} "
                            f"(known: {', '.join(ACTOR_TYPES)})") from None


def build_actors(taxonomy_dir: Path) -> Actors:
    path = taxonomy_dir / ACTORS_FILE
    columns = ("id", "acronym", "name_es", "name_en", "actor_type", "kind", "state", "aliases")
    rows = read_csv(path, columns)
    check_rows(path, rows, ("id", "name_es", "name_en", "actor_type", "kind"))
    types = {row["id"]: row["actor_type"] for _, row in rows}
    actors, lines = [], []
    for line, row in rows:
        if row["actor_type"] not in ACTOR_TYPES:
            raise TaxonomyError(f"{path}: line {line}: unknown actor_type {row['actor_type']!r} "
                                f"(known: {', '.join(ACTOR_TYPES)})")
        if row["kind"] not in ACTOR_KINDS:
            raise TaxonomyError(f"{path}: line {line}: unknown kind {row['kind']!r} "
                                f"(known: {', '.join(ACTOR_KINDS)})")
        needs_state = row["actor_type"] in ("state", "municipal")
        if needs_state and types.get(row["state"]) != "state":
            raise TaxonomyError(f"{path}: line {line}: state {row['state']!r} of {row['id']!r} "
                                f"is not the id of a state actor")
        if not needs_state and row["state"]:
            raise TaxonomyError(f"{path}: line {line}: {row['actor_type']} actor {row['id']!r} "
                                f"must have an empty state, not {row['state']!r}")
        aliases = tuple(a.strip() for a in row["aliases"].split(ALIAS_SEPARATOR) if a.strip())
        actors.append(Actor(id=row["id"], acronym=row["acronym"], name_es=row["name_es"],
                            name_en=row["name_en"], actor_type=row["actor_type"], kind=row["kind"],
                            state=row["state"] or None, aliases=aliases))
        lines.append(line)
    _check_alias_collisions(path, actors, lines)
    return Actors(tuple(actors))


def _check_alias_collisions(path: Path, actors, lines) -> None:
    owner = {}
    for actor, line in zip(actors, lines):
        for name in actor.names():
            other = owner.setdefault(alias_key(name), actor.id)
            if other != actor.id:
                raise TaxonomyError(f"{path}: line {line}: alias {name!r} of {actor.id!r} "
                                    f"also names {other!r}")


@functools.lru_cache(maxsize=None)
def _load_actors_cached(taxonomy_dir: Path) -> Actors:
    return build_actors(taxonomy_dir)


def load_actors(taxonomy_dir: Path = TAXONOMY_DIR) -> Actors:
    """The actors of actors.csv. :raises TaxonomyError: when the file is missing or breaks a rule."""
    return _load_actors_cached(Path(taxonomy_dir).resolve())
