"""The label sets pmm classifies into: GCM objectives, SDG goals and targets, challenge categories.

Read from plain files in `corpus/taxonomy/` and returned as frozen, ordered objects.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config import TAXONOMY_DIR
from ..errors import TaxonomyError, UnknownScheme
from ..schemes import CHALLENGE, GCM, GOAL, LEVELS, SCHEMES, SDG, TARGET
from ..text import LANGUAGES, fold, nfc
from .files import ById, check_rows, read_csv, read_yaml_list

CHALLENGE_TABLES = ("federal", "state")
DEFINITION_SOURCES = ("annex1", "section_v")

GCM_FILE = "gcm_objectives.csv"
SDG_GOALS_FILE = "sdg_goals.csv"
SDG_TARGETS_FILE = "sdg_targets.csv"
CHALLENGES_FILE = "challenges.yaml"


def _lookup_key(text: str) -> str:
    # Printed names differ from the headings in commas, periods and slashes
    # ("Proporcionar a los migrantes, acceso..." vs "...migrantes acceso..."), never in words.
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


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
class Taxonomy(ById):
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

    def members(self) -> tuple[Label, ...]:
        return self.labels


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
    rows = read_csv(path, columns)
    check_rows(path, rows, ("id", "title_es", "title_en"))
    labels = tuple(Label(id=row["id"], name_es=row["title_es"], name_en=row["title_en"],
                         description_en=row["commitment_en"]) for _, row in rows)
    _check_lookup_keys(path, GCM, labels, [line for line, _ in rows])
    return Taxonomy(GCM, GOAL, labels)


def _build_sdg_goals(taxonomy_dir: Path) -> Taxonomy:
    path = taxonomy_dir / SDG_GOALS_FILE
    columns = ("id", "short_es", "short_en", "title_es", "title_en")
    rows = read_csv(path, columns)
    check_rows(path, rows, columns)
    labels = tuple(Label(id=row["id"], name_es=row["title_es"], name_en=row["title_en"],
                         aliases=(row["short_es"], row["short_en"])) for _, row in rows)
    _check_lookup_keys(path, SDG, labels, [line for line, _ in rows])
    return Taxonomy(SDG, GOAL, labels)


def _build_sdg_targets(taxonomy_dir: Path) -> Taxonomy:
    goals = _build_sdg_goals(taxonomy_dir)
    path = taxonomy_dir / SDG_TARGETS_FILE
    columns = ("id", "goal", "title_es", "title_en")
    rows = read_csv(path, columns)
    check_rows(path, rows, columns)
    for line, row in rows:
        if row["goal"] not in goals:
            raise TaxonomyError(f"{path}: line {line}: target {row['id']!r} has unknown goal "
                                f"{row['goal']!r} (not in {SDG_GOALS_FILE})")
    labels = tuple(Label(id=row["id"], name_es=row["title_es"], name_en=row["title_en"],
                         description_es=row["title_es"], description_en=row["title_en"],
                         parent=row["goal"]) for _, row in rows)
    return Taxonomy(SDG, TARGET, labels)


def _build_challenges(taxonomy_dir: Path) -> Taxonomy:
    path = taxonomy_dir / CHALLENGES_FILE
    items = read_yaml_list(path, "categories")
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
        labels.append(Label(id=item["id"], name_es=nfc(item["name_es"]), name_en=nfc(item["name_en"]),
                            description_es=nfc(item["definition_es"]),
                            description_en=nfc(item["definition_en"]),
                            aliases=tuple(nfc(a) for a in aliases), tables=tuple(tables)))
    _check_lookup_keys(path, CHALLENGE, labels, [where for where, _ in rows])
    return Taxonomy(CHALLENGE, GOAL, tuple(labels))


BUILDERS = {(GCM, GOAL): _build_gcm, (SDG, GOAL): _build_sdg_goals,
            (SDG, TARGET): _build_sdg_targets, (CHALLENGE, GOAL): _build_challenges}


@functools.lru_cache(maxsize=None)
def _load_scheme_cached(scheme: str, level: str, taxonomy_dir: Path) -> Taxonomy:
    return BUILDERS[(scheme, level)](taxonomy_dir)


def load_scheme(scheme: str, level: str = GOAL, taxonomy_dir: Path = TAXONOMY_DIR) -> Taxonomy:
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
