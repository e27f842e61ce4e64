"""The seed corpus (section IV of the Informe Ejecutivo 2022) and the report's own figures."""

import json
import re
import unicodedata
from collections import Counter

import pytest
import yaml
from click.testing import CliRunner

from pipeline import corpus
from pipeline.errors import BadInput

SEED = corpus.load_seed()
FIGURES = corpus.load_figures()
BY_ID = {row["id"]: row for row in SEED}

CHALLENGE_IDS = {
    "capacidades_institucionales", "informacion", "coordinacion", "capacitacion",
    "participacion_actores", "politica_local", "respuesta_inmediata", "cobertura",
    "marco_normativo", "covid", "seguimiento_tramites", "politicas_eeuu", "agilizacion_tramites",
    "barreras_idioma", "documentos_identidad", "unificacion_criterios", "derechos_humanos",
    "politicas_publicas_gobernanza", "proteccion_consular", "migracion_irregular",
    "perspectiva_genero",
}
STATE_ID = re.compile(r"^MX-[A-Z]{3}$")
# Actions whose printed text ends without a full stop; the report is quoted, not corrected.
ENDS_UNPUNCTUATED_AS_PRINTED = {"ie2022-17-03"}


def normalised(text):
    """Lower case, no accents, letters and digits only: for spotting the same text twice."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


# --- the seed actions --------------------------------------------------------------------------

def test_corpus_seed_covers_every_gcm_objective():
    covered = {o for row in SEED for o in row["objectives"]}
    assert covered == set(range(1, 24))


def test_corpus_seed_ids_follow_objective_and_report_order():
    order_within = Counter()
    previous_objective = 0
    for row in SEED:
        objective = row["objectives"][0]
        assert objective >= previous_objective, f"{row['id']} is out of report order"
        previous_objective = objective
        order_within[objective] += 1
        assert row["id"] == f"ie2022-{objective:02d}-{order_within[objective]:02d}"
    assert len(BY_ID) == len(SEED)


def test_corpus_seed_has_no_duplicate_actions():
    starts = Counter(normalised(row["text"])[:60] for row in SEED)
    assert [s for s, n in starts.items() if n > 1] == []
    # Objective 3's block is printed twice in the source; one copy is kept (the full-width one).
    minorma = [row for row in SEED if "MiNormaMigrante" in row["text"]]
    assert [row["id"] for row in minorma] == ["ie2022-03-01"]
    assert "de la Secretaría de Gobernación diseñó" in minorma[0]["text"]


@pytest.mark.parametrize("row", SEED, ids=lambda row: row["id"])
def test_corpus_seed_text_is_one_clean_paragraph(row):
    text = row["text"]
    assert "●" not in text and "\n" not in text and "\r" not in text
    assert text == text.strip() and "  " not in text
    assert "dropbox.com" not in text
    assert len(text) >= 80, "too short for a whole action"
    assert not text[0].islower(), "starts like the tail of another action"


@pytest.mark.parametrize("row", SEED, ids=lambda row: row["id"])
def test_corpus_seed_text_ends_like_a_whole_action(row):
    text = row["text"]
    last_sub_item = text.rsplit("➔", 1)[-1] if "➔" in text else None
    if row["id"] in ENDS_UNPUNCTUATED_AS_PRINTED:
        assert "without final punctuation" in row["note"]
        return
    ends_with_url = re.search(r"https?://\S+$", text) is not None
    assert text[-1] in ".;:!?" or last_sub_item is not None or ends_with_url, text[-60:]


@pytest.mark.parametrize("fragment, action_id", [
    ("educativa, y complementaria para la población", "ie2022-02-02"),
    ("la generación automatizada de los formatos", "ie2022-04-01"),
    ("Diario Oficial de la Federación el Acuerdo por el que se reforma", "ie2022-07-01"),
    ("Humanos, en la búsqueda e investigación", "ie2022-08-02"),
    ("Operativo “Héroes Paisano”. Durante el periodo", "ie2022-11-01"),
    ("contexto de migración en 2021 y a 2,352", "ie2022-12-03"),
    ("en movilidad migrante que acuden a los módulos", "ie2022-15-02"),
    ("años se reencontraron con sus familiares", "ie2022-16-04"),
    ("atiende de manera directa asuntos relacionados", "ie2022-17-04"),
    ("a la población receptora de las mismas", "ie2022-20-04"),
    ("fluido con la Agencia de las Naciones Unidas", "ie2022-23-01"),
    ("Instituto de los Mexicanos en el Exterior, y la representación", "ie2022-23-03"),
])
def test_corpus_seed_joins_page_top_fragments_to_their_action(fragment, action_id):
    holders = [row["id"] for row in SEED if fragment in row["text"]]
    assert holders == [action_id]
    assert not BY_ID[action_id]["text"].startswith(fragment)


def test_corpus_seed_keeps_sub_items_intro_lines_and_their_urls():
    campaigns = BY_ID["ie2022-17-02"]["text"]
    assert "Las campañas reportadas son las siguientes: ➔ Las y los migrantes" in campaigns
    assert campaigns.count("➔") == 3
    assert "https://twitter.com/i/web/status/1356346589204279296" in campaigns
    crm = BY_ID["ie2022-23-02"]["text"]
    assert " ➔ Reuniones del Grupo de Trabajo sobre Gestión Fronteriza" in crm
    assert crm.count("➔") == 8
    assert BY_ID["ie2022-12-01"]["text"].count("➔") == 2


def test_corpus_seed_keeps_real_hyphens_at_line_ends():
    texts = " ".join(row["text"] for row in SEED)
    assert "Centroamérica-México (TRICAMEX)" in texts
    assert "frontera México-EEUU. y la región" in texts
    assert "Sub-programa" in texts


def test_corpus_seed_state_actors_are_reporting_states():
    for row in SEED:
        if row["actor_type"] == "state":
            assert row["actor"] in FIGURES["states"], f"{row['id']}: not a reporting state"
        elif row["actor_type"] == "municipal":
            assert row["actor"].rsplit("-", 1)[0] in FIGURES["states"]


def test_corpus_seed_actors_resolve_in_the_taxonomy():
    from pipeline.taxonomy import load_actors

    actors = load_actors()
    for row in SEED:
        actor = actors.get(row["actor"])
        assert actor is not None, f"{row['id']}: unknown actor {row['actor']}"
        assert actor.actor_type == row["actor_type"], row["id"]


def test_corpus_seed_as_jsonl_rows_drops_only_the_note():
    rows = corpus.seed_as_jsonl_rows(SEED)
    assert len(rows) == len(SEED)
    assert all(list(r) == ["id", "text", "objectives", "actor", "actor_type"] for r in rows)
    assert rows[0]["text"] == SEED[0]["text"]


# --- validation of a seed file -----------------------------------------------------------------

GOOD_ROW = {"id": "ie2022-07-01", "text": "La Ruta de protección integral opera desde 2019.",
            "objectives": [7], "actor": "SNDIF", "actor_type": "federal", "note": ""}


@pytest.mark.parametrize("change, reason", [
    ({"objectives": [24]}, r"objective\(s\) \[24\] outside 1\.\.23"),
    ({"objectives": ["7"]}, "non-empty list of integers"),
    ({"objectives": [True]}, "non-empty list of integers"),
    ({"objectives": []}, "non-empty list of integers"),
    ({"text": "   "}, "empty text"),
    ({"id": "seed-7-1"}, "is not of the form"),
    ({"id": "ie2022-08-01"}, "id names objective 08"),
    ({"actor_type": "national"}, "actor_type 'national' is not one of"),
    ({"actor": None}, "actor must be an actor id"),
    ({"extra": 1}, r"unknown key\(s\): extra"),
])
def test_corpus_load_seed_names_file_and_line_of_a_bad_row(tmp_path, change, reason):
    path = tmp_path / "seed.jsonl"
    second = {**GOOD_ROW, "id": "ie2022-07-02", **change}
    path.write_text(json.dumps(GOOD_ROW) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    with pytest.raises(BadInput, match=rf"^{re.escape(str(path))}:2: .*{reason}"):
        corpus.load_seed(path)


def test_corpus_load_seed_rejects_missing_key_duplicate_id_and_bad_json(tmp_path):
    path = tmp_path / "seed.jsonl"
    row = {k: v for k, v in GOOD_ROW.items() if k != "note"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"seed\.jsonl:1: missing key\(s\): note"):
        corpus.load_seed(path)
    path.write_text(json.dumps(GOOD_ROW) + "\n\n" + json.dumps(GOOD_ROW) + "\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"seed\.jsonl:3: duplicate id 'ie2022-07-01' \(first on line 1\)"):
        corpus.load_seed(path)
    path.write_text('{"id": \n', encoding="utf-8")
    with pytest.raises(BadInput, match=r"seed\.jsonl:1: not valid JSON"):
        corpus.load_seed(path)
    with pytest.raises(BadInput, match="cannot read the seed corpus"):
        corpus.load_seed(tmp_path / "absent.jsonl")


# --- the report's figures ----------------------------------------------------------------------

def test_corpus_figures_totals_add_up():
    totals = FIGURES["totals"]
    assert (totals["actions"], totals["federal"], totals["state"]) == (346, 228, 118)
    assert totals["federal"] + totals["state"] == totals["actions"]
    assert (totals["federal_actors"], totals["states"]) == (44, 20)
    assert FIGURES["period"]["label"] == "junio 2021 – junio 2022"


def test_corpus_figures_challenge_tables_add_up_to_the_printed_totals():
    federal, state = FIGURES["challenges_federal"], FIGURES["challenges_state"]
    assert sum(r["count"] for r in federal) == 196
    assert sum(r["count"] for r in state) == 87
    assert len(federal) == 11 and len(state) == 10
    for row in federal + state:
        assert row["category"] in CHALLENGE_IDS and row["printed"].strip()
    # Printed order is kept: both tables open with institutional capacities.
    assert [r["count"] for r in federal][:3] == [35, 34, 33]
    assert [r["category"] for r in state][:3] == ["capacidades_institucionales",
                                                  "seguimiento_tramites", "politicas_eeuu"]


def test_corpus_figures_states_are_the_twenty_of_annex_3():
    states = FIGURES["states"]
    assert len(states) == len(set(states)) == FIGURES["totals"]["states"]
    assert all(STATE_ID.match(s) for s in states)
    assert "MX-BCN" not in states  # named in section IV, but not a reporting state


def test_corpus_figures_objective_tables_in_printed_order():
    most = [(r["objective"], r["actions"]) for r in FIGURES["objectives_most"]]
    fewest = [(r["objective"], r["actions"]) for r in FIGURES["objectives_fewest"]]
    assert most == [(7, 46), (15, 33), (3, 27), (4, 25), (1, 23), (17, 24)]
    assert fewest == [(22, 6), (13, 5), (2, 4), (9, 4), (19, 4)]
    assert FIGURES["state_buckets"] == {"1-3": "rojo", "4-10": "amarillo", "11+": "verde"}


def test_corpus_load_figures_rejects_a_file_missing_a_section(tmp_path):
    path = tmp_path / "figures.yaml"
    path.write_text("totals: {actions: 1}\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"figures\.yaml: missing section\(s\): period, states"):
        corpus.load_figures(path)
    path.write_text("totals: [1,\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"figures\.yaml:2: not valid YAML"):
        corpus.load_figures(path)


# --- the command line --------------------------------------------------------------------------

@pytest.fixture
def run():
    from pipeline.cli import cli

    return lambda *args: CliRunner().invoke(cli, list(args))


def test_corpus_cli_show_seed_jsonl_gives_every_action(run):
    result = run("corpus", "show", "seed", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows == corpus.seed_as_jsonl_rows(SEED)


def test_corpus_cli_show_seed_table_lists_ids_and_actors(run):
    result = run("corpus", "show", "seed")
    assert result.exit_code == 0, result.output
    assert "ie2022-23-03" in result.output and "CONAPRED" in result.output


def test_corpus_cli_show_figures_prints_the_figures_as_yaml(run):
    result = run("corpus", "show", "figures")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.output) == FIGURES


def test_corpus_cli_reports_a_bad_seed_file_in_one_line(run, tmp_path):
    path = tmp_path / "seed.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    result = run("corpus", "show", "seed", "--path", str(path))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(f"Error: {path}:1: not valid JSON")
