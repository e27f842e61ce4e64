"""The taxonomy files, their loader and `pmm taxonomy`."""

import csv
import dataclasses
import importlib.util
import json
import shutil

import pytest
from click.testing import CliRunner

from pipeline import taxonomy, text
from pipeline.cli import cli
from pipeline.config import TAXONOMY_DIR
from pipeline.errors import TaxonomyError, UnknownScheme

# Section V of the Informe, as printed: the federal count table, then the state count table.
FEDERAL_TABLE = {
    "Capacidades institucionales: Recursos financieros, materiales, humanos y tecnológicos":
        "capacidades_institucionales",
    "Obtención, uso y difusión de información": "informacion",
    "Coordinación y cooperación inter e intrainstitucional": "coordinacion",
    "Fortalecer la capacitación profesionalización, y sensibilización de los servidores públicos":
        "capacitacion",
    "Participación de más actores involucrados en el tratamiento de la migración":
        "participacion_actores",
    "Política Pública y colaboración en lo local": "politica_local",
    "Mejor respuesta inmediata para la atención del fenómeno": "respuesta_inmediata",
    "Mayor cobertura de los programas": "cobertura",
    "Formulación, publicación o actualización de leyes, marcos normativos, protocolos etc.":
        "marco_normativo",
    "Restricciones por COVID 19": "covid",
    "Seguimiento a trámites y programas": "seguimiento_tramites",
}
STATE_TABLE = {
    "Capacidades institucionales: Recursos financieros, materiales, humanos y tecnológicos":
        "capacidades_institucionales",
    "Seguimiento a trámites y/o servicios": "seguimiento_tramites",
    "Políticas restrictivas por parte del Gobierno de Estados Unidos": "politicas_eeuu",
    "Obtención, uso y difusión de información": "informacion",
    "Mayor cobertura de los programas": "cobertura",
    "Agilización de trámites": "agilizacion_tramites",
    "Barreras de idioma y/o culturales": "barreras_idioma",
    "Coordinación interinstitucional e intermunicipal": "coordinacion",
    "Documentos de registro e identidad": "documentos_identidad",
    "Unificación de criterios para la realización de trámites con autoridades federales":
        "unificacion_criterios",
}
# Annex 1: the headings of the 17 definitions.
ANNEX_1 = {
    "Agilización de trámites": "agilizacion_tramites",
    "Barreras de idioma y/o culturales": "barreras_idioma",
    "Coordinación y cooperación inter e intrainstitucional y municipal": "coordinacion",
    "Obtención, uso y difusión de información": "informacion",
    "Recursos materiales, humanos y tecnológicos": "capacidades_institucionales",
    "Derechos Humanos, población vulnerable y no discriminación": "derechos_humanos",
    "Políticas públicas y gobernanza": "politicas_publicas_gobernanza",
    "Documentos de registro e identidad": "documentos_identidad",
    "Formulación, publicación o actualización de leyes, marcos normativos, protocolos etc.":
        "marco_normativo",
    "Protección y asistencia consular": "proteccion_consular",
    "Aplicación de la política pública a nivel local": "politica_local",
    "Migración irregular": "migracion_irregular",
    "Mayor cobertura de los programas": "cobertura",
    "Transversalización de la perspectiva de género": "perspectiva_genero",
    "Seguimiento a trámites y servicios": "seguimiento_tramites",
    "Políticas restrictivas por parte del Gobierno de Estados Unidos": "politicas_eeuu",
    "Unificación de criterios para la realización de trámites con autoridades federales":
        "unificacion_criterios",
}
ANNEX_2_IDS = (
    "BB CEAV CENSIDA CIJ CNB CNDH CNI CONACYT CONADIC CONAPO CONAPRED CONAVI CONAVIM CONDUSEF "
    "CONSAR ECONOMIA FGR GN IFDP IMJUVE IMSS INALI INE INM INMUJERES INPI RENAPO SRE SADER SALUD "
    "SCT SECTUR SEGOB SENADO SEP SEPOMEX SESNSP SFP SHCP SESIPINNA SNDIF STPS TELECOMM UPMRIP"
).split()
STATE_CODES = (
    "AGU BCN BCS CAM CHP CHH CMX COA COL DUR GUA GRO HID JAL MEX MIC MOR NAY NLE OAX PUE QUE ROO "
    "SLP SIN SON TAB TAM TLA VER YUC ZAC"
).split()


