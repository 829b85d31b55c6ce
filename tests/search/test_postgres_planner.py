"""The database engine on PostgreSQL turns sequential scans off for its ranked statements
(they must match through the GIN index); the setting must never outlive them, or every
query after a search in the same transaction would be planned without sequential scans.
"""

from django.db import connection
from django.test import override_settings

import pytest

from search import service

from .conftest import build_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(newsroom):
    with override_settings(ELASTICSEARCH_URL=""):  # the database engine
        yield build_corpus(newsroom)


def seqscan_setting():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        return cursor.fetchone()[0]


def test_related_articles_inside_a_transaction_leave_the_planner_as_it_was(corpus):
    # Given a caller's transaction (each test runs in one) with the default planner
    assert connection.in_atomic_block and seqscan_setting() == "on"
    # When an article's related articles are ranked
    related = service.related_articles(corpus["homes"])
    # Then they are found, and sequential scans are allowed again afterwards
    assert related
    assert seqscan_setting() == "on"


def test_a_search_inside_a_transaction_leaves_the_planner_as_it_was(corpus):
    results = service.search(service.build_query("侨舍", "zh-hans"))
    assert results.total >= 1
    assert seqscan_setting() == "on"


def test_a_caller_who_turned_sequential_scans_off_keeps_them_off(corpus):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    service.related_articles(corpus["homes"])
    assert seqscan_setting() == "off"
