"""The label sets pmm classifies into, and the actors that report actions.

Schemes: "gcm" (the 23 GCM objectives), "sdg" (17 goals, or the 169 targets with
level="target") and "challenge" (the Informe's 21 "retos" categories). Actors: the federal
bodies of annex 2 and a few more, the 32 federal entities and one municipality.

Everything is read from plain files in `corpus/taxonomy/` and returned as frozen, ordered
objects. A file that breaks a rule (duplicate id, empty name, dangling reference, an alias
shared by two actors) raises TaxonomyError naming the file, the line and the reason.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import TAXONOMY_DIR
from .errors import TaxonomyError, UnknownScheme

SCHEMES = ("gcm", "sdg", "challenge")
LEVELS = {"gcm": ("goal",), "sdg": ("goal", "target"), "challenge": ("goal",)}
ACTOR_TYPES = ("federal", "autonomous", "legislative", "state", "municipal", "other")
ACTOR_KINDS = ("secretaria", "desconcentrado", "descentralizado", "autonomo", "legislativo",
               "entidad_federativa", "municipio", "otro")
CHALLENGE_TABLES = ("federal", "state")
DEFINITION_SOURCES = ("annex1", "section_v")
LANGUAGES = ("es", "en")

GCM_FILE = "gcm_objectives.csv"
SDG_GOALS_FILE = "sdg_goals.csv"
SDG_TARGETS_FILE = "sdg_targets.csv"
CHALLENGES_FILE = "challenges.yaml"
ACTORS_FILE = "actors.csv"
ALIAS_SEPARATOR = "|"

_LEVEL_OF_TYPE = {"federal": "federal", "autonomous": "federal", "legislative": "federal",
                  "state": "state", "municipal": "municipal", "other": "other"}


# --- text normalisation -------------------------------------------------------------------

def _strip_accent(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    # Keep one character per character, so offsets in folded text are offsets in the original.
    return base if len(base) == 1 else char


def normalize(text: str) -> str:
    """Casefold, strip accents and collapse whitespace: "  Migración\\nIRREGULAR " -> "migracion irregular"."""
    stripped = "".join(_strip_accent(c) for c in text)
    return " ".join(stripped.casefold().split())


def _lookup_key(text: str) -> str:
    # Printed names differ from the headings in commas, periods and slashes
    # ("Proporcionar a los migrantes, acceso..." vs "...migrantes acceso..."), never in words.
    return " ".join(re.sub(r"[^\w\s]", " ", normalize(text)).split())


# --- labels ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Label:
    """One label of a scheme. For zero-shot use, the text of a label is name + description.

    description: gcm -> "" / the commitment paragraph (en); sdg goal -> ""; sdg target -> its
    text; challenge -> its definition. aliases: sdg goal -> its short names; challenge -> the
    other names printed for it in the Informe. tables: challenge -> count tables that use it.
    """

    id: str
    name_es: str
    name_en: str
    description_es: str = ""
    description_en: str = ""
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()

    def name(self, lang: str = "es") -> str:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
        return self.name_es if lang == "es" else self.name_en

    def description(self, lang: str = "es") -> str:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
        return self.description_es if lang == "es" else self.description_en


@dataclass(frozen=True)
class Taxonomy:
    """The ordered, immutable labels of one scheme at one level."""

    scheme: str
    level: str
    labels: tuple[Label, ...]
    _by_id: dict = field(init=False, repr=False, compare=False, hash=False)
    _by_key: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        by_id = {label.id: label for label in self.labels}
        by_key = {}
        for label in self.labels:
            for text in (label.id, label.name_es, label.name_en, *label.aliases):
                by_key.setdefault(_lookup_key(text), label)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_key", by_key)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(label.id for label in self.labels)

    def get(self, label_id: str) -> Label:
        try:
            return self._by_id[label_id]
        except KeyError:
            raise TaxonomyError(f"{self.scheme} ({self.level}): unknown label {label_id!r}") from None

    def find(self, name_or_alias: str) -> Label | None:
        """The label whose id, name or alias this is (case, accents and punctuation ignored)."""
        if name_or_alias in self._by_id:
            return self._by_id[name_or_alias]
        return self._by_key.get(_lookup_key(name_or_alias))

    def __iter__(self):
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __contains__(self, label_id) -> bool:
        return label_id in self._by_id


# --- actors ------------------------------------------------------------------------------

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


def _is_acronym(name: str) -> bool:
    # "INM", "S.R.E", "MX-CHP": no spaces, no lower case. They match case-sensitively, so the
    # acronym SALUD does not fire on "servicios de salud".
    return " " not in name and name == name.upper() and any(c.isalpha() for c in name)


def _fold(text: str, keep_case: bool) -> str:
    """Accent-free text with exactly one character per input character (offsets are kept)."""
    chars = []
    for char in text:
        char = _strip_accent(char)
        if not keep_case:
            lower = char.lower()
            char = lower if len(lower) == 1 else char
        chars.append(" " if char.isspace() else char)
    return "".join(chars)


def _alias_key(name: str) -> str:
    return " ".join(_fold(name, keep_case=_is_acronym(name)).split())


def _alias_pattern(keys) -> re.Pattern | None:
    if not keys:
        return None
    # Longest first, so at each position the alternation takes the longest alias that fits.
    parts = [r"\s+".join(re.escape(word) for word in key.split())
             for key in sorted(keys, key=len, reverse=True)]
    return re.compile(r"(?<!\w)(?=(" + "|".join(parts) + r")(?!\w))")


# A state's own secretaría is often named like a federal one: "Secretaría de Salud del Estado
# de Tabasco" is Tabasco's, not SALUD. Such a name followed by one of these joins the state.
_STATE_QUALIFIER = re.compile(r"\s+(?:del|de(?:\s+la)?)\s+")


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    length: int  # length of the alias, whitespace collapsed: what "longest match" compares
    actor: Actor
    by_acronym: bool


@dataclass(frozen=True)
class Actors:
    """The actors, in file order, with lookups by id and by the names a text uses."""

    actors: tuple[Actor, ...]
    _by_id: dict = field(init=False, repr=False, compare=False, hash=False)
    _by_alias: dict = field(init=False, repr=False, compare=False, hash=False)
    _patterns: tuple = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        by_alias = {}
        for actor in self.actors:
            for name in actor.names():
                by_alias.setdefault((_is_acronym(name), _alias_key(name)), actor)
        words = [key for (acronym, key) in by_alias if not acronym]
        acronyms = [key for (acronym, key) in by_alias if acronym]
        object.__setattr__(self, "_by_id", {actor.id: actor for actor in self.actors})
        object.__setattr__(self, "_by_alias", by_alias)
        object.__setattr__(self, "_patterns", (_alias_pattern(words), _alias_pattern(acronyms)))

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

        The longest alias found at word boundaries wins; among equally long ones, the
        earliest. Names are matched ignoring case and accents, acronyms case-sensitively.
        "México" alone names no actor: it is the country, not the Estado de México.
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
        text = unicodedata.normalize("NFC", text)  # so that one folded character is one letter
        mentions = []
        for keep_case, pattern in zip((False, True), self._patterns):
            if pattern is None:
                continue
            folded = _fold(text, keep_case)
            for match in pattern.finditer(folded):
                key = " ".join(match.group(1).split())
                actor = self._by_alias[(keep_case, key)]
                mentions.append(_Mention(match.start(1), match.end(1), len(key), actor, keep_case))
        return _join_state_bodies(sorted(mentions, key=lambda m: m.start), _fold(text, False))

    def __iter__(self):
        return iter(self.actors)

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, actor_id) -> bool:
        return actor_id in self._by_id


def _join_state_bodies(mentions: list[_Mention], folded: str) -> list[_Mention]:
    joined = list(mentions)
    for body in mentions:
        if body.by_acronym or body.actor.kind != "secretaria":
            continue
        for place in mentions:
            if place.start < body.end or place.actor.actor_type not in ("state", "municipal"):
                continue
            qualifier = _STATE_QUALIFIER.fullmatch(folded, body.end, place.start)
            if qualifier:
                length = body.length + len(" ".join(qualifier.group().split())) + 2 + place.length
                joined.append(_Mention(body.start, place.end, length, place.actor, False))
    return joined


def level_of(actor_type: str) -> str:
    """The counting level of an actor type: federal (incl. autonomous, legislative), state, municipal, other."""
    try:
        return _LEVEL_OF_TYPE[actor_type]
    except KeyError:
        raise TaxonomyError(f"unknown actor type {actor_type!r} "
                            f"(known: {', '.join(ACTOR_TYPES)})") from None


# --- reading and checking the files --------------------------------------------------------

def _nfc(text: str) -> str:
    # A decomposed accent ("o" + U+0301) would make two equal-looking names differ.
    return unicodedata.normalize("NFC", text).strip()


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    """(line number, row) pairs; the header is line 1."""
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise TaxonomyError(f"{path}: missing column(s) {', '.join(missing)}")
            return [(reader.line_num, {k: _nfc(v or "") for k, v in row.items() if k})
                    for row in reader]
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file not found") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise TaxonomyError(f"{path}: cannot be read as UTF-8 CSV ({exc})") from None


def _check_rows(path: Path, rows, required: tuple[str, ...]) -> None:
    """Unique ids and no empty required cells."""
    first_line = {}
    for line, row in rows:
        for column in required:
            if not row.get(column):
                raise TaxonomyError(f"{path}: line {line}: empty {column}")
        row_id = row["id"]
        if row_id in first_line:
            raise TaxonomyError(f"{path}: line {line}: duplicate id {row_id!r} "
                                f"(first on line {first_line[row_id]})")
        first_line[row_id] = line


def _check_lookup_keys(path: Path, scheme: str, labels, lines) -> None:
    # find() must not be ambiguous: no name or alias may stand for two labels.
    owner = {}
    for label, line in zip(labels, lines):
        for text in {label.name_es, label.name_en, *label.aliases}:
            key = _lookup_key(text)
            if owner.setdefault(key, label.id) != label.id:
                raise TaxonomyError(f"{path}: line {line}: {scheme} name {text!r} of {label.id!r} "
                                    f"is also a name of {owner[key]!r}")


def _build_gcm(taxonomy_dir: Path) -> Taxonomy:
    path = taxonomy_dir / GCM_FILE
    columns = ("id", "title_es", "title_en", "commitment_en")
    rows = _read_csv(path, columns)
    _check_rows(path, rows, ("id", "title_es", "title_en"))
    labels = tuple(Label(id=row["id"], name_es=row["title_es"], name_en=row["title_en"],
                         description_en=row["commitment_en"]) for _, row in rows)
    _check_lookup_keys(path, "gcm", labels, [line for line, _ in rows])
    return Taxonomy("gcm", "goal", labels)


def _build_sdg_goals(taxonomy_dir: Path) -> Taxonomy:
    path = taxonomy_dir / SDG_GOALS_FILE
    columns = ("id", "short_es", "short_en", "title_es", "title_en")
    rows = _read_csv(path, columns)
    _check_rows(path, rows, columns)
    labels = tuple(Label(id=row["id"], name_es=row["title_es"], name_en=row["title_en"],
                         aliases=(row["short_es"], row["short_en"])) for _, row in rows)
    _check_lookup_keys(path, "sdg", labels, [line for line, _ in rows])
    return Taxonomy("sdg", "goal", labels)


def _build_sdg_targets(taxonomy_dir: Path) -> Taxonomy:
    goals = _build_sdg_goals(taxonomy_dir)
    path = taxonomy_dir / SDG_TARGETS_FILE
    columns = ("id", "goal", "title_es", "title_en")
    rows = _read_csv(path, columns)
    _check_rows(path, rows, columns)
    for line, row in rows:
        if row["goal"] not in goals:
            raise TaxonomyError(f"{path}: line {line}: target {row['id']!r} has unknown goal "
                                f"{row['goal']!r} (not in {SDG_GOALS_FILE})")
    labels = tuple(Label(id=row["id"], name_es=row["title_es"], name_en=row["title_en"],
                         description_es=row["title_es"], description_en=row["title_en"],
                         parent=row["goal"]) for _, row in rows)
    return Taxonomy("sdg", "target", labels)


def _read_challenges(path: Path) -> list:
    try:
        with open(path, encoding="utf-8") as stream:
            items = yaml.safe_load(stream)
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file not found") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path}: cannot be read as UTF-8 YAML ({exc})") from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise TaxonomyError(f"{path}: expected a list of categories (mappings)")
    return items


def _build_challenges(taxonomy_dir: Path) -> Taxonomy:
    path = taxonomy_dir / CHALLENGES_FILE
    items = _read_challenges(path)
    required = ("id", "name_es", "name_en", "definition_es", "definition_en")
    # YAML has no line numbers once parsed: errors name the item, 1-based, and its id.
    rows = [(f"item {n} ({item.get('id', '?')})", item) for n, item in enumerate(items, 1)]
    labels = []
    seen = {}
    for where, item in rows:
        for key in required:
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise TaxonomyError(f"{path}: {where}: empty {key}")
        if item["id"] in seen:
            raise TaxonomyError(f"{path}: {where}: duplicate id {item['id']!r} (first at {seen[item['id']]})")
        seen[item["id"]] = where
        if item.get("definition_source") not in DEFINITION_SOURCES:
            raise TaxonomyError(f"{path}: {where}: definition_source must be one of "
                                f"{', '.join(DEFINITION_SOURCES)}, not {item.get('definition_source')!r}")
        aliases = item.get("aliases_es") or []
        tables = item.get("tables") or []
        if not all(isinstance(a, str) and a.strip() for a in aliases):
            raise TaxonomyError(f"{path}: {where}: aliases_es must be a list of non-empty names")
        unknown = [t for t in tables if t not in CHALLENGE_TABLES]
        if unknown:
            raise TaxonomyError(f"{path}: {where}: unknown table(s) {unknown} "
                                f"(known: {', '.join(CHALLENGE_TABLES)})")
        labels.append(Label(id=item["id"], name_es=_nfc(item["name_es"]), name_en=_nfc(item["name_en"]),
                            description_es=_nfc(item["definition_es"]),
                            description_en=_nfc(item["definition_en"]),
                            aliases=tuple(_nfc(a) for a in aliases), tables=tuple(tables)))
    _check_lookup_keys(path, "challenge", labels, [where for where, _ in rows])
    return Taxonomy("challenge", "goal", tuple(labels))


_BUILDERS = {("gcm", "goal"): _build_gcm, ("sdg", "goal"): _build_sdg_goals,
             ("sdg", "target"): _build_sdg_targets, ("challenge", "goal"): _build_challenges}


def _build_actors(taxonomy_dir: Path) -> Actors:
    path = taxonomy_dir / ACTORS_FILE
    columns = ("id", "acronym", "name_es", "name_en", "actor_type", "kind", "state", "aliases")
    rows = _read_csv(path, columns)
    _check_rows(path, rows, ("id", "name_es", "name_en", "actor_type", "kind"))
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
            key = (_is_acronym(name), _alias_key(name))
            other = owner.setdefault(key, actor.id)
            if other != actor.id:
                raise TaxonomyError(f"{path}: line {line}: alias {name!r} of {actor.id!r} "
                                    f"also names {other!r}")


@functools.lru_cache(maxsize=None)
def _load_scheme_cached(scheme: str, level: str, taxonomy_dir: Path) -> Taxonomy:
    return _BUILDERS[(scheme, level)](taxonomy_dir)


@functools.lru_cache(maxsize=None)
def _load_actors_cached(taxonomy_dir: Path) -> Actors:
    return _build_actors(taxonomy_dir)


def load_scheme(scheme: str, level: str = "goal", taxonomy_dir: Path = TAXONOMY_DIR) -> Taxonomy:
    """The labels of a scheme: "gcm", "sdg" or "challenge"; "sdg" also has level "target".

    :raises UnknownScheme: for a scheme or level pmm does not know.
    :raises TaxonomyError: when the scheme's file is missing or breaks a rule.
    """
    if scheme not in SCHEMES:
        raise UnknownScheme(f"unknown scheme {scheme!r} (known: {', '.join(SCHEMES)})")
    if level not in LEVELS[scheme]:
        raise UnknownScheme(f"scheme {scheme!r} has no level {level!r} "
                            f"(levels: {', '.join(LEVELS[scheme])})")
    return _load_scheme_cached(scheme, level, Path(taxonomy_dir).resolve())


def load_actors(taxonomy_dir: Path = TAXONOMY_DIR) -> Actors:
    """The actors of actors.csv. :raises TaxonomyError: when the file is missing or breaks a rule."""
    return _load_actors_cached(Path(taxonomy_dir).resolve())


def validate(taxonomy_dir: Path = TAXONOMY_DIR) -> None:
    """Read every taxonomy file afresh and raise TaxonomyError (file, line, reason) at the first fault."""
    taxonomy_dir = Path(taxonomy_dir)
    for build in _BUILDERS.values():
        build(taxonomy_dir)
    _build_actors(taxonomy_dir)
