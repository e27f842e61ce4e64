"""Lines -> actions, and what a form's cells say: markers, headings, objectives, column kinds."""

import pytest

from pipeline.extract.layout import Line
from pipeline.extract.segment import (blocks_to_actions, find_marker, join_parts,
                                      objective_of_heading, segment)
from pipeline.extract.tables import column_kind, form_columns, parse_objectives
from pipeline.extract.pdf import Cell
from pipeline.taxonomy import load_scheme


def line(text, x0, top, *, page=1, size=10.0, bold=False, after_first=None, box=None, column=0):
    first = text.split()[0]
    if after_first is None and len(text.split()) > 1:
        after_first = x0 + 5.5 * len(first) + 3
    return Line(page=page, text=text, x0=x0, x1=x0 + 5 * len(text), top=top, bottom=top + size,
                size=size, bold=bold, first=first, after_first=after_first, column=column, box=box)


@pytest.mark.parametrize("text, glyph, rest", [
    ("● La SRE brinda asistencia", "●", "La SRE brinda asistencia"),
    ("• Programa Paisano", "•", "Programa Paisano"),
    ("- Campaña informativa", "-", "Campaña informativa"),
    ("➔ Personas beneficiarias: 441,597", "➔", "Personas beneficiarias: 441,597"),
    ("(cid:183) Texto con viñeta de Symbol", "(cid:183)", "Texto con viñeta de Symbol"),
    ("●La viñeta pegada al texto", "●", "La viñeta pegada al texto"),
])
def test_segment_bullet_glyphs_are_markers(text, glyph, rest):
    marker = find_marker(line(text, 72, 100))
    assert (marker.glyph, marker.text) == (glyph, rest)
    assert marker.sub == (glyph == "➔")


@pytest.mark.parametrize("text", ["La SRE brinda asistencia", "Objetivo 7. Abordar", "2022. Año de",
                                  "-", "http://example.org/x"])
def test_segment_ordinary_lines_have_no_marker(text):
    assert find_marker(line(text, 72, 100)) is None


@pytest.mark.parametrize("text, expected", [
    ("Objetivo 7. Abordar y reducir las vulnerabilidades en la migración.", [7]),
    ("Objetivo 7: Abordar", [7]),
    ("OBJETIVO 12", [12]),
    ("Objective 23 – Strengthen international cooperation", [23]),
    ("Objetivo núm. 3. Proporcionar información", [3]),
    ("Objetivo 7 del PMM en la frontera", []),  # a sentence that mentions an objective
    ("Objetivo 30. No existe", []),
    ("7. Abordar y reducir las vulnerabilidades en la migración", [7]),  # the GCM title of 7
    ("7. Programa de atención a migrantes", []),  # a numbered heading, not an objective
    ("Proporcionar a los migrantes acceso a servicios básicos", [15]),
])
def test_segment_objective_headings(text, expected):
    assert objective_of_heading(text, load_scheme("gcm")) == expected


@pytest.mark.parametrize("parts, expected", [
    (["entrevista semi-", "estructurada de 143 reactivos"], "entrevista semi-estructurada de 143 reactivos"),
    (["México -", "Guatemala"], "México - Guatemala"),
    (["la campaña htt", "ps://twitter.com/i/web/status/135634658", "9204279296 ➔ Las personas"],
     "la campaña https://twitter.com/i/web/status/1356346589204279296 ➔ Las personas"),
    (["#CeroDiscriminación https://twitt", "er.com/i/web/status/", "1363201597430398977."],
     "#CeroDiscriminación https://twitter.com/i/web/status/1363201597430398977."),
    (["véase https://www.gob.mx/inm", "para más información"], "véase https://www.gob.mx/inm para más información"),
    (["  dos   espacios ", "y saltos"], "dos espacios y saltos"),
])
def test_segment_join_wrapped_lines(parts, expected):
    assert join_parts(parts) == expected


