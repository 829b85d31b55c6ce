"""Chinese analysis: segmentation, script folding, the user dictionary and synonyms."""

import pytest

from search import analysis
from search.models import DictionaryWord, Synonym

# Segmentation reads the newsroom's dictionary and synonyms from the database.
pytestmark = pytest.mark.django_db


def test_traditional_and_simplified_fold_to_the_same_text():
    assert analysis.normalise("華文教育") == analysis.normalise("华文教育") == "华文教育"


def test_full_width_letters_and_case_fold():
    assert analysis.normalise("ＣＯＶＩＤ Italia") == "covid italia"


def test_index_terms_contain_the_words_of_a_sentence():
    terms = analysis.index_terms("浙江乡村侨舍助力华文教育，意大利侨胞防疫。")
    assert {"乡村", "侨舍", "华文", "教育", "意大利", "防疫"} <= set(terms)
    assert "，" not in terms and "。" not in terms


def test_query_terms_drop_punctuation_and_duplicates():
    assert analysis.query_terms("防疫！防疫？") == ["防疫"]


def test_bigrams_cover_names_jieba_does_not_know():
    assert analysis.cjk_bigrams("侨助工坊") == ["侨助", "助工", "工坊"]


def test_dictionary_word_keeps_a_name_whole(run_on_commit):
    # Given jieba splits the programme's name
    assert analysis.query_terms("侨助工坊") != ["侨助工坊"]
    # When the newsroom adds it to the dictionary
    run_on_commit(lambda: DictionaryWord.objects.create(word="侨助工坊"))
    # Then it is one term at query and index time
    assert analysis.query_terms("侨助工坊") == ["侨助工坊"]
    assert "侨助工坊" in analysis.index_terms("侨助工坊在米兰开班")


def test_synonyms_expand_each_query_term(run_on_commit):
    run_on_commit(lambda: Synonym.objects.create(terms="华文教育，中文教育、华教"))
    assert analysis.expanded_query("华教") == [["华教", "中文教育", "华文教育"]]


def test_a_synonym_group_needs_two_words():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Synonym(terms="华教").clean()


def test_a_dictionary_word_cannot_contain_spaces():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        DictionaryWord(word="侨助 工坊").clean()
