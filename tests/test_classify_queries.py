"""The Scopus-syntax query evaluator (pipeline/classify/queries.py) and the Aurora SDG queries."""

import numpy as np
import pytest

from pipeline.classify.queries import (And, AndNot, Near, Or, QuerySyntaxError, Term, goal_matches,
                                       load_queries, matches, parse)
from pipeline.errors import PmmError, TaxonomyError


def test_phrase_matches_words_in_order_ignoring_case_punctuation_and_accents():
    assert matches('"poverty line"', "Households below the Poverty-Line, by region")
    assert matches('"poverty line"', "the poverty lines of Côte d'Ivoire")  # plural
    assert not matches('"poverty line"', "a line drawn under poverty")
    assert matches('"socio-economic"', "socio economic conditions")
    assert matches('"educación"', "EDUCACION primaria")


def test_wildcards():
    assert matches('"eradicat*"', "to eradicate it")
    assert matches('"eradicat*"', "eradication")
    assert not matches('"eradicat*"', "erratic")
    assert matches('"wom?n"', "women and girls")
    assert matches('"wom?n"', "a woman")
    assert not matches('"wom?n"', "womb")
    assert matches('"child* labo*"', "children labour")
    assert matches('"*sharing"', "knowledge-sharing and car sharing")


def test_plurals_only_without_wildcard_and_not_for_exact_phrases():
    assert matches('"city"', "smart cities")
    assert matches('"policy"', "Policies")
    assert not matches('{policy}', "Policies")
    assert matches('{social protection}', "Social protection floors")


def test_or_and_and_not():
    q = '("poaching" OR "trafficking") AND ("species" OR "wildlife") AND NOT ("marine" OR "sea")'
    assert matches(q, "Wildlife trafficking in the Amazon")
    assert not matches(q, "Trafficking of marine species")
    assert not matches(q, "Human trafficking")
    assert matches('"a" OR "b"', "only b")
    assert not matches('"a" AND "b"', "only b")


def test_proximity_within_n_words_either_order():
    q = '("poverty") W/3 ("reduc*" OR "end")'
    assert matches(q, "reducing extreme rural poverty")  # two words between, before
    assert matches(q, "poverty was sharply quickly reduced")  # three words between, after
    assert not matches(q, "poverty was sharply and quickly reduced")  # four
    assert matches('"a" W/0 "b"', "a b")
    assert not matches('"a" W/0 "b"', "a x b")


def test_pre_is_ordered():
    assert matches('"disaster" PRE/2 "strategy"', "disaster risk strategy")
    assert not matches('"disaster" PRE/2 "strategy"', "strategy for disaster")
    assert matches('"disaster" W/2 "strategy"', "strategy for disaster")


def test_chained_proximity_and_phrases_as_operands():
    q = '("disaster*") W/3 ("risk reduction*") W/3 ("strateg*")'
    assert matches(q, "national disaster risk reduction strategies")
    assert not matches(q, "disaster risk reduction, which in many countries lacks any kind of strategy")


def test_scopus_precedence_or_before_proximity_before_and_before_and_not():
    # OR binds tightest: a W/1 (b OR c)
    assert parse('"a" W/1 "b" OR "c"') == Near(Term(("a",)), Or((Term(("b",)), Term(("c",)))), 1, False)
    # proximity binds before AND: (a W/1 b) AND c
    assert parse('"a" W/1 "b" AND "c"') == And((Near(Term(("a",)), Term(("b",)), 1, False), Term(("c",))))
    # AND before AND NOT: (a AND b) AND NOT c
    assert parse('"a" AND "b" AND NOT "c"') == AndNot(And((Term(("a",)), Term(("b",)))), Term(("c",)))
    assert matches('"a" OR "b" AND "c"', "b c") and not matches('"a" OR "b" AND "c"', "a b")


@pytest.mark.parametrize("query, where", [
    ('("poverty" OR "hunger"', "missing ')'"),
    ('"poverty" OR', "ends where a term was expected"),
    ('"poverty" "hunger"', "unexpected"),
    ('("a" AND "b") W/3 "c"', "AND inside an operand of W/3"),
    ('""', "empty term"),
    ("", "empty"),
    ('"a" W/x "b"', "unexpected"),
])
def test_malformed_query_gives_a_clear_error(query, where):
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    assert where in str(info.value) and repr(query) in str(info.value)
    assert isinstance(info.value, PmmError)


def test_every_aurora_query_line_parses_and_the_goals_are_all_there():
    queries = load_queries()
    assert sorted(queries, key=int) == [str(g) for g in range(1, 18)]
    assert sum(len(lines) for lines in queries.values()) == 378


def test_goal_matches_on_english_and_spanish_texts():
    goals = [str(g) for g in range(1, 18)]
    got = goal_matches(["We help farmers end hunger and improve food security in rural areas.",
                        "Reducing greenhouse gas emissions and climate change adaptation in cities.",
                        "El programa busca erradicar el hambre."], goals)
    assert got.shape == (3, 17) and got.dtype == np.bool_
    assert got[0, goals.index("2")] and got[1, goals.index("13")]
    assert not got[2].any()  # the queries are English


def test_a_malformed_query_file_names_the_file_line_and_target(tmp_path):
    (tmp_path / "sdg_aurora_queries.csv").write_text('target,goal,query\n1.1,1,"(""poverty"" OR"\n',
                                                     encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"sdg_aurora_queries.csv: line 2: target 1.1: query"):
        load_queries(tmp_path)


def test_a_huge_text_is_matched_on_its_first_words():
    from pipeline.classify import queries

    text = "poverty reduction " + "filler " * (queries.MAX_WORDS + 10) + "hunger"
    assert matches('"poverty" W/1 "reduc*"', text)
    assert not matches('"hunger"', text)
