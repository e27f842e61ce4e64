"""The text layer (pipeline.text): sentences, folding, hashing, stop words."""

import pytest

from pipeline import text
from pipeline.taxonomy import load_actors


def test_text_sentences_do_not_end_at_the_reports_abbreviations():
    sentences = text.split_sentences(
        "El H. Congreso del Estado aprobó la iniciativa de la Lic. Ana Pérez y de la Mtra. Rosa Gil "
        "en Tapachula, Chis. durante 2022. El Dr. Luis Ruiz, del Edo. Méx., firmó con Banco "
        "Azteca, S.A. de C.V. el convenio núm. 15 con EUA. Se atendió a 300 personas.")
    assert sentences == [
        "El H. Congreso del Estado aprobó la iniciativa de la Lic. Ana Pérez y de la Mtra. Rosa Gil "
        "en Tapachula, Chis. durante 2022.",
        "El Dr. Luis Ruiz, del Edo. Méx., firmó con Banco Azteca, S.A. de C.V. el convenio núm. 15 "
        "con EUA.",
        "Se atendió a 300 personas.",
    ]


@pytest.mark.parametrize("abbreviation", ["H.", "C.", "Lic.", "Dr.", "Mtra.", "Mtro.", "Ing.",
                                          "Chis.", "Edo.", "Méx.", "Gto.", "núm.", "No.", "Art.",
                                          "S.A.", "C.V.", "A.C.", "EE.UU.", "E.U.A."])
def test_text_an_abbreviation_before_a_capital_ends_no_sentence(abbreviation):
    # The hard case: a capitalised name follows, so only the tokenizer's exception keeps it whole.
    sentence = f"Participó la oficina de {abbreviation} Ramírez en el programa."
    assert text.split_sentences(sentence) == [sentence]


def test_text_colons_and_semicolons_end_no_sentence():
    sentence = "Se brindó: asesoría jurídica; traslados; y atención médica."
    assert text.split_sentences(sentence) == [sentence]


def test_text_a_period_before_a_lower_case_word_ends_no_sentence():
    # An abbreviation the tokenizer does not know ("Cons.") still does not cut the sentence.
    sentence = "Lo firmó el Cons. general y el equipo en 2022."
    assert text.split_sentences(sentence) == [sentence]


def test_text_sentences_end_at_stops_paragraphs_and_bullets():
    assert text.split_sentences("Uno. Dos!\n\n● Tres • Cuatro? Cinco") == \
        ["Uno.", "Dos!", "Tres", "Cuatro?", "Cinco"]
    assert text.split_sentences("") == [] and text.split_sentences(" \n ") == []


def test_text_sentences_of_a_text_longer_than_spacy_accepts():
    sentence = "La Secretaría de Salud vacunó a personas en tránsito. "
    long_text = sentence * 25_000  # 1.3 million characters, over spaCy's default max_length
    assert len(long_text) > 1_000_000
    assert text.split_sentences(long_text, limit=3) == [sentence.strip()] * 3
    assert len(text.split_sentences(long_text)) == 25_000


def test_text_fold_ignores_case_accents_and_spacing():
    assert text.fold("  Migración\n IRREGULAR  ") == "migracion irregular"
    assert text.fold("Niñas, Niños") == "ninas, ninos"
    assert text.fold("Migracio\u0301n") == text.fold("MIGRACIÓN")
    assert text.strip_accents("ECONOMÍA") == "ECONOMIA"


def test_text_hash_is_blind_to_whitespace_and_composition_only():
    base = text.text_hash("La Secretaría de Salud vacunó")
    assert text.text_hash("  La Secretaría de\r\nSalud   vacunó\n") == base
    assert text.text_hash("La Secretari\u0301a de Salud vacunó") == base
    assert text.text_hash("La Secretaría de Salud vacuna") != base
    assert text.text_hash("la secretaría de salud vacunó") != base  # case is content
    assert len(base) == 64


def test_text_stop_words_are_spacys_spanish_and_english_folded():
    words = text.stop_words()
    assert {"tambien", "para", "the", "which", "esta"} <= words
    assert "migracion" not in words and "remesas" not in words


@pytest.mark.parametrize("sentence, actor_id", [
    ("En Tapachula, Chis. durante 2022 el INM atendió a 300 personas.", "INM"),
    ("El H. Ayuntamiento de Othón P. Blanco abrió un albergue.", "MX-ROO-OPB"),
    ("La S.R.E. y el Edo. Méx. firmaron.", "SRE"),
])
def test_text_actors_are_found_across_abbreviations(sentence, actor_id):
    actors = load_actors()
    assert len(text.split_sentences(sentence)) == 1
    assert actors.mentions(sentence)[0].id == actor_id


def test_text_a_state_name_at_the_end_of_a_sentence_still_ends_it():
    assert text.split_sentences("Se abrió un albergue en Quintana Roo. El INM colaboró.") == \
        ["Se abrió un albergue en Quintana Roo.", "El INM colaboró."]


def test_text_one_hash_for_the_store_the_sheet_and_the_corrections(db):
    from pipeline.review import sheet
    from pipeline.store import queries as q

    raw = "  La Secretaría de Salud\r\n vacunó  a 300 personas. "
    with db.begin() as conn:
        [action_id] = q.add_actions(conn, [{"text": raw}])
        [stored] = q.load_actions(conn, ids=[action_id])
    assert stored["text_sha256"] == text.text_hash(raw) == sheet.text_digest(raw.replace("\r\n", "\n"))


def test_text_word_keys_of_new_and_old_lexicons():
    from pipeline.classify.features import DEFAULT_KEYS, Lexicon, word_key

    assert DEFAULT_KEYS == "snowball"
    assert word_key("remesas") == word_key("remesa") == word_key("Remesas")
    assert word_key("protección") == word_key("proteccion")
    fitted = Lexicon.fit(["Envío de remesas a las familias", "Vacunas en hospitales"], [["20"], ["15"]])
    assert fitted.to_state()["keys"] == "snowball" and fitted.terms("las remesas llegan", "20") == ["remesas"]
    # A model saved before word keys had a choice weighed 6-character prefixes: it still explains.
    old = Lexicon.from_state({"weights": {"20": {"remesa": 1.0}}})
    assert old.keys == "prefix6" and old.terms("las remesas llegan", "20") == ["remesas"]
    with pytest.raises(ValueError, match="unknown word keys"):
        Lexicon({}, "stems")
