"""The readiness probe the load balancer and deploy scripts poll."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache_ready(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_is_never_served_from_a_cache(client):
    # A cached "ok" would hide a process that has since lost its database.
    client.get("/healthz")
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert response.get("X-Qiaoyin-Cache") != "hit"


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
