"""`pip install .` outside the checkout gives a pmm that finds its corpus and models.

Builds pmm's wheel from a copy of the sources, installs it into a fresh virtual environment in a
temporary folder, and runs `pmm taxonomy show` and `pmm predict` there, from a folder that is not
the checkout. Offline: the wheel is built with the build backend already installed
(--no-build-isolation) and installed with --no-index; the fresh environment sees pmm's
dependencies through a .pth line naming this environment's site-packages (a .pth line adds a
folder, and runs none of that folder's own .pth files, so the checkout's editable install stays
out of it).
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "pipeline", "corpus", "models")


def _run(args, **kw):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kw)
    assert result.returncode == 0, f"{args}\nstdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, src / name, ignore=ignore)
        else:
            shutil.copy2(origin, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", tmp / "dist", src])
    wheels = list((tmp / "dist").glob("pmm-*.whl"))
    assert len(wheels) == 1
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_pmm_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    _run([*pip, "--python", python, "install", "--no-index", "--no-deps", "-q", wheels[0]])
    shutil.rmtree(src)  # nothing may come from the sources once installed
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PMM_HOME", "PMM_DB")}
    work = tmp / "elsewhere"
    work.mkdir()
    return venv, env, work


@pytest.mark.slow
def test_packaging_the_installed_pmm_is_not_the_checkout(installed):
    venv, env, work = installed
    out = _run([venv / "bin" / "python", "-c",
                "import pipeline, pipeline.config as c; print(pipeline.__file__); print(c.data_home())"],
               cwd=work, env=env).stdout.split("\n")
    assert Path(out[0]).is_relative_to(venv) and Path(out[1]).is_relative_to(venv)
    assert not Path(out[1]).is_relative_to(ROOT)


@pytest.mark.slow
def test_packaging_taxonomy_show_works_when_installed(installed):
    venv, env, work = installed
    result = _run([venv / "bin" / "pmm", "taxonomy", "show", "gcm", "--format", "json"], cwd=work, env=env)
    rows = json.loads(result.stdout)
    assert len(rows) == 23 and rows[6]["id"] == "7"


@pytest.mark.slow
def test_packaging_predict_works_when_installed(installed):
    venv, env, work = installed
    (work / "in.jsonl").write_text(json.dumps({"id": "a", "text": (
        "El INM expidió tarjetas de visitante por razones humanitarias a personas migrantes "
        "en la frontera sur.")}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = _run([venv / "bin" / "pmm", "predict", "--scheme", "gcm", "in.jsonl"], cwd=work, env=env)
    line = json.loads(result.stdout.splitlines()[0])
    assert line["id"] == "a" and len(line["labels"]) == 23 and line["assigned"]
    assert line["model_version"] == (ROOT / "models" / "gcm" / "CURRENT").read_text().strip()


@pytest.mark.slow
def test_packaging_pmm_home_chooses_the_data(installed, tmp_path):
    venv, env, work = installed
    home = tmp_path / "home"
    shutil.copytree(ROOT / "corpus", home / "corpus")
    csv_path = home / "corpus" / "taxonomy" / "gcm_objectives.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(
        "Abordar y reducir las vulnerabilidades", "Abordar y reducir LAS VULNERABILIDADES"), encoding="utf-8")
    result = _run([venv / "bin" / "pmm", "taxonomy", "show", "gcm", "--format", "json"], cwd=work,
                  env={**env, "PMM_HOME": str(home)})
    assert json.loads(result.stdout)[6]["name_es"].startswith("Abordar y reducir LAS VULNERABILIDADES")


def test_packaging_every_subpackage_is_in_the_wheel():
    """pyproject.toml lists the packages (corpus/ and models/ are mapped in beside them): a new
    sub-package of pipeline/ must be listed too, or `pip install .` leaves it out."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    present = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "pipeline").rglob("__init__.py")}
    assert present <= listed, f"add to [tool.setuptools] packages: {sorted(present - listed)}"
