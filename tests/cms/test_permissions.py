"""Who may do what: translators are confined to their language edition, in the admin too."""

from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from wagtail.models import Locale, Workflow

import pytest

from cms.newsroom import setup_newsroom

from .admin_forms import (
    add_article_url,
    chief_editor,
    edit_url,
    editor,
    english_translator,
    post_editor,
)
from .factories import ChannelPageFactory, make_article, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def article_in(newsroom):
    """The same article in the Chinese source edition and translated into English and German."""
    channel = ChannelPageFactory(parent=newsroom["zh-hans"], title="侨乡发展", slug="qiaoxiang")
    source = make_article(channel, title="侨乡青年返乡创业", slug="fanxiang")
    pages = {"zh-hans": source}
    for code in ("en", "de"):
        locale = Locale.objects.get(language_code=code)
        channel.copy_for_translation(locale).save_revision().publish()
        translation = source.copy_for_translation(locale)
        translation.title = f"Returnees start businesses ({code})"
        pages[code] = publish(translation)
    return pages


def assert_refused(response):
    """Wagtail's admin answers a forbidden page with its dashboard and a permission message."""
    if response.status_code == 403:
        return
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert any("权限" in str(message) for message in get_messages(response.wsgi_request))


def test_translator_edits_their_language_in_the_admin(client, article_in):
    # Given a translator granted English
    client.force_login(english_translator())
    english = article_in["en"]
    # When they revise the English article and submit it
    response = post_editor(
        client, edit_url(english), action="action-submit", title="Young returnees start businesses"
    )
    # Then the revision is saved and goes to review, while readers still see the live version
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.get_latest_revision_as_object().title == "Young returnees start businesses"
    assert english.title == "Returnees start businesses (en)"


@pytest.mark.parametrize("code", ["zh-hans", "de"])
def test_translator_is_refused_other_editions(client, article_in, code):
    # Given a translator granted English only
    client.force_login(english_translator())
    page = article_in[code]
    # When they open, or post to, the editor of a page in another edition
    opened = client.get(edit_url(page))
    posted = client.post(edit_url(page), {"title": "篡改", "action-publish": "1"})
    # Then the admin refuses and nothing changes
    assert_refused(opened)
    assert_refused(posted)
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == page.title
    assert "篡改" not in page.title


def test_translator_cannot_add_articles_to_the_chinese_edition(client, article_in):
    client.force_login(english_translator())
    channel = article_in["zh-hans"].get_parent()
    assert_refused(client.get(add_article_url(channel)))


def test_translator_cannot_publish_even_in_their_own_language(client, article_in):
    # Given a translator granted English
    translator = english_translator()
    client.force_login(translator)
    english = article_in["en"]
    # When they press Publish on the English article
    post_editor(client, edit_url(english), action="action-publish", title="Published by me")
    # Then readers still see the approved version, and Wagtail reports no publish right anywhere
    english.refresh_from_db()
    assert english.title == "Returnees start businesses (en)"
    rights = {code: page.permissions_for_user(translator) for code, page in article_in.items()}
    assert rights["en"].can_edit()
    assert not rights["zh-hans"].can_edit()
    assert not rights["de"].can_edit()
    assert not any(right.can_publish() for right in rights.values())


def test_editors_write_in_chinese_and_chief_editors_publish_everywhere(article_in):
    writer, chief = editor(), chief_editor()
    assert article_in["zh-hans"].permissions_for_user(writer).can_edit()
    assert not article_in["zh-hans"].permissions_for_user(writer).can_publish()
    assert not article_in["en"].permissions_for_user(writer).can_edit()
    for page in article_in.values():
        assert page.permissions_for_user(chief).can_publish()


def test_wagtail_default_groups_and_workflow_are_retired(newsroom):
    # Given Wagtail's own groups and workflow came back (as after a fresh migrate), and one
    # group still has a member
    Workflow.objects.update_or_create(name="Moderators approval", defaults={"active": True})
    Group.objects.get_or_create(name="Moderators")
    editors_group, _ = Group.objects.get_or_create(name="Editors")
    editor("legacy").groups.add(editors_group)
    # When the newsroom is set up
    setup_newsroom()
    # Then the unused default group is gone, the one with a member is kept for an admin to
    # move them, and only our review workflow is active
    names = set(Group.objects.values_list("name", flat=True))
    assert "Moderators" not in names
    assert "Editors" in names
    assert list(Workflow.objects.filter(active=True).values_list("name", flat=True)) == [
        "编辑审核 Editor review"
    ]


def test_wagtail_default_groups_are_absent_after_setup(newsroom):
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()


def test_editors_can_send_chinese_articles_for_translation(client, article_in):
    # The "Translate this page" screen of wagtail-localize, which Wagtail's default groups
    # used to grant, belongs to editors and chief editors; translators only translate.
    translate_url = reverse(
        "wagtail_localize:submit_page_translation", args=(article_in["zh-hans"].pk,)
    )
    for person in (editor(), chief_editor()):
        client.force_login(person)
        assert client.get(translate_url).status_code == 200
    client.force_login(english_translator())
    assert_refused(client.get(translate_url))


def test_editors_can_add_bylines_while_writing(client, newsroom):
    # Given an editor writing an article whose correspondent is not in the list yet
    client.force_login(editor())
    # When they open the new-author form of the Newsroom snippets
    response = client.get(reverse("wagtailsnippets_cms_author:add"))
    # Then they may fill it in
    assert response.status_code == 200


def test_translator_opens_a_localize_translation_of_their_language_only(client, article_in):
    # Given an editor sends a new Chinese article for translation into English and German
    channel = article_in["zh-hans"].get_parent()
    source = make_article(channel, title="海外联络站新增三家", slug="lianluozhan")
    client.force_login(editor())
    locales = Locale.objects.filter(language_code__in=["en", "de"])
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=(source.pk,)),
        {"locales": [locale.pk for locale in locales]},
    )
    assert response.status_code == 302
    # When the English translator opens each translation in the admin
    client.force_login(english_translator())
    english, german = (source.get_translation(locales.get(language_code=c)) for c in ("en", "de"))
    # Then they get the translation editor for English and are refused German
    assert client.get(edit_url(english)).status_code == 200
    assert_refused(client.get(edit_url(german)))


def snippet_url(app_label, model, view):
    return reverse(f"wagtailsnippets_{app_label}_{model}:{view}")


@pytest.mark.parametrize(
    ("app_label", "model"),
    [
        ("translations", "glossaryterm"),
        ("translations", "channeltranslationsettings"),
        ("search", "dictionaryword"),
        ("search", "synonym"),
    ],
)
def test_chief_editor_manages_the_newsroom_settings(client, newsroom, app_label, model):
    # Given a chief editor (not a superuser)
    client.force_login(chief_editor())
    # When they open the glossary, channel options, dictionary and synonyms to add an entry
    listing = client.get(snippet_url(app_label, model, "list"))
    adding = client.get(snippet_url(app_label, model, "add"))
    # Then both screens open for them
    assert listing.status_code == 200
    assert adding.status_code == 200


def test_translator_reads_the_glossary_but_cannot_change_settings(client, newsroom):
    # Given a translator granted English
    client.force_login(english_translator())
    # When they open the glossary, then try to add a term or change a channel's options
    glossary = client.get(snippet_url("translations", "glossaryterm", "list"))
    add_term = client.get(snippet_url("translations", "glossaryterm", "add"))
    channel_options = client.get(snippet_url("translations", "channeltranslationsettings", "add"))
    # Then they can read the glossary, and nothing more
    assert glossary.status_code == 200
    assert_refused(add_term)
    assert_refused(channel_options)
