"""The second year (issue 14): periods, duplicates within a period, continuing programmes with
their labels proposed (never decided without a person), and the comparison between periods."""

import pandas as pd
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import BadInput, PmmError
from pipeline.extract import extract_file
from pipeline.extract.period import detect_period, document_period, normalize_period, periods_in
from pipeline.ingest import ingest_paths
from pipeline.report import build_report
from pipeline.report.compare import build_comparison, compare_periods
from pipeline.report.frame import of_period
from pipeline.review.continuing import accept_carried, carried_proposals, find_continuations
from pipeline.review.duplicates import (duplicate_pairs, find_duplicates, merged_into,
                                        resolve_duplicate)
from pipeline.review.queue import review_queue
from pipeline.review.similarity import figures, names
from pipeline.store import SCHEMA_VERSION, connect
from pipeline.store import periods as store_periods
from pipeline.store import queries as q
from pipeline.store.db import current_version
from pipeline.store.schema import MIGRATIONS, schema_versions
from tools import render

ANALYST = "Analista 2022"
VISAS = ("El Instituto Nacional de Migración operó el programa “Visitante por Razones Humanitarias”: "
         "entre junio de 2021 y junio de 2022 expidió 12,400 tarjetas en 14 oficinas de la frontera sur.")
CONSULAR = ("La Secretaría de Relaciones Exteriores brindó asistencia consular a 3,250 personas "
            "mexicanas detenidas en el exterior por medio de su red de 53 consulados.")
ESCUELAS = ("La Secretaría de Educación Pública inscribió a 8,100 niñas y niños migrantes en escuelas "
            "primarias de Chiapas y Tabasco con el programa “Escuela sin Fronteras”.")
SALUD = ("La Secretaría de Salud vacunó contra sarampión a personas en tránsito en albergues de la "
         "frontera sur durante las Jornadas Nacionales de Salud Pública.")


# --- periods ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, period", [
    ("Acciones para el seguimiento del PMM, junio de 2022 a junio de 2023: INM", "2023"),
    ("junio 2021 – junio 2022", "2022"),
    ("En el periodo de junio de 2021 a junio de 2022, se realizaron tres publicaciones", "2022"),
    ("del 1 de junio de 2022 al 30 de junio de 2023", "2023"),
    ("entre junio de 2021 y junio de 2022", "2022"),
    ("From June 2022 to June 2023", "2023"),
    ("Informe 2022-2023", "2023"),
    ("En agosto de 2021 publicó el boletín", None),
    ("desde 2015 hasta 2023", None),  # a history, not a reporting period
])
def test_period_detected_from_dates(text, period):
    assert detect_period(text) == period


def test_period_normalized_from_what_a_person_types():
    assert normalize_period("2023") == "2023"
    assert normalize_period(" 2022-2023 ") == "2023"
    assert normalize_period("2022-06/2023-06") == "2023"
    assert normalize_period("junio de 2022 a junio de 2023") == "2023"
    assert normalize_period("") is None and normalize_period(None) is None
    with pytest.raises(BadInput, match=r"^--period: 'el año pasado' is not a period; give the year"):
        normalize_period("el año pasado")
    assert periods_in("de 2020 a 2021 y de junio de 2022 a junio de 2023") == ["2021", "2023"]


def _submission(path, year, actions, *, title=None):
    title = title or f"Acciones para el seguimiento del PMM, junio de {year - 1} a junio de {year}: Secretaría de Salud"
    return render.render_narrative(path, title, render.objective_sections(actions), stray_link=None)


def test_ingest_reads_the_period_from_the_document_or_takes_the_given_one(db, tmp_path):
    a = _submission(tmp_path / "salud_2023.pdf", 2023, [{"text": SALUD, "objectives": [15]}])
    b = _submission(tmp_path / "sep_2023.pdf", 2023, [{"text": ESCUELAS, "objectives": [15]}],
                    title="Acciones para el seguimiento del PMM: Secretaría de Educación Pública")
    outcomes = ingest_paths(db, [a])
    assert [(o.status, o.period) for o in outcomes] == [("stored", "2023")]
    outcomes = ingest_paths(db, [b], period="2024")
    assert [(o.status, o.period) for o in outcomes] == [("stored", "2024")]
    with db.connect() as conn:
        assert store_periods.period_counts(conn) == {"2023": 1, "2024": 1}
        subs = conn.execute(sa.text("select file_name, period from submissions order by id")).all()
    assert [tuple(s) for s in subs] == [("salud_2023.pdf", "2023"), ("sep_2023.pdf", "2024")]
    # The same file again is a duplicate, reported with the period it was stored under.
    assert [(o.status, o.period) for o in ingest_paths(db, [a])] == [("duplicate", "2023")]
    # A document that states no period anywhere: none.
    c = _submission(tmp_path / "sin_fecha.pdf", 2023, [{"text": CONSULAR, "objectives": [14]}],
                    title="Acciones de la Secretaría de Relaciones Exteriores")
    extraction = extract_file(c)
    assert document_period(extraction.front_text, extraction.records) is None


