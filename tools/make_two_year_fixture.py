"""Build the two-year fixture: the seed corpus's actions as submissions of 2022 and of 2023.

Period 2022 ("junio de 2021 a junio de 2022") holds the seed actions but a few kept back, plus the
four actions the Informe 2022 itself prints twice (objective 3's block, re-wrapped: the second
copies are quoted below as printed). Period 2023 holds what an agency sends a year later:

- most 2022 actions again, with new figures (each number scaled), dates a year later, and now
  and then a sentence added or dropped (continuing programmes);
- some 2022 actions not at all (ended programmes);
- the kept-back seed actions, dated 2023 (new programmes, several from actors that also
  continue others: the hard case for telling new from continuing);
- a few actions reported twice: by the same actor in the same file or in a second file, and by a
  partner agency in its own words with the same programme name and figures.

Every action is rendered to PDF with pmm's renderer (federal bodies as narrative reports, states as
forms; the title states the period), and `truth.json` records what each one is: its period,
actor, text, objectives, which 2022 action it continues and which action it duplicates.
Deterministic: re-running writes byte-identical files.

Usage: python tools/make_two_year_fixture.py [--out DIR]   (default: tests/fixtures/two_year)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # a script run from anywhere: the repo's packages first

from pipeline.corpus import load_seed  # noqa: E402
from pipeline.taxonomy import load_actors  # noqa: E402
from tools import render  # noqa: E402

DEFAULT_OUT = REPO / "tests" / "fixtures" / "two_year"
RANDOM_SEED = 2023
NEW_COUNT = 10  # seed actions kept back from 2022 and reported as new in 2023
ENDED_COUNT = 8  # 2022 actions not reported again in 2023
FONT = "helvetica"

# The Informe 2022 prints objective 3's block twice; these are the second, re-wrapped copies
# (its lines 394-435), which the seed corpus dropped. Same programmes, reported twice.
INFORME_SECOND_COPIES = {
    "ie2022-03-01": (
        "Como parte de las acciones de sistematización y difusión de información relevante sobre el "
        "fenómeno migratorio, la Unidad de Política Migratoria, Registro e Identidad de personas "
        "diseñó la herramienta “MiNormaMigrante”. Durante agosto de 2021 a junio de 2022, se "
        "realizaron 31 actualizaciones a los apartados de instrumentos jurídicos nacionales e "
        "internacionales en materia migratoria. Por otro lado, las visitas al sitio de "
        "MiNormaMigrante durante el período de julio de 2021 a junio de 2022 fue de 4040 vistas, "
        "(con un acumulado de 6,776 considerando el periodo de febrero a junio de 2021)."),
    "ie2022-03-02": (
        "Las y los asesores del Instituto Federal de Defensoría Pública (IFDP) orientan a las "
        "personas que han ingresado a territorio nacional sin documentos sobre los trámites para "
        "regularizar su estancia así como de la solicitud de refugio que se tramita ante la Comisión "
        "Mexicana de Ayuda a Refugiados (COMAR). Adicional a lo mencionado y derivado de la atención "
        "de usuarios/as en movilidad, las y los asesores atienden temas de acceso a la salud, "
        "derecho a la identidad o cualquier necesidad que detecten en los servicios brindados, "
        "registrando un total de 6,542 (en 4 se otorgó el servicio de orientación, en 743 el "
        "servicio de asesoría y en 5,795 el servicio de representación jurídica) atenciones a "
        "personas migrantes entre junio de 2021 y junio de 2022."),
    "ie2022-03-03": (
        "En agosto de 2019, el H. Ayuntamiento de Othón P. Blanco del Estado de Quintana Roo y la "
        "Organización Internacional para las Migraciones (OIM) suscribieron un acuerdo de "
        "colaboración para la atención a personas migrantes creando una ventanilla única de atención "
        "a migrantes que brinda atención directa, clara y confiable para facilitar información sobre "
        "trámites migratorios, así como información relacionada con los derechos de las personas "
        "migrantes, contribuyendo a una mejor gestión de la migración. Brindando atención entre junio "
        "de 2021 y junio de 2022 a ciudadanos de Belice, Bélgica, Canadá, Cuba, El Salvador, "
        "Francia, Honduras y México."),
    "ie2022-03-04": (
        "La Secretaría del Migrante y Enlace Internacional del Estado de Guanajuato promociona y "
        "promueve el Protocolo de acciones a personas en tránsito y caravanas migrantes. El "
        "protocolo estuvo disponible desde octubre del 2021 y es permanente."),
}

# Sentences an agency adds when it reports a programme again.
ADDED_SENTENCES = (
    "En este periodo se amplió la cobertura a nuevas sedes.",
    "La acción continúa vigente y es de carácter permanente.",
    "Durante el periodo se dio continuidad a la acción con recursos propios.",
    "Se fortaleció la coordinación con las autoridades locales para su operación.",
)
# Partners that re-report another body's programme "in coordination": (original actor, partner).
PARTNER_REPORTS = (("GOBMX", "SEGOB"), ("INM", "SEGOB"), ("SRE", "UPMRIP"))

YEAR_SHIFT = re.compile(r"\b(2021|2022)\b")
# A figure: digits with thousands separators, standing alone (not "COVID-19" or "007/2021").
FIGURE = re.compile(r"(?<![\w/.-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w/-]|\.\d)")
# A programme with a name of its own: quoted, or followed by its acronym.
NAMED = re.compile(r"[“«]|\([A-Z]{2,}\)")
SENTENCE = re.compile(r"(?<=[a-záéíóúñ0-9)”])\.\s+(?=[A-ZÁÉÍÓÚÑ])")


def shift_years(text: str) -> str:
    """Dates of the reporting window a year later: 2021 -> 2022, 2022 -> 2023."""
    return YEAR_SHIFT.sub(lambda m: str(int(m.group(1)) + 1), text)


def new_figures(text: str, rng: random.Random) -> str:
    """Every figure of 10 or more (not a year) scaled by a factor between 0.7 and 1.6."""
    def scale(match):
        raw = match.group(1)
        value = int(raw.replace(",", ""))
        if value < 10 or 1900 <= value <= 2100:
            return raw
        new = max(10, round(value * rng.uniform(0.7, 1.6)))
        return f"{new:,}" if "," in raw else str(new)
    return FIGURE.sub(scale, text)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


def join_sentences(parts: list[str]) -> str:
    return " ".join(p if p.endswith((".", ":", ";", "”", ")")) else p + "." for p in parts)


def next_year_version(text: str, rng: random.Random) -> str:
    """The same programme reported a year later: new figures and dates, sometimes a sentence
    added or (in a long text without sub-items) one dropped."""
    text = new_figures(shift_years(text), rng)
    roll = rng.random()
    if roll < 0.3:
        text = text.rstrip() + " " + rng.choice(ADDED_SENTENCES)
    elif roll < 0.5 and render.SUB_ITEM not in text:
        parts = sentences(text)
        if len(parts) >= 3:
            del parts[rng.randrange(1, len(parts))]
            text = join_sentences(parts)
    return text


def second_copy(text: str) -> str:
    """The same report pasted again with a small edit: its shortest clause without figures gone."""
    clauses = text.split(", ")
    candidates = [i for i, c in enumerate(clauses[1:-1], start=1) if not re.search(r"\d", c)]
    if candidates:
        drop = min(candidates, key=lambda i: (len(clauses[i]), i))
        return ", ".join(clauses[:drop] + clauses[drop + 1:])
    parts = sentences(text)
    return join_sentences(parts[:-1]) if len(parts) >= 3 else text


def partner_version(text: str, partner_name: str) -> str:
    """A partner agency's report of the same programme in fewer words: its own opening, then the
    sentence that names the programme and those that give figures (at most three)."""
    parts = sentences(text.replace(f" {render.SUB_ITEM} ", " "))
    kept = parts[:1] + [p for p in parts[1:] if re.search(r"\d", p)][:2]
    return (f"La {partner_name} informa que, en coordinación con otras dependencias, participó en "
            f"lo siguiente: {join_sentences(kept)}")


def title_for(year: int, name: str) -> str:
    return f"Acciones para el seguimiento del PMM, junio de {year - 1} a junio de {year}: {name}"


def display_name(actor) -> str:
    if actor.actor_type == "state":
        return ("Gobierno de la Ciudad de México" if actor.id == "MX-CMX"
                else f"Gobierno del Estado de {actor.name_es}")
    return actor.name_es


def plan(seed: list[dict], random_seed: int = RANDOM_SEED) -> list[dict]:
    """Every fixture action with its truth: key, period, actor, text, objectives, file, continues
    (the 2022 key it continues), duplicate_of (the key it repeats), status."""
    rng = random.Random(random_seed)
    by_actor = defaultdict(list)
    for action in seed:
        by_actor[action["actor"]].append(action)
    twice_printed = set(INFORME_SECOND_COPIES)
    # New in 2023: mostly from actors that also report other programmes both years.
    busy = [a["id"] for a in seed if len(by_actor[a["actor"]]) >= 3 and a["id"] not in twice_printed]
    alone = [a["id"] for a in seed if len(by_actor[a["actor"]]) == 1 and a["id"] not in twice_printed]
    new_ids = set(rng.sample(busy, NEW_COUNT - 3) + rng.sample(alone, 3))
    kept = [a for a in seed if a["id"] not in new_ids]
    ended_ids = set(rng.sample([a["id"] for a in kept if a["id"] not in twice_printed], ENDED_COUNT))

    actions = []

    def add(key, period, action, text, *, file_suffix="", continues=(), duplicate_of=None,
            status, actor=None):
        actor = actor or action["actor"]
        actions.append({"key": key, "period": period, "actor": actor, "text": text,
                        "objectives": action["objectives"],
                        "file": f"{period}/{actor.lower()}_{period}{file_suffix}.pdf",
                        "continues": sorted(continues), "duplicate_of": duplicate_of,
                        "status": status, "seed_id": action["id"]})

    for action in kept:
        add(f"2022:{action['id']}", "2022", action, action["text"],
            status="ended" if action["id"] in ended_ids else "continued")
        if action["id"] in INFORME_SECOND_COPIES:
            add(f"2022:{action['id']}:copia", "2022", action, INFORME_SECOND_COPIES[action["id"]],
                duplicate_of=f"2022:{action['id']}", status="duplicate")
    previous = {a["key"]: a for a in actions}
    # The 2022 actions a 2023 report continues: the original and the Informe's second copy alike.
    origins = defaultdict(set)
    for key in previous:
        origins[key.split(":")[1]].add(key)

    continuing = [a for a in kept if a["id"] not in ended_ids]
    for action in continuing:
        add(f"2023:{action['id']}", "2023", action, next_year_version(action["text"], rng),
            continues=origins[action["id"]], status="continuing")
    for action in seed:
        if action["id"] in new_ids:
            add(f"2023:{action['id']}", "2023", action, shift_years(action["text"]), status="new")

    current = {a["key"]: a for a in actions if a["period"] == "2023"}
    actors = load_actors()
    # Reported twice by the same actor: in the same file, and in a second file of its own.
    same_file = rng.sample(sorted(k for k, a in current.items() if a["status"] == "continuing"
                                  and len(a["text"]) > 300), 2)
    second_file = rng.sample(sorted(k for k, a in current.items() if a["status"] == "continuing"
                                    and k not in same_file and len(a["text"]) > 300), 1)
    new_twice = rng.sample(sorted(k for k, a in current.items() if a["status"] == "new"), 1)
    for key in same_file + new_twice:
        original = current[key]
        add(f"{key}:copia", "2023", {"id": original["seed_id"], "actor": original["actor"],
                                     "objectives": original["objectives"]},
            second_copy(original["text"]), continues=original["continues"], duplicate_of=key,
            status="duplicate")
    for key in second_file:
        original = current[key]
        add(f"{key}:complemento", "2023", {"id": original["seed_id"], "actor": original["actor"],
                                           "objectives": original["objectives"]},
            second_copy(original["text"]), file_suffix="_complemento",
            continues=original["continues"], duplicate_of=key, status="duplicate")
    # Reported by a partner too: the same programme name and figures, the partner's own words.
    for owner, partner in PARTNER_REPORTS:
        named = sorted(k for k, a in current.items() if a["actor"] == owner and a["status"] == "continuing"
                       and NAMED.search(a["text"]) and k not in same_file + second_file)
        if not named:
            continue
        key = rng.choice(named)
        original = current[key]
        add(f"{key}:{partner.lower()}", "2023", {"id": original["seed_id"], "actor": partner,
                                                 "objectives": original["objectives"]},
            partner_version(original["text"], actors.get(partner).name_es), duplicate_of=key,
            status="duplicate", actor=partner)
    return actions


def render_files(actions: list[dict], out_dir: Path) -> list[str]:
    """One PDF per file of the plan: federal bodies as narrative reports, states as forms."""
    actors = load_actors()
    by_file = defaultdict(list)
    for action in actions:
        by_file[action["file"]].append(action)
    written = []
    for file_name in sorted(by_file):
        rows = by_file[file_name]
        actor = actors.get(rows[0]["actor"])
        year = int(rows[0]["period"])
        path = out_dir / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        name = display_name(actor)
        title = title_for(year, name)
        if "_complemento" in file_name:
            title += " (información complementaria)"
        if actor.actor_type in ("state", "municipal"):
            render.render_form(path, title, [{"text": a["text"], "objectives": a["objectives"],
                                              "actor_name": name} for a in rows], font=FONT)
        else:
            render.render_narrative(path, title, render.objective_sections(rows), stray_link=None,
                                    font=FONT)
        written.append(file_name)
    return written


def make_fixture(out_dir: Path = DEFAULT_OUT, *, random_seed: int = RANDOM_SEED) -> dict:
    """Write the PDFs and truth.json into `out_dir`; another `random_seed` draws another fixture
    (other programmes new, ended and repeated; other figures)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in list(out_dir.glob("20*/*.pdf")):
        old.unlink()
    actions = plan(load_seed(), random_seed)
    files = render_files(actions, out_dir)
    truth = {"periods": {"2022": "junio de 2021 a junio de 2022", "2023": "junio de 2022 a junio de 2023"},
             "random_seed": random_seed, "files": files, "actions": actions}
    (out_dir / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    return truth


def load_truth(fixture_dir: Path = DEFAULT_OUT) -> dict:
    return json.loads((Path(fixture_dir) / "truth.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(text.replace(render.SUB_ITEM, " ").split())


def ingest_fixture(engine, fixture_dir: Path = DEFAULT_OUT, *, period_from_cli: bool = False) -> dict[int, str]:
    """Ingest the fixture's PDFs through `pmm ingest`'s library call and map every stored action to
    its truth key (by its text; the closest text of its file when extraction changed it).

    :param period_from_cli: give each year's period as `--period` does; else pmm reads it from the
        documents' dates.
    :returns: {action id: truth key}.
    """
    import difflib

    from pipeline.ingest import ingest_paths
    from pipeline.store import queries as q

    fixture_dir = Path(fixture_dir)
    truth = load_truth(fixture_dir)
    for year in sorted(truth["periods"]):
        ingest_paths(engine, [fixture_dir / year], period=year if period_from_cli else None)
    by_file = defaultdict(list)
    for action in truth["actions"]:
        by_file[Path(action["file"]).name].append(action)
    mapping = {}
    with engine.connect() as conn:
        stored = q.load_actions(conn)
    for row in stored:
        candidates = [a for a in by_file.get(row["file_name"], ()) if a["key"] not in mapping.values()]
        if not candidates:
            continue
        text = _norm(row["text"])
        best = max(candidates, key=lambda a: (_norm(a["text"]) == text,
                                              difflib.SequenceMatcher(None, _norm(a["text"]), text).ratio()))
        mapping[row["id"]] = best["key"]
    return mapping


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    truth = make_fixture(args.out)
    statuses = defaultdict(int)
    for action in truth["actions"]:
        statuses[(action["period"], action["status"])] += 1
    print(f"{len(truth['files'])} files, {len(truth['actions'])} actions in {args.out}: "
          + ", ".join(f"{p} {s} {n}" for (p, s), n in sorted(statuses.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
