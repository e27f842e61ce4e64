"""The second-year views end to end in Debian's headless chromium: possible duplicates side by
side resolved by a person, carried-forward labels accepted in bulk, new programmes first (issue 14)."""

import pytest
from playwright.sync_api import expect
from test_review_support import full_scores

from pipeline.review.continuing import find_continuations
from pipeline.review.duplicates import find_duplicates
from pipeline.store import periods as store_periods
from pipeline.store import queries as q

pytestmark = pytest.mark.browser

ANALYST = "Analista 2022"
VISAS_2022 = ("El Instituto Nacional de Migración operó el programa “Visitante por Razones Humanitarias”: "
              "entre junio de 2021 y junio de 2022 expidió 12,400 tarjetas en 14 oficinas de la frontera "
              "sur y atendió a personas solicitantes en estaciones migratorias.")
CONSULAR_2022 = ("La Secretaría de Relaciones Exteriores brindó asistencia consular a 3,250 personas "
                 "mexicanas detenidas en el exterior por medio de su red de 53 consulados.")
REMESAS_2023 = ("El Instituto Nacional de Migración abrió la Ventanilla de Orientación Laboral (VOL) <script>x</script> "
                "en Tapachula: de junio de 2022 a junio de 2023 orientó a 2,310 personas sobre empleo formal.")


@pytest.fixture
def second_year_store(db):
    """2022: two decided actions. 2023: both continued (new figures), one new programme, and the
    new one pasted twice. Every 2023 action has a GCM prediction; the continuing ones score lowest."""
    with db.begin() as conn:
        old = q.add_actions(conn, [{"text": VISAS_2022, "actor": "INM"}, {"text": CONSULAR_2022, "actor": "SRE"}])
        store_periods.set_actions_period(conn, old, "2022")
        q.record_decision(conn, action_id=old[0], scheme="gcm", labels=["5", "7"], reviewer=ANALYST, source="cli")
        q.record_decision(conn, action_id=old[1], scheme="gcm", labels=["14"], reviewer=ANALYST, source="cli")
        new = q.add_actions(conn, [
            {"text": VISAS_2022.replace("2021", "2022").replace("junio de 2022.", "junio de 2023.")
                                 .replace("12,400", "15,870").replace("14 oficinas", "17 oficinas"),
             "actor": "INM"},
            {"text": CONSULAR_2022.replace("3,250", "3,912"), "actor": "SRE"},
            {"text": REMESAS_2023, "actor": "INM"},
            {"text": REMESAS_2023.replace(" en Tapachula", ""), "actor": "INM"},
        ])
        store_periods.set_actions_period(conn, new, "2023")
        for action_id, score in zip(new, (0.30, 0.31, 0.60, 0.62)):
            q.add_predictions(conn, action_id=action_id, scheme="gcm", model_version="m1",
                              labels=full_scores({"7": score, "3": score - 0.1}), assigned=["7"])
    find_continuations(db, period="2023")
    find_duplicates(db, period="2023")
    return {"old": old, "new": new}


@pytest.fixture
def served(db, second_year_store, serve_review):
    return serve_review(db), second_year_store


@pytest.fixture
def page(new_page):
    return new_page()


def open_view(page, base, view, reviewer):
    """One of the second-year views, with the reviewer's name filled in."""
    page.goto(f"{base}/{view}")
    page.fill("#reviewer", reviewer)


def test_second_year_queue_shows_new_programmes_first_then_como_en(db, served, page):
    base, ids = served
    page.goto(base + "/")
    page.fill("#name-input", "Ana López")
    page.click("#name-submit")
    page.wait_for_selector("#suggestions li")
    # The continuing programmes score lowest, yet the new one comes first.
    first = page.locator("#meta .chip.id").inner_text()
    assert first in (f"#{ids['new'][2]}", f"#{ids['new'][3]}")
    expect(page.locator("#meta .chip.period")).to_have_text("Periodo 2023")
    assert page.locator("#meta .carried-chip").count() == 0
    page.keyboard.press("Enter")
    expect(page.locator("#meta .chip.id")).not_to_have_text(first)
    second = page.locator("#meta .chip.id").inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("#meta .chip.id")).not_to_have_text(second)
    # Now a continuing programme: last year's decided labels, linked to last year's text.
    chip = page.locator("#meta .carried-chip a")
    expect(chip).to_have_text("como en 2022: 5, 7")
    assert chip.get_attribute("href") == f"/actions/{ids['old'][0]}"
    last_year = page.context.new_page()
    last_year.goto(base + chip.get_attribute("href"))
    assert "12,400 tarjetas" in last_year.locator("#action-text").inner_text()
    assert ANALYST in last_year.locator(".decisions").inner_text()
    last_year.close()
    # Proposed, not decided: no decision exists for the continuing actions yet.
    with db.connect() as conn:
        decided = q.current_decisions(conn, scheme="gcm", action_ids=ids["new"][:2])
    assert decided == {}


def test_second_year_duplicates_side_by_side_resolved_by_a_person(db, served, page):
    base, ids = served
    open_view(page, base, "duplicates", "Ana López")
    pair = page.locator("article.pair")
    expect(pair).to_have_count(1)
    sides = pair.locator(".side")
    expect(sides).to_have_count(2)
    texts = sides.locator(".text").all_inner_texts()
    assert texts[0] == REMESAS_2023 and texts[1] == REMESAS_2023.replace(" en Tapachula", "")
    assert page.locator("article.pair script").count() == 0  # the <script> is text, not markup
    assert "Periodo 2023" in sides.first.inner_text()
    pair.locator("button.same").click()
    expect(page.locator("article.pair")).to_have_count(0)
    expect(page.locator("#empty")).to_have_text("No hay pares pendientes en este periodo.")
    with db.connect() as conn:
        resolutions = store_periods.all_duplicate_resolutions(conn)
    assert [(r["action_id"], r["other_id"], r["verdict"], r["reviewer"], r["source"]) for r in resolutions] == \
        [(ids["new"][2], ids["new"][3], "same", "Ana López", "page")]
    assert resolutions[0]["decided_at"] is not None
    assert page.dialogs == []


def test_second_year_bulk_accept_records_decisions_by_the_reviewer(db, served, page):
    base, ids = served
    open_view(page, base, "carried", "Luis Pérez")
    items = page.locator("#carried li")
    expect(items).to_have_count(2)
    assert items.first.locator(".carried-chip a").inner_text() == "como en 2022"
    assert items.first.locator(".como").inner_text().startswith("5 — ")
    # Leave the second unselected: only what the reviewer ticks is accepted.
    items.nth(1).locator("input.pick-one").uncheck()
    page.click("#accept-selected")
    expect(page.locator("#toast")).to_have_text("1 decisiones guardadas")
    expect(page.locator("#carried li")).to_have_count(1)
    page.click("#accept-selected")
    expect(page.locator("#empty")).to_have_text("No hay etiquetas propuestas pendientes.")
    with db.connect() as conn:
        decided = q.current_decisions(conn, scheme="gcm", action_ids=ids["new"])
    got = {k[0]: (v["labels"], v["reviewer"], v["source"]) for k, v in decided.items()}
    assert got == {ids["new"][0]: (["5", "7"], "Luis Pérez", "carried"),
                   ids["new"][1]: (["14"], "Luis Pérez", "carried")}
    assert "como en 2022" in decided[(ids["new"][0], "gcm")]["note"]