def test_ingest_reads_a_docx_period_from_its_first_paragraphs(db, tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Secretaría de Salud", level=0)
    document.add_paragraph("Acciones para el seguimiento del PMM, junio de 2022 a junio de 2023")
    document.add_heading("Objetivo 15. Proporcionar acceso a servicios básicos", level=1)
    document.add_paragraph(SALUD, style="List Bullet")
    path = tmp_path / "salud.docx"
    document.save(path)
    assert "junio de 2022 a junio de 2023" in extract_file(path).front_text
    assert [(o.status, o.period) for o in ingest_paths(db, [path])] == [("stored", "2023")]


def test_ingest_cli_period_option_and_bad_period(db_path, tmp_path):
    pdf = _submission(tmp_path / "salud.pdf", 2023, [{"text": SALUD, "objectives": [15]}])
    runner = CliRunner()
    bad = runner.invoke(cli, ["--db", str(db_path), "ingest", "--period", "pronto", str(pdf)])
    assert bad.exit_code == 1
    assert bad.output.strip().splitlines()[-1] == "Error: --period: 'pronto' is not a period; give the year it ends in, e.g. 2023"
    ok = runner.invoke(cli, ["--db", str(db_path), "ingest", "--period", "2022-2023", str(pdf)])
    assert ok.exit_code == 0, ok.output
    engine = connect(str(db_path))
    with engine.connect() as conn:
        assert store_periods.period_counts(conn) == {"2023": 1}


def test_store_migration_2_upgrades_a_version_1_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    version, name, create = MIGRATIONS[0]
    with engine.begin() as conn:  # a store as version 1 left it: no submissions.period
        create(conn)
        conn.execute(sa.text("ALTER TABLE submissions DROP COLUMN period"))
        schema_versions.create(conn, checkfirst=True)
        conn.execute(schema_versions.insert().values(version=version, name=name,
                                                     applied_at=sa.func.current_timestamp()))
        conn.execute(sa.text("INSERT INTO submissions (file_name, sha256, received_at) "
                             "VALUES ('viejo.pdf', 'ab', CURRENT_TIMESTAMP)"))
    engine.dispose()
    store = connect(url)
    assert current_version(store) == SCHEMA_VERSION
    with store.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("submissions")}
        tables = set(sa.inspect(conn).get_table_names())
        assert conn.execute(sa.text("select file_name, period from submissions")).one() == ("viejo.pdf", None)
    assert "period" in columns
    assert {"duplicate_candidates", "duplicate_resolutions", "continuations"} <= tables


# --- text rule ----------------------------------------------------------------------------------

def test_programme_names_and_figures_of_a_text():
    text = ("El Grupo de Acción Inmediata (GAI) del INM y la «Guía para la Atención de Niñas» "
            "atendieron a 6,542 personas en 2022 (COVID-19), y 4 más.")
    assert {"gai", "el grupo de accion inmediata", "guia para la atencion de ninas"} <= names(text)
    assert "inm" not in names(text)
    assert figures(text) == {6542}  # not the year, not COVID-19, not 4


# --- duplicates and continuing programmes ----------------------------------------------------

