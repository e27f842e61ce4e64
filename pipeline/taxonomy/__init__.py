"""The label sets pmm classifies into, and the actors that report actions.

Schemes (`pipeline.schemes`): "gcm" (the 23 GCM objectives), "sdg" (17 goals, or the 169 targets
with level="target") and "challenge" (the Informe's 21 "retos" categories). Actors: the federal
bodies of annex 2 and a few more, the 32 federal entities and one municipality.

Everything is read from plain files in `corpus/taxonomy/` and returned as frozen, ordered
objects. A file that breaks a rule (duplicate id, empty name, dangling reference, an alias
shared by two actors) raises TaxonomyError naming the file, the line and the reason.

- `labels`: Label, Taxonomy, `load_scheme`;
- `actors`: Actor, Actors (finding actors named in a text), `load_actors`;
- `files`: reading the CSV and YAML files and the rules they share.
"""

from pathlib import Path

from ..config import TAXONOMY_DIR
from ..schemes import LEVELS, SCHEMES
from ..text import LANGUAGES
from .actors import ACTOR_KINDS, ACTOR_TYPES, Actor, Actors, build_actors, level_of, load_actors
from .labels import BUILDERS, CHALLENGE_TABLES, DEFINITION_SOURCES, Label, Taxonomy, load_scheme

__all__ = ["SCHEMES", "LEVELS", "LANGUAGES", "ACTOR_TYPES", "ACTOR_KINDS", "CHALLENGE_TABLES",
           "DEFINITION_SOURCES", "Label", "Taxonomy", "Actor", "Actors", "load_scheme",
           "load_actors", "level_of", "validate"]


def validate(taxonomy_dir: Path = TAXONOMY_DIR) -> tuple[dict[tuple[str, str], Taxonomy], Actors]:
    """Read every taxonomy file afresh and raise TaxonomyError (file, line, reason) at the first
    fault; return what was read: the label sets by (scheme, level), and the actors."""
    taxonomy_dir = Path(taxonomy_dir)
    label_sets = {scheme_level: build(taxonomy_dir) for scheme_level, build in BUILDERS.items()}
    return label_sets, build_actors(taxonomy_dir)
