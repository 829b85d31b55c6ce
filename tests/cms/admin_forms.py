"""Post Wagtail's page editor as a browser does: the form's own fields, plus what is typed in.

The editor renders StreamField blocks with JavaScript, so the body is filled in here.
"""

from django.urls import reverse

from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from cms.newsroom import CHIEF_EDITORS, EDITORS, TRANSLATORS, translator_group_name
from users.models import User

EDITOR_FORM_ID = "page-edit-form"


def make_user(username, *group_names):
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username, f"{username}@qiaoyin.example", "pw")
    user.groups.set(Group.objects.filter(name__in=group_names))
    return user


def chief_editor(username="zhubian"):
    return make_user(username, CHIEF_EDITORS)


def editor(username="bianji"):
    return make_user(username, EDITORS)


def english_translator(username="fanyi"):
    return make_user(username, TRANSLATORS, translator_group_name("en"))


def add_article_url(channel):
    return reverse("wagtailadmin_pages:add", args=("cms", "articlepage", channel.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def editor_form(client, url, *, paragraphs=("侨音记者报道。",), action=None, **fields):
    """The editor's form at `url` (add, edit or revert) with `fields` changed."""
    response = client.get(url)
    assert response.status_code == 200, f"editor at {url} answered {response.status_code}"
    data = querydict_from_html(response.content.decode(), form_id=EDITOR_FORM_ID)
    body = streamfield([("paragraph", rich_text(f"<p>{text}</p>")) for text in paragraphs])
    for name, value in {**nested_form_data({"body": body}), **fields}.items():
        data[name] = value
    if action:
        data[action] = action
    return data


def post_editor(client, url, *, action=None, **fields):
    """Fill in and send the editor at `url`; returns the response."""
    return client.post(url, editor_form(client, url, action=action, **fields))
