"""Page geometry on hand-made words: lines, columns, reading order, running headers/footers."""

from pipeline.extract.layout import (cluster_rows, find_gutter, find_running_lines, make_line,
                                     order_reading)


def word(text, x0, top, *, size=10.0, font="DejaVuSans", width=None, height=None):
    width = width if width is not None else 0.55 * size * len(text)
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top,
            "bottom": top + (height if height is not None else size), "size": size, "fontname": font}


def sentence(text, x0, top, **kw):
    """Words of a sentence laid out left to right with a normal space between them."""
    words, x = [], x0
    for piece in text.split():
        w = word(piece, x, top, **kw)
        words.append(w)
        x = w["x1"] + 3
    return words


def test_layout_bullet_set_smaller_and_lower_stays_on_its_line():
    words = [word("●", 70, 120.8, size=9, height=8)] + sentence("Primera acción del INM", 90, 120)
    words += sentence("segunda línea", 90, 132)
    rows = cluster_rows(words)
    assert [[w["text"] for w in row] for row in rows] == [
        ["●", "Primera", "acción", "del", "INM"], ["segunda", "línea"]]


def test_layout_words_split_by_a_font_change_are_joined_without_a_space():
    first = word("Migra", 100, 50, font="Bold", width=30)
    rest = word("ción", 130, 50, width=22)
    line = make_line([first, rest], page=1)
    assert line.text == "Migración"
    assert not line.bold  # 5 of 9 characters bold: not a bold line


def two_column_page():
    words = sentence("Informe de prueba", 250, 40, size=16)
    for i in range(12):
        words += sentence(f"izquierda línea {i} con texto", 60, 80 + 12 * i)
        words += sentence(f"derecha línea {i} con texto", 330, 83 + 12 * i)
    words += sentence("Página 3", 290, 760, size=8)
    return words


def test_layout_two_columns_are_found_and_read_one_after_the_other():
    words = two_column_page()
    gutter = find_gutter(cluster_rows(words), 612)
    assert gutter is not None and 195 < gutter[0] < gutter[1] <= 330
    lines = order_reading(words, 1, 612)
    texts = [line.text for line in lines]
    assert texts[0] == "Informe de prueba"
    left = [t for t in texts if t.startswith("izquierda")]
    right = [t for t in texts if t.startswith("derecha")]
    assert texts.index(left[-1]) < texts.index(right[0])  # the whole left column first
    assert left == [f"izquierda línea {i} con texto" for i in range(12)]
    # The footer centred under both columns stays one line.
    assert texts[-1] == "Página 3"


def test_layout_justified_single_column_has_no_gutter():
    words = []
    for i in range(20):
        # Different word lengths on each line: the gaps never line up.
        words += sentence(" ".join(["palabra"[: 3 + (i + j) % 5] for j in range(14)]), 72, 80 + 12 * i)
    assert find_gutter(cluster_rows(words), 612) is None


def test_layout_running_header_and_page_numbers_are_found_on_every_page():
    pages = []
    for number in (1, 2, 3):
        words = sentence("Informe PMM 2022 Secretaría de Relaciones Exteriores", 72, 30, size=8)
        words += sentence(f"cuerpo del texto de la página {number}", 72, 300)
        words += sentence(str(number), 300, 760, size=8)
        pages.append((number, 792.0, order_reading(words, number, 612)))
    # The same words in the body of page 3 are text, not a running header.
    pages[2][2].append(make_line(sentence("Informe PMM 2022 Secretaría de Relaciones Exteriores", 72, 400), 3))
    drop = find_running_lines(pages)
    dropped = {(n, lines[i].text) for n, _, lines in pages for i in range(len(lines)) if (n, i) in drop}
    assert ("Informe PMM 2022 Secretaría de Relaciones Exteriores", 1) not in dropped
    assert {text for _, text in dropped} == {"Informe PMM 2022 Secretaría de Relaciones Exteriores", "1", "2", "3"}
    assert len(dropped) == 6
    assert all(lines[i].top < 100 or lines[i].top > 700 for n, _, lines in pages for i in range(len(lines))
               if (n, i) in drop)


def test_layout_single_page_keeps_its_title_but_drops_its_page_number():
    words = sentence("Informe de la SRE", 72, 30, size=14) + sentence("Página 1 de 1", 280, 760, size=8)
    lines = order_reading(words, 1, 612)
    drop = find_running_lines([(1, 792.0, lines)])
    assert [lines[i].text for (_, i) in drop] == ["Página 1 de 1"]