@pytest.fixture
def taxonomy_copy(tmp_path):
    """A writable copy of the real taxonomy files, to break one thing at a time."""
    for path in TAXONOMY_DIR.iterdir():
        if path.suffix in (".csv", ".yaml"):
            shutil.copy(path, tmp_path / path.name)
    return tmp_path


def rewrite_csv(path, change):
    """Apply change(rows) to a CSV's data rows (dicts) and write it back."""
    with open(path, encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        columns, rows = reader.fieldnames, list(reader)
    change(rows)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- GCM --------------------------------------------------------------------------------

def test_taxonomy_gcm_has_the_23_objectives_in_order():
    gcm = taxonomy.load_scheme("gcm")
    assert gcm.ids == tuple(str(n) for n in range(1, 24))
    assert all(label.name_es and label.name_en and label.description_en for label in gcm)


def test_taxonomy_gcm_spanish_titles_are_the_informe_headings():
    gcm = taxonomy.load_scheme("gcm")
    assert gcm.get("7").name_es == "Abordar y reducir las vulnerabilidades en la migración"
    assert gcm.get("15").name_es == "Proporcionar a los migrantes, acceso a servicios básicos"
    assert gcm.get("23").name_es == ("Fortalecer la cooperación internacional y las alianzas "
                                     "mundiales para la migración segura, ordenada y regular")
    # The final period is stripped from every title, not only from those that print one.
    assert not any(label.name_es.endswith(".") for label in gcm)


def test_taxonomy_gcm_english_text_has_no_pdf_spacing_artefacts():
    gcm = taxonomy.load_scheme("gcm")
    assert gcm.get("7").name_en == "Address and reduce vulnerabilities in migration"
    assert "accurate, reliable" in gcm.get("1").description_en
    for label in gcm:
        assert " ," not in label.description_en and "  " not in label.description_en
        assert label.description_en.startswith("We commit to")


def test_taxonomy_find_ignores_case_accents_and_punctuation():
    gcm = taxonomy.load_scheme("gcm")
    # Section II prints objective 15 without the heading's comma.
    assert gcm.find("Proporcionar a los migrantes acceso a servicios básicos").id == "15"
    assert gcm.find("ABORDAR Y REDUCIR LAS VULNERABILIDADES EN LA MIGRACION.").id == "7"
    assert gcm.find("Provide access to basic services for migrants").id == "15"
    assert gcm.find("23").id == "23"
    assert gcm.find("Migración") is None


# --- SDG --------------------------------------------------------------------------------

def test_taxonomy_sdg_has_17_goals_with_short_names():
    goals = taxonomy.load_scheme("sdg")
    assert goals.ids == tuple(str(n) for n in range(1, 18))
    assert goals.get("10").aliases == ("Reducción de las Desigualdades", "Reduced inequalities")
    assert goals.find("reduccion de las desigualdades").id == "10"
    assert goals.get("10").description_es == ""


def test_taxonomy_sdg_has_169_targets_each_under_a_goal():
    goals = taxonomy.load_scheme("sdg")
    targets = taxonomy.load_scheme("sdg", level="target")
    assert len(targets) == 169 and targets.level == "target"
    assert all(target.parent in goals for target in targets)
    assert all(target.id.split(".")[0] == target.parent for target in targets)
    migration = targets.get("10.7")
    assert migration.parent == "10"
    assert migration.name_es.startswith("Facilitar la migración y la movilidad ordenadas")
    assert migration.description_en.startswith("Facilitate orderly, safe, regular")
    assert {t.parent for t in targets} == set(goals.ids)


# --- challenges -------------------------------------------------------------------------

def test_taxonomy_challenges_are_the_21_fixed_ids():
    challenges = taxonomy.load_scheme("challenge")
    assert len(challenges) == 21
    assert set(challenges.ids) == (set(FEDERAL_TABLE.values()) | set(STATE_TABLE.values())
                                   | set(ANNEX_1.values()))
    assert all(c.description_es and c.description_en and c.name_en for c in challenges)


@pytest.mark.parametrize("printed, category_id",
                         list(FEDERAL_TABLE.items()) + list(STATE_TABLE.items()))
def test_taxonomy_every_count_table_name_finds_its_category(printed, category_id):
    assert taxonomy.load_scheme("challenge").find(printed).id == category_id


def test_taxonomy_challenge_tables_match_section_v():
    challenges = taxonomy.load_scheme("challenge")
    for category in challenges:
        expected = tuple(table for table, names in (("federal", FEDERAL_TABLE), ("state", STATE_TABLE))
                         if category.id in names.values())
        assert category.tables == expected, category.id
    # name_es is the name the count table prints.
    assert challenges.get("covid").name_es == "Restricciones por COVID 19"
    assert challenges.get("politicas_eeuu").name_es in STATE_TABLE


@pytest.mark.parametrize("heading, category_id", list(ANNEX_1.items()))
def test_taxonomy_every_annex_1_category_is_present(heading, category_id):
    assert taxonomy.load_scheme("challenge").find(heading).id == category_id


def test_taxonomy_annex_definitions_are_copied_verbatim():
    challenges = taxonomy.load_scheme("challenge")
    assert challenges.get("agilizacion_tramites").description_es == (
        "Es la capacidad institucional para llevar a cabo trámites de manera pronta y eficaz.")
    assert challenges.get("politica_local").description_es == (
        "Implementación de una política pública federal en las Entidades o Municipios de la "
        "República Mexicana.")


# --- actors -----------------------------------------------------------------------------

def test_taxonomy_actors_hold_the_44_annex_2_bodies_at_federal_level():
    actors = taxonomy.load_actors()
    for actor_id in ANNEX_2_IDS:
        assert actors.get(actor_id).level == "federal", actor_id
    assert len(ANNEX_2_IDS) == 44
    assert actors.get("SENADO").actor_type == "legislative"
    assert actors.get("CNDH").actor_type == "autonomous"
    assert actors.get("INM").name_es == "Instituto Nacional de Migración"
    for extra in ("ANAM", "CNBV", "COMAR", "IME", "GOBMX"):
        assert actors.get(extra).actor_type == "federal"


def test_taxonomy_actors_hold_the_32_states_and_one_municipality():
    actors = taxonomy.load_actors()
    states = actors.states()
    assert [s.id for s in states] == [f"MX-{code}" for code in STATE_CODES]
    assert all(s.state == s.id and s.kind == "entidad_federativa" for s in states)
    assert actors.get("MX-MEX").name_es == "Estado de México"
    town = actors.get("MX-ROO-OPB")
    assert (town.actor_type, town.state, town.level) == ("municipal", "MX-ROO", "municipal")
    assert all(a.state is None for a in actors if a.actor_type not in ("state", "municipal"))


def test_taxonomy_level_of_groups_federal_types():
    assert [taxonomy.level_of(t) for t in taxonomy.ACTOR_TYPES] == [
        "federal", "federal", "federal", "state", "municipal", "other"]
    with pytest.raises(TaxonomyError, match="unknown actor type 'estatal'"):
        taxonomy.level_of("estatal")


@pytest.mark.parametrize("text, actor_id", [
    ("Gobierno del Estado de Chiapas", "MX-CHP"),
    ("la CDMX", "MX-CMX"),
    ("el INAMI", "INM"),
    ("Gobierno de México", "GOBMX"),
    ("El gobierno mexicano ha suscrito acuerdos", "GOBMX"),
    ("Instituto Poblano de Asistencia al Migrante", "MX-PUE"),
    ("Estado de México", "MX-MEX"),
    ("el Gobierno del Estado de México ayuda a los mexiquenses", "MX-MEX"),
    ("Edomex", "MX-MEX"),
    ("secretaria de gobernacion", "SEGOB"),
    ("Secretaría de\n  Gobernación", "SEGOB"),
    ("la S.R.E", "SRE"),
    ("ECONOMÍA", "ECONOMIA"),
    ("Guardia Nacional (G.G)", "GN"),
    ("Baja California Sur", "MX-BCS"),
    ("Instituto Nacional de Migracio\u0301n", "INM"),  # decomposed accent
    # The longest name wins: the unit, not the secretaría it belongs to.
    ("la Unidad de Política Migratoria, Registro e Identidad de Personas de la Secretaría de "
     "Gobernación", "UPMRIP"),
    ("el H. Ayuntamiento de Othón P. Blanco del Estado de Quintana Roo", "MX-ROO-OPB"),
    # A state's own secretaría named like a federal one belongs to the state.
    ("la Secretaría de Salud del Estado de Tabasco", "MX-TAB"),
    ("la Secretaría de Salud de la Ciudad de México", "MX-CMX"),
    ("la Secretaría de Salud y las Comisiones estatales contra las Adicciones", "SALUD"),
])
def test_taxonomy_resolve_names_the_actor(text, actor_id):
    actor = taxonomy.load_actors().resolve(text)
    assert actor is not None and actor.id == actor_id


@pytest.mark.parametrize("text", [
    "México y Canadá",  # a country, not the Estado de México nor the government
    "personas nacidas en Estados Unidos de América",
    "servicios de salud y de economía",  # acronyms SALUD, ECONOMÍA match only in capitals
    "Sistemas para el Desarrollo Integral de la Familia estatales",
    "",
])
def test_taxonomy_resolve_returns_none_rather_than_guess(text):
    assert taxonomy.load_actors().resolve(text) is None


def test_taxonomy_resolve_prefers_the_earliest_of_equally_long_names():
    actors = taxonomy.load_actors()
    assert actors.resolve("Colima y Sonora").id == "MX-COL"
    assert actors.resolve("Sonora y Colima").id == "MX-SON"


def test_taxonomy_mentions_lists_actors_in_order_without_nested_names():
    actors = taxonomy.load_actors()
    text = ("El Gobierno del Estado de Chiapas y el INM, con la Secretaría de Salud de Tabasco "
            "y otra vez el Instituto Nacional de Migración.")
    assert [a.id for a in actors.mentions(text)] == ["MX-CHP", "INM", "MX-TAB"]


# --- loader contract --------------------------------------------------------------------

def test_taxonomy_unknown_scheme_or_level_raises_unknown_scheme():
    with pytest.raises(UnknownScheme, match="unknown scheme 'ods'"):
        taxonomy.load_scheme("ods")
    with pytest.raises(UnknownScheme, match="scheme 'gcm' has no level 'target'"):
        taxonomy.load_scheme("gcm", level="target")


def test_taxonomy_unknown_ids_raise_taxonomy_error():
    with pytest.raises(TaxonomyError, match="unknown label '24'"):
        taxonomy.load_scheme("gcm").get("24")
    with pytest.raises(TaxonomyError, match="unknown actor 'SEDENA'"):
        taxonomy.load_actors().get("SEDENA")
    assert "24" not in taxonomy.load_scheme("gcm") and "7" in taxonomy.load_scheme("gcm")


def test_taxonomy_results_are_cached_and_immutable():
    gcm = taxonomy.load_scheme("gcm")
    assert taxonomy.load_scheme("gcm", taxonomy_dir=TAXONOMY_DIR / ".." / "taxonomy") is gcm
    with pytest.raises(dataclasses.FrozenInstanceError):
        gcm.get("7").name_es = "otro"
    assert gcm.get("7").name("en") == "Address and reduce vulnerabilities in migration"


def test_taxonomy_normalize_folds_case_accents_and_whitespace():
    assert text.fold("  Migración\n IRREGULAR  ") == "migracion irregular"
    assert text.fold("Niñas, Niños") == "ninas, ninos"


def test_taxonomy_loader_composes_decomposed_accents(taxonomy_copy):
    decomposed = "Abordar y reducir las vulnerabilidades en la migracio\u0301n"
    rewrite_csv(taxonomy_copy / "gcm_objectives.csv", lambda rows: rows[6].update(title_es=decomposed))
    gcm = taxonomy.load_scheme("gcm", taxonomy_dir=taxonomy_copy)
    assert gcm.get("7").name_es == "Abordar y reducir las vulnerabilidades en la migración"


# --- validate ---------------------------------------------------------------------------

def test_taxonomy_validate_accepts_the_real_files():
    taxonomy.validate()


def test_taxonomy_validate_reports_a_duplicate_id(taxonomy_copy):
    rewrite_csv(taxonomy_copy / "gcm_objectives.csv", lambda rows: rows.__setitem__(8, {**rows[8], "id": "7"}))
    with pytest.raises(TaxonomyError, match=r"gcm_objectives\.csv: line 10: duplicate id '7' \(first on line 8\)"):
        taxonomy.validate(taxonomy_copy)


def test_taxonomy_validate_reports_a_target_with_an_unknown_goal(taxonomy_copy):
    rewrite_csv(taxonomy_copy / "sdg_targets.csv", lambda rows: rows[0].update(goal="18"))
    with pytest.raises(TaxonomyError, match=r"sdg_targets\.csv: line 2: target '1\.1' has unknown goal '18'"):
        taxonomy.validate(taxonomy_copy)


def test_taxonomy_validate_reports_an_alias_shared_by_two_actors(taxonomy_copy):
    def give_sre_an_inm_alias(rows):
        sre = next(row for row in rows if row["id"] == "SRE")
        sre["aliases"] += "|Instituto Nacional de Migracion"
    rewrite_csv(taxonomy_copy / "actors.csv", give_sre_an_inm_alias)
    with pytest.raises(TaxonomyError, match="alias 'Instituto Nacional de Migracion' of 'SRE' also names 'INM'"):
        taxonomy.validate(taxonomy_copy)


@pytest.mark.parametrize("field, value, message", [
    ("actor_type", "estatal", "unknown actor_type 'estatal'"),
    ("state", "MX-XXX", "state 'MX-XXX' of 'MX-CHP' is not the id of a state actor"),
    ("name_es", "", "empty name_es"),
])
def test_taxonomy_validate_reports_bad_actor_rows(taxonomy_copy, field, value, message):
    def break_chiapas(rows):
        next(row for row in rows if row["id"] == "MX-CHP")[field] = value
    rewrite_csv(taxonomy_copy / "actors.csv", break_chiapas)
    with pytest.raises(TaxonomyError, match=r"actors\.csv: line \d+: " + message):
        taxonomy.validate(taxonomy_copy)


def test_taxonomy_validate_reports_a_duplicate_challenge(taxonomy_copy):
    path = taxonomy_copy / "challenges.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- id: covid", "- id: cobertura"), encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"challenges\.yaml: item 10 \(cobertura\): duplicate id 'cobertura'"):
        taxonomy.validate(taxonomy_copy)


