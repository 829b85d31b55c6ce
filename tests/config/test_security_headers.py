"""Content-Security-Policy and Permissions-Policy on public and admin pages (the browser
check is tests/e2e/test_security_policy.py)."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response):
    return dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


@pytest.mark.parametrize("path", ["/zh-hans/", "/zh-hans/search/?q=侨", "/zh-hans/feeds/rss.xml"])
def test_public_pages_allow_scripts_from_the_site_alone(client, newsroom, path):
    response = client.get(path)
    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_a_cached_page_keeps_its_headers(client, newsroom):
    client.get("/zh-hans/")
    cached = client.get("/zh-hans/")
    assert cached.get("X-Qiaoyin-Cache") == "hit"
    assert directives(cached)["script-src"] == "'self'"
    assert "microphone=()" in cached["Permissions-Policy"]


def test_the_admin_has_its_own_policy(client, newsroom):
    response = client.get("/admin/login/")
    policy = directives(response)
    # Wagtail's admin writes inline scripts and styles; nothing else is relaxed
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "camera=()" in response["Permissions-Policy"]
    # The preview panel (and the Checks panel's word count, read from it) frames the admin's
    # own preview view, also over plain http (make run); readers' pages keep https: only
    assert "'self'" in policy["frame-src"].split()
    assert directives(client.get("/zh-hans/"))["frame-src"] == "https:"