@pytest.fixture
def two_years(db):
    """2022: VISAS and CONSULAR decided by an analyst. 2023: both again with new figures,
    ESCUELAS new, and ESCUELAS pasted a second time; SALUD both years but by another actor."""
    with db.begin() as conn:
        old = q.add_actions(conn, [{"text": VISAS, "actor": "INM"}, {"text": CONSULAR, "actor": "SRE"},
                                   {"text": SALUD, "actor": "SALUD"}])
        store_periods.set_actions_period(conn, old, "2022")
        q.record_decision(conn, action_id=old[0], scheme="gcm", labels=["5", "7"], reviewer=ANALYST, source="cli")
        q.record_decision(conn, action_id=old[1], scheme="gcm", labels=["14"], reviewer=ANALYST, source="cli")
        new = q.add_actions(conn, [
            {"text": VISAS.replace("2021", "2022").replace("junio de 2022 expidió", "junio de 2023 expidió")
                          .replace("12,400", "15,870"), "actor": "INM"},
            {"text": CONSULAR.replace("3,250", "3,912"), "actor": "SRE"},
            {"text": ESCUELAS, "actor": "SEP"},
            {"text": ESCUELAS.replace(" de Chiapas y Tabasco", ""), "actor": "SEP"},
            {"text": SALUD, "actor": "IMSS"},
        ])
        store_periods.set_actions_period(conn, new, "2023")
    return {"old": old, "new": new}


def test_duplicates_found_within_a_period_and_never_merged_without_a_person(db, two_years):
    old, new = two_years["old"], two_years["new"]
    pairs = find_duplicates(db, period="2023")
    assert [(p["action_id"], p["other_id"], p["reason"]) for p in pairs] == [(new[2], new[3], "text")]
    assert find_duplicates(db, period="2022") == []  # the 2022 texts are distinct programmes
    with db.connect() as conn:
        assert merged_into(conn) == {}
        listed = duplicate_pairs(conn, period="2023")
    assert [(p["left"]["id"], p["right"]["id"], p["resolution"]) for p in listed] == [(new[2], new[3], None)]
    with db.begin() as conn:
        with pytest.raises(PmmError, match="needs a reviewer"):
            resolve_duplicate(conn, action_id=new[2], other_id=new[3], verdict="same", reviewer=" ")
        with pytest.raises(PmmError, match="unknown verdict"):
            resolve_duplicate(conn, action_id=new[2], other_id=new[3], verdict="maybe", reviewer="Ana")
        first = resolve_duplicate(conn, action_id=new[3], other_id=new[2], verdict="different", reviewer="Ana")
        resolve_duplicate(conn, action_id=new[2], other_id=new[3], verdict="same", reviewer="Luis")
    with db.connect() as conn:
        assert merged_into(conn) == {new[3]: new[2]}
        assert duplicate_pairs(conn, period="2023") == []
        history = store_periods.all_duplicate_resolutions(conn)
    assert [(h["id"] == first, h["verdict"], h["reviewer"], h["undone_at"]) for h in history] == \
        [(True, "different", "Ana", None), (False, "same", "Luis", None)]
    # Finding again keeps what people said.
    find_duplicates(db, period="2023")
    with db.connect() as conn:
        assert merged_into(conn) == {new[3]: new[2]}
    with db.begin() as conn:
        store_periods.undo_duplicate_resolution(conn, history[1]["id"])
    with db.connect() as conn:
        assert merged_into(conn) == {}  # the earlier "different" is in force again


def test_continuing_programmes_get_last_years_labels_proposed_only(db, two_years):
    old, new = two_years["old"], two_years["new"]
    links = find_continuations(db, period="2023")
    # SALUD is the same text but another actor reports it: not a continuation.
    assert {(l["action_id"], l["previous_id"]) for l in links} == {(new[0], old[0]), (new[1], old[1])}
    with db.connect() as conn:
        proposals = carried_proposals(conn, scheme="gcm")
        assert q.current_decisions(conn, scheme="gcm", action_ids=new) == {}  # nothing decided
    assert {k: (v["labels"], v["previous_period"], v["reviewer"]) for k, v in proposals.items()} == {
        new[0]: (["5", "7"], "2022", ANALYST), new[1]: (["14"], "2022", ANALYST)}
    with db.begin() as conn:
        # A person decided one of them already: accepting in bulk leaves it as it is.
        q.record_decision(conn, action_id=new[1], scheme="gcm", labels=["16"], reviewer="Ana", source="cli")
        with pytest.raises(PmmError, match="needs a reviewer name"):
            accept_carried(conn, scheme="gcm", reviewer="")
        ids = accept_carried(conn, scheme="gcm", reviewer="Luis", period="2023")
    assert len(ids) == 1
    with db.connect() as conn:
        decided = q.current_decisions(conn, scheme="gcm", action_ids=new)
    assert {k[0]: (v["labels"], v["reviewer"], v["source"]) for k, v in decided.items()} == {
        new[0]: (["5", "7"], "Luis", "carried"), new[1]: (["16"], "Ana", "cli")}
    assert decided[(new[0], "gcm")]["note"].startswith("como en 2022: acción ")