def test_taxonomy_validate_reports_a_missing_file(taxonomy_copy):
    (taxonomy_copy / "sdg_goals.csv").unlink()
    with pytest.raises(TaxonomyError, match=r"sdg_goals\.csv: file not found"):
        taxonomy.validate(taxonomy_copy)


# --- build_sdg.py -----------------------------------------------------------------------

def test_taxonomy_build_sdg_regenerates_the_committed_files(tmp_path):
    spec = importlib.util.spec_from_file_location("build_sdg", TAXONOMY_DIR / "build_sdg.py")
    build_sdg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_sdg)
    # Rebuild the open-sdg export's layout from the committed files, then regenerate them.
    source = tmp_path / build_sdg.SOURCE_FILE
    columns = ["level", "id", "goal", "title_es", "title_en", "short_es", "short_en"]
    with open(source, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        with open(TAXONOMY_DIR / "sdg_goals.csv", encoding="utf-8", newline="") as goals:
            for goal in csv.DictReader(goals):
                writer.writerow({**goal, "level": "goal", "goal": goal["id"]})
        with open(TAXONOMY_DIR / "sdg_targets.csv", encoding="utf-8", newline="") as targets:
            for target in csv.DictReader(targets):
                writer.writerow({**target, "level": "target"})
        writer.writerow({"level": "indicator", "id": "10.7.1", "goal": "10", "title_es": "x",
                         "title_en": "x"})
    out = tmp_path / "out"
    out.mkdir()
    assert build_sdg.main([str(tmp_path), "--out", str(out)]) == 0
    for name in ("sdg_goals.csv", "sdg_targets.csv"):
        assert (out / name).read_bytes() == (TAXONOMY_DIR / name).read_bytes()


# --- CLI --------------------------------------------------------------------------------

def test_taxonomy_cli_show_gcm_as_json():
    result = CliRunner().invoke(cli, ["taxonomy", "show", "gcm", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 23
    assert rows[6]["id"] == "7"
    assert rows[6]["name_es"] == "Abordar y reducir las vulnerabilidades en la migración"


def test_taxonomy_cli_show_actors_as_csv():
    result = CliRunner().invoke(cli, ["taxonomy", "show", "actors", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    inm = next(row for row in rows if row["id"] == "INM")
    assert "INAMI" in inm["aliases"].split("|")


def test_taxonomy_cli_unknown_list_is_a_usage_error():
    result = CliRunner().invoke(cli, ["taxonomy", "show", "ods"])
    assert result.exit_code == 2
    assert "'ods' is not one of" in result.output


def test_taxonomy_cli_check_prints_counts():
    result = CliRunner().invoke(cli, ["taxonomy", "check"])
    assert result.exit_code == 0, result.output
    assert "gcm: 23" in result.output and "sdg-targets: 169" in result.output
    assert "challenges: 21" in result.output and "taxonomy OK" in result.output


def test_taxonomy_cli_check_reports_a_broken_file(taxonomy_copy):
    rewrite_csv(taxonomy_copy / "sdg_targets.csv", lambda rows: rows[0].update(goal="18"))
    result = CliRunner().invoke(cli, ["taxonomy", "check", "--taxonomy-dir", str(taxonomy_copy)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "sdg_targets.csv: line 2: target '1.1' has unknown goal '18'" in result.output