def test_segment_sub_items_page_breaks_and_prose():
    lines = [
        line("Informe de la Secretaría de Relaciones Exteriores", 150, 60, size=16, bold=True),
        line("Texto de introducción que no es una acción.", 72, 100),
        line("Objetivo 7. Abordar y reducir las vulnerabilidades.", 78, 130, bold=True, box=0),
        line("● Primera acción que se extiende", 76, 160, after_first=90),
        line("en dos líneas con sangría francesa.", 90, 172),
        line("➔ Resultado uno", 94, 190, after_first=108),
        line("➔ Resultado dos", 94, 205, after_first=108),
        line("https://twitter.com/enlace-suelto", 72, 240),
        line("● Segunda acción al pie de la página", 76, 700, after_first=90),
        line("que sigue en la siguiente página.", 90, 60, page=2),
        line("Objetivo 15: Servicios básicos", 78, 100, page=2, bold=True, box=1),
        line("1. Acción numerada", 76, 130, page=2, after_first=90),
        line("2. Otra acción numerada", 76, 150, page=2, after_first=90),
    ]
    actions = blocks_to_actions(segment(lines))
    assert [(a["block"].text, a["objectives"]) for a in actions] == [
        ("Primera acción que se extiende en dos líneas con sangría francesa. ➔ Resultado uno "
         "➔ Resultado dos", [7]),
        ("Segunda acción al pie de la página que sigue en la siguiente página.", [7]),
        ("Acción numerada", [15]),
        ("Otra acción numerada", [15]),
    ]
    assert [l.page for l in actions[1]["block"].lines] == [1, 2]
    assert actions[2]["heading"] == "Objetivo 15: Servicios básicos"


def test_segment_paragraphs_under_an_objective_without_bullets_are_actions():
    lines = [
        line("Objetivo 3. Proporcionar información", 72, 100, bold=True),
        line("Primer programa en un párrafo", 72, 130),
        line("de dos líneas.", 72, 142),
        line("Segundo programa.", 72, 170),
    ]
    actions = blocks_to_actions(segment(lines))
    assert [(a["block"].text, a["objectives"]) for a in actions] == [
        ("Primer programa en un párrafo de dos líneas.", [3]), ("Segundo programa.", [3])]


def test_segment_paragraphs_set_with_a_first_line_indent_and_across_a_page():
    lines = [
        line("Objetivo 3. Proporcionar información", 72, 100, bold=True),
        line("Primer programa, con sangría", 90, 130),
        line("en la primera línea.", 72, 142),
        line("Segundo programa que sigue", 90, 154),
        line("en la página siguiente.", 72, 60, page=2),
    ]
    actions = blocks_to_actions(segment(lines))
    assert [a["block"].text for a in actions] == [
        "Primer programa, con sangría en la primera línea.",
        "Segundo programa que sigue en la página siguiente."]


def test_segment_challenges_inside_an_action_go_to_their_own_field():
    lines = [line("● La acción del INM.", 76, 100, after_first=90),
             line("Retos: falta de presupuesto.", 90, 115)]
    block = segment(lines)[0]
    assert (block.text, " ".join(block.challenges)) == ("La acción del INM.", "falta de presupuesto.")


@pytest.mark.parametrize("header, kind", [
    ("Dependencia / Entidad", "actor"),
    ("Nombre o descripción de la acción", "action"),
    ("Nombre o descripcion de la accion", "action"),
    ("Objetivo(s) del PMM", "objectives"),
    ("Objetivo del PMM al que contribuye la acción", "objectives"),
    ("Resultados", "results"),
    ("Retos", "challenges"),
    ("Desafíos identificados", "challenges"),
    ("Reporting entity", "actor"),
    ("Action / programme description", "action"),
    ("GCM objective(s)", "objectives"),
    ("Challenges", "challenges"),
    ("Número de acciones", "count"),
    ("Observaciones", None),
])
def test_tables_column_kind_from_header_words(header, kind):
    assert column_kind(header) == kind


def test_tables_header_row_needs_an_action_column_and_another():
    cells = lambda *texts: [Cell(i, i + 1, 0, 1, t) for i, t in enumerate(texts)]
    assert form_columns(cells("Dependencia", "Acción", "Objetivo(s) del PMM")) == {
        0: "actor", 1: "action", 2: "objectives"}
    assert form_columns(cells("Objetivo", "Número de programas y/o acciones")) is None
    assert form_columns(cells("Núm.", "Aspirante", "Género", "Expediente")) is None


@pytest.mark.parametrize("cell, expected", [
    ("7", [7]), ("7, 15", [7, 15]), ("Objetivo 7", [7]), ("Objetivos 7 y 15", [7, 15]),
    ("7. Abordar y reducir las vulnerabilidades en la migración", [7]),
    ("ODS 10.7", []), ("2022", []), ("", []),
    ("Abordar y reducir las vulnerabilidades en la migración", [7]),
])
def test_tables_stated_objectives_from_a_cell(cell, expected):
    assert parse_objectives(cell, load_scheme("gcm")) == expected
