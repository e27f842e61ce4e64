"""Render the sample submissions in corpus/samples/ from the seed corpus.

One PDF per reporting actor of the Informe Ejecutivo 2022's section IV: federal bodies as
narrative reports (one in two columns), state and municipal governments (and the SRE) as
filled-in forms, plus one scanned cover page with no text layer, which pmm reads by OCR (and finds
no action in; without Tesseract it is refused with its one-line reason). About half the actions carry illustrative challenges ("retos", from retos.yaml,
written for the demo: the Informe publishes none per action), rendered as the form's "Retos" cell
or a "Retos: ..." paragraph under the action. Rendering is deterministic: re-running writes
byte-identical files.

Usage: python corpus/samples/make_samples.py [--out DIR]   (default: this folder)
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))  # a script run from anywhere: the repo's packages first

import yaml  # noqa: E402

from pipeline.corpus import load_seed  # noqa: E402
from pipeline.errors import BadInput  # noqa: E402
from pipeline.taxonomy import load_actors  # noqa: E402
from tools import render  # noqa: E402

PERIOD = "junio 2021 – junio 2022"
TWO_COLUMN_ACTORS = {"GOBMX"}
FORM_ACTORS = {"SRE"}  # besides every state and municipal government
# Submissions that state no objective, so the demo shows the classifier at work: two states
# write a narrative letter with their actions as bullets, two agencies send a plain numbered
# list of their programmes. Their actions' objectives come from the model.
LETTER_ACTORS = {"MX-CHP", "MX-MEX"}
LIST_ACTORS = {"SEGOB", "SNDIF"}
SCANNED_FILE = "zz_escaneado_sin_texto.pdf"
RETOS_FILE = HERE / "retos.yaml"
# Helvetica is a PDF standard font, so it is not embedded: 40 files stay well under 2 MB.
FONT = "helvetica"


def display_name(actor) -> str:
    """How a submission names its sender: a state's government, not the state."""
    if actor.actor_type == "state":
        if actor.id == "MX-CMX":
            return "Gobierno de la Ciudad de México"
        return f"Gobierno del Estado de {actor.name_es}"
    return actor.name_es


def layout_of(actor) -> str:
    if actor.id in LETTER_ACTORS:
        return "carta"
    if actor.id in LIST_ACTORS:
        return "lista"
    if actor.id in TWO_COLUMN_ACTORS:
        return "dos_columnas"
    if actor.actor_type in ("state", "municipal") or actor.id in FORM_ACTORS:
        return "formulario"
    return "informe"


def load_retos(path: Path = RETOS_FILE, seed_ids=None) -> dict[str, str]:
    """Action id -> its illustrative challenges text. An id the seed does not have is a typo that
    would silently drop a reto, so it raises."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if seed_ids is not None:
        unknown = sorted(set(entries) - set(seed_ids))
        if unknown:
            raise BadInput(path.name, f"ids not in the seed corpus: {', '.join(unknown)}")
    return {action_id: " ".join(entry["retos"].split()) for action_id, entry in entries.items()}


def make_samples(out_dir: Path) -> list[tuple[str, str, str, int, int]]:
    """Write every sample into out_dir; returns (file, actor, layout, actions, with retos) rows."""
    out_dir.mkdir(parents=True, exist_ok=True)
    actors = load_actors()
    seed = load_seed()
    retos = load_retos(seed_ids=[action["id"] for action in seed])
    by_actor = defaultdict(list)
    for action in seed:
        by_actor[action["actor"]].append({**action, "challenges": retos.get(action["id"])})
    written = []
    for actor_id in sorted(by_actor):
        actor = actors.get(actor_id)
        actions = by_actor[actor_id]
        name = display_name(actor)
        layout = layout_of(actor)
        path = out_dir / f"{actor_id.lower()}_{layout}.pdf"
        title = f"Acciones para el seguimiento del PMM, {PERIOD}: {name}"
        if layout == "formulario":
            rows = [{"text": a["text"], "objectives": a["objectives"], "actor_name": name,
                     "challenges": a["challenges"]} for a in actions]
            render.render_form(path, title, rows, font=FONT)
        elif layout == "carta":
            intro = (f"Por medio del presente, el {name} informa a la Unidad de Política Migratoria, "
                     f"Registro e Identidad de Personas las acciones que llevó a cabo en el periodo "
                     f"{PERIOD} en el marco del Pacto Mundial para una Migración Segura, Ordenada y "
                     f"Regular:")
            render.render_narrative(path, f"Oficio de remisión. {title}", [{"heading": None, "actions": actions}],
                                    intro=intro, stray_link=None, bullet="•", font=FONT)
        elif layout == "lista":
            render.render_narrative(path, title, [{"heading": "Programas y acciones", "actions": actions}],
                                    stray_link=None, numbered=True, heading_style="bold", font=FONT)
        elif layout == "dos_columnas":
            render.render_two_column(path, title, render.objective_sections(actions), font=FONT)
        else:
            render.render_narrative(path, title, render.objective_sections(actions),
                                    stray_link=None, font=FONT)
        written.append((path.name, actor_id, layout, len(actions),
                        sum(1 for a in actions if a["challenges"])))
    render.render_scanned(out_dir / SCANNED_FILE)
    written.append((SCANNED_FILE, "", "escaneado (sin capa de texto)", 0, 0))
    write_readme(out_dir, written)
    return written


def write_readme(out_dir: Path, written) -> None:
    total = sum(row[3] for row in written)
    with_retos = sum(row[4] for row in written)
    lines = [
        "# Sample submissions",
        "",
        "PDFs rendered by `make_samples.py` from the seed corpus (`corpus/seed/`), one per actor",
        "that reports actions in section IV of the Informe Ejecutivo 2022, in the layouts",
        "`pmm extract` reads: narrative reports with bullets (`informe`), two columns",
        "(`dos_columnas`) and filled-in forms (`formulario`). Four submissions state no objective,",
        "as some real ones do: two states' narrative letters (`carta`) and two agencies' plain",
        "numbered lists of programmes (`lista`); the classifier assigns their objectives, so the",
        "demo's report mixes stated and model-assigned labels. The last file is a scanned cover",
        "page with no text layer: pmm reads it by OCR and reports that it holds no action (without",
        "Tesseract, it reports the file with its one-line reason and stores the others).",
        "",
        f"{with_retos} of the {total} actions carry challenges (\"retos\") from `retos.yaml`: a",
        "\"Retos\" cell in forms, a \"Retos: ...\" paragraph under the action in narrative reports;",
        "`pmm extract` stores them as `challenges_text`, which the challenge classifier reads.",
        "**They are illustrative sample data written for the demo**: the Informe publishes no",
        "per-action challenges, only the category counts and definitions of its section V and",
        "annex 1, whose kinds of challenges the texts draw on (worded freely, not as category names).",
        "`retos.yaml` also records the categories each text was written with in mind (`intended`),",
        "to compare the demo's predictions with; they are not gold labels and are not rendered.",
        "",
        "Regenerate (byte-identical): `python corpus/samples/make_samples.py`",
        "",
        "| file | actor | layout | actions | with retos |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| `{name}` | {actor or '—'} | {layout} | {count} | {retos} |"
              for name, actor, layout, count, retos in written]
    (out_dir / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    written = make_samples(args.out)
    print(f"{len(written)} files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
