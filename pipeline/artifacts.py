"""Model artefacts on disk: `models/<scheme>[-<level>]/<version>/` with a `card.json` manifest.

Layout::

    models/gcm/CURRENT                 the promoted version's name (one line)
    models/gcm/<version>/card.json     what the model is: data, metrics, library versions, and
                                       the sha256 and size of every other file in the folder
    models/gcm/<version>/model.json    configuration, labels, thresholds, vocabularies
    models/gcm/<version>/arrays.npz    weights (numpy, loaded with allow_pickle=False)

Nothing is read before its bytes match the card: `read_verified` hashes the very bytes it returns,
so a file swapped between the check and the load cannot slip through. A mismatch raises
ModelIntegrityError. No artefact is a pickle.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from . import schemes
from .config import MODELS_DIR
from .errors import ModelIntegrityError, PmmError

CARD_FILE = "card.json"
CURRENT_FILE = "CURRENT"
# A version is a folder name inside its family: never a path ("../sdg/…"), never hidden.
VERSION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")


def family_dir(models_dir, scheme: str, level: str = "goal") -> Path:
    return Path(models_dir) / schemes.family(scheme, level)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_version(models_dir, scheme: str, level: str, version: str, files: dict[str, bytes],
                  card: dict) -> Path:
    """Write a new version folder with its files and a card listing their sha256; return it.

    The folder appears complete or not at all (written aside, then renamed). An existing
    version is never overwritten.
    """
    family = family_dir(models_dir, scheme, level)
    target = family / version
    if target.exists():
        raise PmmError(f"{target}: model version already exists")
    family.mkdir(parents=True, exist_ok=True)
    # The card says which family and version it is: loading checks that (check_card_identity).
    card = {**card, "scheme": scheme, "level": level, "version": version}
    card["files"] = {name: {"sha256": sha256_bytes(data), "bytes": len(data)}
                     for name, data in sorted(files.items())}
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=family))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        (staging / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=1, sort_keys=True)
                                         + "\n", encoding="utf-8")
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a model is for everyone to read
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def read_card(version_dir) -> dict:
    path = Path(version_dir) / CARD_FILE
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelIntegrityError(f"{path}: no model card") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelIntegrityError(f"{path}: unreadable model card ({exc})") from None
    if not isinstance(card, dict) or not isinstance(card.get("files"), dict):
        raise ModelIntegrityError(f"{path}: the card lists no files")
    return card


def read_verified(version_dir) -> tuple[dict, dict[str, bytes]]:
    """The card and the bytes of every file it lists, each checked against its sha256.

    :raises ModelIntegrityError: a file is missing, unlisted, or its bytes differ from the card.
    """
    version_dir = Path(version_dir)
    card = read_card(version_dir)
    contents = {}
    for name, entry in card["files"].items():
        if Path(name).name != name:
            raise ModelIntegrityError(f"{version_dir / CARD_FILE}: file name {name!r} leaves the folder")
        path = version_dir / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ModelIntegrityError(f"{path}: listed in the card but missing") from None
        digest = sha256_bytes(data)
        if digest != entry.get("sha256"):
            raise ModelIntegrityError(f"{path}: sha256 {digest[:12]}… does not match the card's "
                                      f"{str(entry.get('sha256'))[:12]}…; refusing to load it")
        contents[name] = data
    return card, contents


def verify(version_dir) -> dict:
    """Check every file of a version against its card; return the card."""
    card, _ = read_verified(version_dir)
    return card


def current_version(models_dir, scheme: str, level: str = "goal") -> str | None:
    path = family_dir(models_dir, scheme, level) / CURRENT_FILE
    try:
        name = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def check_version_name(version: str, scheme: str, level: str = "goal", *, source=None) -> str:
    """`version` if it can name a version folder of this family: a plain folder name, never a
    path into another scheme's folder ("../sdg/…"). Which scheme it holds is the card's to say
    (`check_card_identity`).

    :raises PmmError: naming where the name came from (an option, a CURRENT file).
    """
    family = schemes.family(scheme, level)
    if not isinstance(version, str) or not VERSION_NAME.fullmatch(version) or ".." in version:
        where = f"{source}: " if source else ""
        raise PmmError(f"{where}{version!r} is not a {family} model version name "
                       f"(a folder name such as {family}-<date>-<time>-<hash>)")
    return version


def check_card_identity(card: dict, scheme: str, level: str, version: str, where) -> None:
    """The card must say it is this scheme, level and version: a folder copied or linked from
    another family would otherwise return another scheme's labels under this one's name.

    :raises ModelIntegrityError: naming the card and what it says instead.
    """
    said = (card.get("scheme"), card.get("level", "goal"), card.get("version"))
    if said != (scheme, level, version):
        raise ModelIntegrityError(f"{Path(where) / CARD_FILE}: the card is for {said[0]} {said[1]} "
                                  f"{said[2]!r}, not {scheme} {level} {version!r}; refusing to load it")


def read_version(models_dir, scheme: str, level: str = "goal", version: str | None = None):
    """(folder, card, files) of `version` (default: the current one), each file checked against
    the card and the card checked to be this scheme's, level's and version's."""
    path = resolve_version_dir(models_dir, scheme, level, version)
    card, files = read_verified(path)
    check_card_identity(card, scheme, level, path.name, path)
    return path, card, files


def set_current(models_dir, scheme: str, level: str, version: str) -> None:
    """Point CURRENT at `version` (which must exist and verify), atomically."""
    check_version_name(version, scheme, level)
    family = family_dir(models_dir, scheme, level)
    check_card_identity(verify(family / version), scheme, level, version, family / version)
    tmp = family / f".{CURRENT_FILE}.tmp"
    tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp, family / CURRENT_FILE)


def version_dirs(models_dir, scheme: str, level: str = "goal") -> list[Path]:
    """Every version folder of a family, oldest first (by the card's creation time)."""
    family = family_dir(models_dir, scheme, level)
    if not family.exists():
        return []
    dirs = [d for d in family.iterdir() if d.is_dir() and not d.name.startswith(".")
            and (d / CARD_FILE).exists()]

    def created(d):
        try:
            return read_card(d).get("created_at", "")
        except ModelIntegrityError:
            return ""

    return sorted(dirs, key=lambda d: (created(d), d.name))


def resolve_version_dir(models_dir, scheme: str, level: str = "goal", version: str | None = None) -> Path:
    """The folder of `version`, or of the current version when None."""
    models_dir = Path(models_dir or MODELS_DIR)
    if version is None:
        version = current_version(models_dir, scheme, level)
        if version is None:
            raise PmmError(f"{family_dir(models_dir, scheme, level)}: no current model "
                           f"(run `pmm train --scheme {scheme}`"
                           f"{'' if level == 'goal' else f' --level {level}'})")
        check_version_name(version, scheme, level, source=family_dir(models_dir, scheme, level) / CURRENT_FILE)
    else:
        check_version_name(version, scheme, level, source="--version")
    path = family_dir(models_dir, scheme, level) / version
    if not path.is_dir():
        raise PmmError(f"{path}: no such model version")
    return path
