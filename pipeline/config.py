"""Paths and defaults. Nothing here is mutable: pass a different value, don't patch this."""

import os
from pathlib import Path

HOME_ENV = "PMM_HOME"
PACKAGE_DIR = Path(__file__).resolve().parent


def data_home() -> Path:
    """Where corpus/ and models/ are: $PMM_HOME if set; else the checkout this code runs from
    (an editable install); else the copies installed inside the package by `pip install .`
    (read-only in spirit: set PMM_HOME, or pass --models-dir, to train models of your own)."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser().resolve()
    checkout = PACKAGE_DIR.parent
    if (checkout / "corpus" / "taxonomy").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    return PACKAGE_DIR / "_data"


PROJECT_ROOT = data_home()
CORPUS_DIR = PROJECT_ROOT / "corpus"
TAXONOMY_DIR = CORPUS_DIR / "taxonomy"
SEED_DIR = CORPUS_DIR / "seed"
CORRECTIONS_DIR = CORPUS_DIR / "corrections"
SAMPLES_DIR = CORPUS_DIR / "samples"
MODELS_DIR = PROJECT_ROOT / "models"

DEFAULT_DB_URL = "sqlite:///pmm.sqlite"
# Per-file extraction limits; the user can raise them (`--max-pages`, `--timeout`).
DEFAULT_MAX_PAGES = 1000
DEFAULT_TIMEOUT_S = 600.0
DB_URL_ENV = "PMM_DB"
CACHE_DIR_ENV = "PMM_CACHE"


def as_db_url(value: str) -> str:
    """Accept a SQLAlchemy URL or a plain path to a SQLite file."""
    return value if "://" in value else f"sqlite:///{value}"


def cache_dir() -> Path:
    """Where embeddings are cached by text hash ($PMM_CACHE, else ~/.cache/pmm)."""
    return Path(os.environ.get(CACHE_DIR_ENV, Path.home() / ".cache" / "pmm"))
