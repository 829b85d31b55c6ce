"""The newsroom edits the dictionary and synonyms in the Wagtail admin; admin search works."""

import pytest

from search import analysis
from search.models import DictionaryWord, Synonym
from tests.cms.factories import ChannelPageFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.com", "pw")
    client.force_login(user)
    return client


def test_dictionary_word_added_in_the_admin_is_used_by_segmentation(editor_client, run_on_commit):
    response = run_on_commit(
        lambda: editor_client.post(
            "/admin/snippets/search/dictionaryword/add/", {"word": "侨助工坊", "note": "programme"}
        )
    )
    assert response.status_code == 302
    assert DictionaryWord.objects.filter(word="侨助工坊").exists()
    assert analysis.query_terms("侨助工坊") == ["侨助工坊"]


def test_synonym_group_with_one_word_is_refused_in_the_admin(editor_client):
    response = editor_client.post("/admin/snippets/search/synonym/add/", {"terms": "华教"})
    assert response.status_code == 200
    assert "至少需要两个词" in response.content.decode()  # the admin speaks zh-hans here
    assert not Synonym.objects.exists()


@pytest.mark.usefixtures("eager_celery")
def test_wagtail_admin_page_search_still_works(editor_client, newsroom, run_on_commit):
    channel = ChannelPageFactory(parent=newsroom["zh-hans"])
    # Wagtail updates its own index in a task queued when the save commits.
    article = run_on_commit(lambda: make_article(channel, title="Liaison stations meet in Milan"))
    response = editor_client.get("/admin/pages/search/", {"q": "Liaison"})
    assert response.status_code == 200
    assert article.title in response.content.decode()