def test_review_queue_puts_new_programmes_first_and_skips_confirmed_repeats(db, two_years):
    from test_review_support import full_scores

    new = two_years["new"]
    with db.begin() as conn:
        for action_id, score in zip(new, (0.2, 0.25, 0.5, 0.55, 0.6)):
            q.add_predictions(conn, action_id=action_id, scheme="gcm", model_version="m1",
                              labels=full_scores({"7": score}), assigned=["7"])
    find_continuations(db, period="2023")
    with db.connect() as conn:
        order = [i["action_id"] for i in review_queue(conn, scheme="gcm")]
    assert order == [new[2], new[3], new[4], new[0], new[1]]
    with db.begin() as conn:
        resolve_duplicate(conn, action_id=new[2], other_id=new[3], verdict="same", reviewer="Ana")
    with db.connect() as conn:
        items = review_queue(conn, scheme="gcm")
    assert [i["action_id"] for i in items] == [new[2], new[4], new[0], new[1]]
    assert items[2]["carried"]["labels"] == ["5", "7"] and items[0]["carried"] is None
    assert items[0]["period"] == "2023"


def test_cli_duplicates_resolve_continuing_accept(db_path, two_years, db):
    runner = CliRunner()
    new = two_years["new"]
    base = ["--db", str(db_path), "review"]
    out = runner.invoke(cli, [*base, "duplicates", "--period", "2023", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert "[" in out.output and f'"other": {new[3]}' in out.output
    out = runner.invoke(cli, [*base, "resolve", str(new[2]), str(new[3]), "same", "--reviewer", "Ana"])
    assert out.exit_code == 0 and "are same" in out.output
    out = runner.invoke(cli, [*base, "continuing", "--period", "2023", "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = out.output.strip().splitlines()
    assert lines[0] == "period,id,actor,como_en,previous,labels,decided_by,text"
    assert len(lines) == 3 and lines[1].startswith(f"2023,{new[0]},INM,2022,")
    out = runner.invoke(cli, [*base, "accept-carried", "--period", "2023", "--reviewer", "Luis"])
    assert out.exit_code == 0 and out.output.startswith("2 gcm decisions recorded")
    out = runner.invoke(cli, [*base, "resolve", "1", "999", "same", "--reviewer", "Ana"])
    assert out.exit_code == 1 and "Error: action 999 is not in the store" in out.output


# --- the report ---------------------------------------------------------------------------------

def test_report_counts_a_confirmed_repeat_once_and_lists_candidates(db, two_years, tmp_path):
    new = two_years["new"]
    find_duplicates(db, period="2023")
    result = build_report(db, tmp_path / "a", period="2023")
    summary = result.tables["summary"].set_index("metric")
    assert summary.at["actions", "value"] == 5
    assert summary.at["duplicate_candidates", "value"] == 1
    assert list(result.tables["duplicates"]["action_ids"]) == [[new[2], new[3]]]
    html = result.paths["html"].read_text(encoding="utf-8")
    assert "1 pares de acciones posiblemente repetidas esperan revisión" in html
    with db.begin() as conn:
        resolve_duplicate(conn, action_id=new[2], other_id=new[3], verdict="same", reviewer="Ana")
    result = build_report(db, tmp_path / "b", period="2023")
    summary = result.tables["summary"].set_index("metric")
    assert summary.at["actions", "value"] == 4
    assert summary.at["duplicates_merged", "value"] == 1
    assert summary.at["duplicates_merged", "action_ids"] == [new[3]]
    table = result.tables["duplicates"]
    assert list(zip(table["kept"], table["repeated"], table["reviewer"])) == [(new[2], new[3], "Ana")]
    html = result.paths["html"].read_text(encoding="utf-8")
    assert "1 acciones que una persona confirmó como repetidas se contaron una sola vez" in html
    assert f'id="a-{new[3]}"' in html  # the repeat stays traceable in the annex
    # Without --period, the report warns that it mixes periods.
    mixed = build_report(db, tmp_path / "c")
    assert "varios periodos (2022, 2023)" in mixed.paths["html"].read_text(encoding="utf-8")


def test_comparison_counts_and_traces_new_continuing_ended(db, two_years, tmp_path):
    old, new = two_years["old"], two_years["new"]
    find_continuations(db, period="2023")
    with db.begin() as conn:
        resolve_duplicate(conn, action_id=new[2], other_id=new[3], verdict="same", reviewer="Ana")
        accept_carried(conn, scheme="gcm", reviewer="Luis")
        q.record_decision(conn, action_id=new[2], scheme="gcm", labels=["15"], reviewer="Luis", source="cli")
        q.record_decision(conn, action_id=new[4], scheme="gcm", labels=["15"], reviewer="Luis", source="cli")
        q.record_decision(conn, action_id=old[2], scheme="gcm", labels=["15"], reviewer=ANALYST, source="cli")
    with db.connect() as conn:
        tables = compare_periods(conn, period="2023", previous="2022")["tables"]
    objectives = tables["compare_objectives"].set_index("objective")
    assert objectives.loc["15", ["previous", "current", "change"]].tolist() == [1, 2, 1]
    assert objectives.loc["15", "current_ids"] == sorted([new[2], new[4]])
    assert objectives.loc["14", ["previous", "current", "change"]].tolist() == [1, 1, 0]
    assert objectives.loc["1", ["previous", "current"]].tolist() == [0, 0]
    actors = tables["compare_actors"].set_index("actor")
    assert actors.loc["INM", ["new", "continuing", "ended"]].tolist() == [0, 1, 0]
    assert actors.loc["SEP", ["new", "continuing", "ended", "new_ids"]].tolist() == [1, 0, 0, [new[2]]]
    assert actors.loc["SALUD", ["new", "continuing", "ended", "ended_ids"]].tolist() == [0, 0, 1, [old[2]]]
    assert actors.loc["IMSS", ["new", "continuing", "ended"]].tolist() == [1, 0, 0]
    summary = tables["compare_summary"].set_index("metric")
    assert summary.loc["actions", ["previous", "current"]].tolist() == [3, 4]
    assert summary.loc["merged", ["previous", "current"]].tolist() == [0, 1]
    result = build_comparison(db, tmp_path, period="2023", previous="2022")
    # Given what the report just read, the comparison is the same without reading the store again.
    stored = build_report(db, tmp_path / "report", period="2023").stored
    assert stored.period is None and len(stored.frame) == len(old) + len(new)
    again = build_comparison(db, tmp_path / "again", period="2023", previous="2022", stored=stored)
    for key, table in result.tables.items():
        pd.testing.assert_frame_equal(again.tables[key], table)
    with pytest.raises(ValueError, match="every period's actions"):
        build_comparison(db, tmp_path / "again", period="2023", previous="2022",
                         stored=of_period(stored, "2023"))
    html = result.paths["html"].read_text(encoding="utf-8")
    assert f'<a href="#a-{old[2]}">{old[2]}</a>' in html and f'id="a-{old[2]}"' in html
    assert "“Escuela sin Fronteras”" in html and "<script" not in html
    import openpyxl

    book = openpyxl.load_workbook(result.paths["xlsx"])
    assert book.sheetnames == ["Resumen", "Por objetivo", "Por actor", "Acciones"]
    with pytest.raises(PmmError, match="cannot compare period 2023 with itself"):
        build_comparison(db, tmp_path, period="2023", previous="2023")


def test_report_cli_compare(db_path, two_years, tmp_path):
    find_continuations(connect(str(db_path)), period="2023")
    out = CliRunner().invoke(cli, ["--db", str(db_path), "report", "--out", str(tmp_path / "r"),
                                   "--compare", "2022"])
    assert out.exit_code == 0, out.output
    assert "2023 / 2022" in out.output and (tmp_path / "r" / "comparacion.html").is_file()
    bad = CliRunner().invoke(cli, ["--db", str(db_path), "report", "--out", str(tmp_path / "s"),
                                   "--period", "ayer"])
    assert bad.exit_code == 1 and "Error: --period: 'ayer' is not a period" in bad.output


# --- the two-year fixture (the benchmark's measurement, as a test) -----------------------------------

@pytest.mark.slow
def test_two_year_fixture_found_and_compared_as_the_truth_says(db):
    from tools import two_year_eval as ev

    state = ev.prepare(db)
    assert ev.score_periods(state)["right"] == len(state["truth"])
    duplicates, continuations = ev.score_duplicates(state), ev.score_continuations(state)
    assert duplicates["precision"] >= 0.95 and duplicates["recall"] >= 0.95, duplicates
    assert continuations["precision"] >= 0.95 and continuations["recall"] >= 0.95, continuations
    review = ev.review_year_two(db, state)
    assert review["reviewed_one_by_one"] + review["carried_confirmations"] <= review["actions"]
    assert review["reviewed_one_by_one"] == sum(1 for a in state["truth"].values()
                                               if a["period"] == "2023" and a["status"] == "new")
    with db.connect() as conn:
        tables = compare_periods(conn, period="2023", previous="2022")["tables"]
    assert ev.compare_with_truth(tables, ev.expected_comparison(state)) == []


def test_store_migration_2_applied_to_a_store_that_has_later_ones(tmp_path):
    """Migrations written in parallel land out of order: a store with 1 and 3 still gets 2."""
    url = f"sqlite:///{tmp_path / 'gap.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        schema_versions.create(conn, checkfirst=True)
        for version, name, migrate in MIGRATIONS:
            if version == 2:
                continue
            migrate(conn)
            conn.execute(schema_versions.insert().values(version=version, name=name,
                                                         applied_at=sa.func.current_timestamp()))
        conn.execute(sa.text("DROP TABLE IF EXISTS continuations"))
    engine.dispose()
    store = connect(url)
    with store.connect() as conn:
        versions = sorted(conn.execute(sa.select(schema_versions.c.version)).scalars())
        assert "continuations" in sa.inspect(conn).get_table_names()
    assert versions == sorted(v for v, _, _ in MIGRATIONS)


def test_a_partner_reporting_the_same_programme_in_its_own_words_is_a_candidate(db):
    """Little shared wording, but the same programme name and figure: the name-and-figures rule."""
    inm = ("El Instituto Nacional de Migración operó el programa “Visitante por Razones Humanitarias” y "
           "expidió 12,400 tarjetas a personas extranjeras en la frontera sur.")
    comar = ("La Comisión Mexicana de Ayuda a Refugiados dio seguimiento, junto con otras dependencias, al "
             "programa “Visitante por Razones Humanitarias”: se entregaron 12,400 tarjetas a solicitantes "
             "de la condición de refugiado.")
    same_figure_only = ("La Comisión Mexicana de Ayuda a Refugiados recibió 12,400 solicitudes de la "
                        "condición de refugiado en sus oficinas de Tapachula y Palenque.")
    with db.begin() as conn:
        ids = q.add_actions(conn, [{"text": inm, "actor": "INM"}, {"text": comar, "actor": "COMAR"},
                                   {"text": same_figure_only, "actor": "COMAR"}])
        store_periods.set_actions_period(conn, ids, "2023")
    pairs = find_duplicates(db, period="2023")
    assert [(p["action_id"], p["other_id"], p["reason"], p["names"], p["figures"]) for p in pairs] == [
        (ids[0], ids[1], "name_figures", ["visitante por razones humanitarias"], [12400])]
    assert pairs[0]["overlap"] < 0.6


def test_second_year_api_refuses_bad_input(db, two_years):
    from pipeline.review.server import create_app

    client = create_app(db).test_client()
    post = lambda path, body: client.post(path, json=body, headers={"X-PMM-Request": "1"})  # noqa: E731
    new = two_years["new"]
    assert post("/api/carried/accept", {"scheme": "gcm", "reviewer": "Ana", "action_ids": [True]}).status_code == 400
    assert post("/api/carried/accept", {"scheme": "xx", "reviewer": "Ana", "action_ids": [1]}).status_code == 400
    assert post("/api/carried/accept", {"scheme": "gcm", "reviewer": " ", "action_ids": [1]}).status_code == 400
    assert post("/api/duplicates/resolve", {"action_id": new[2], "other_id": new[3], "verdict": "tal vez",
                                            "reviewer": "Ana"}).status_code == 400
    assert post("/api/duplicates/resolve", {"action_id": new[2], "other_id": 9999, "verdict": "same",
                                            "reviewer": "Ana"}).status_code == 404
    assert post("/api/duplicates/resolve", {"action_id": new[2], "other_id": new[2], "verdict": "same",
                                            "reviewer": "Ana"}).status_code == 404
    # Without the CSRF header, nothing is recorded.
    refused = client.post("/api/duplicates/resolve", json={"action_id": new[2], "other_id": new[3],
                                                           "verdict": "same", "reviewer": "Ana"})
    assert refused.status_code == 403
    with db.connect() as conn:
        assert store_periods.all_duplicate_resolutions(conn) == []
    page = client.get(f"/actions/{new[2]}")
    assert page.status_code == 200 and "Escuela sin Fronteras" in page.get_data(as_text=True)
    assert client.get("/actions/99999").status_code == 404
