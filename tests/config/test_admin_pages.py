"""Our own admin pages are headed with their names (Chinese first), not Wagtail's 首页."""

import re

from django.contrib.auth import get_user_model

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/admin/reach/", "传播效果"),
        ("/admin/stations/deliveries/", "向联络站的推送"),
        ("/admin/translations/status/", "翻译状态"),
    ],
)
def test_each_admin_page_of_ours_names_itself_in_its_header(client, url, name):
    admin = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(admin)
    html = client.get(url, headers={"Accept-Language": "zh-hans"}).content.decode()
    # The header's visible line is its breadcrumbs (the <h1> there is for screen readers)
    nav = re.search(r'<header\b.*?<nav[^>]*aria-label="面包屑导航".*?</nav>', html, re.S).group(0)
    breadcrumbs = re.sub(r"<[^>]+>", " ", nav.split("<nav", 1)[1])
    assert name in breadcrumbs
    assert "首页" in breadcrumbs  # the way back stays


def test_the_page_explorer_is_titled_in_chinese(client, home):
    # Wagtail's own zh catalogues leave "Exploring" out; ours fill it in.
    admin = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(admin)
    for language, title in (("zh-hans", "浏览"), ("zh-hant", "瀏覽")):
        html = client.get(f"/admin/pages/{home.pk}/", headers={"Accept-Language": language})
        page_title = re.search(r"<title>(.*?)</title>", html.content.decode(), re.S).group(1)
        assert page_title.strip().startswith(f"{title}: "), page_title
