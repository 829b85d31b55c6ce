"""Sign-in to the admin is throttled by account and by client address (django-axes)."""

from django.core.management import call_command
from django.urls import reverse

import pytest

from tests.cms.admin_forms import editor

pytestmark = pytest.mark.django_db

LOGIN = reverse("wagtailadmin_login")


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def sign_in(client, username, password, address="203.0.113.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(response):
    return response.status_code == 302 and "login" not in response["Location"]


def test_wrong_passwords_lock_the_account_with_a_clear_chinese_message(client, newsroom, limit):
    # Given an editor whose password someone is guessing
    editor("bianji")
    # When the guesses reach the limit
    statuses = [sign_in(client, "bianji", f"guess{n}").status_code for n in range(limit + 1)]
    # Then the sign-in page is shown again for the first ones, the lockout from the limit on
    assert statuses == [200] * (limit - 1) + [429, 429]
    # And even the right password no longer gets in, explained in Chinese
    locked = sign_in(client, "bianji", "pw")
    assert not signed_in(locked)
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "登录失败次数过多" in html and "30 分钟" in html


def test_the_account_is_locked_from_every_address(client, newsroom, limit):
    editor("bianji")
    for n in range(limit):
        sign_in(client, "bianji", f"guess{n}", address=f"198.51.100.{n}")
    assert sign_in(client, "bianji", "pw", address="192.0.2.77").status_code == 429


def test_an_address_guessing_many_accounts_is_locked(client, newsroom, limit):
    # Given one address trying one password on many accounts
    editor("bianji")
    for n in range(limit):
        sign_in(client, f"user{n}", "123456")
    # Then that address is locked out, even for a real account, while others sign in
    assert sign_in(client, "bianji", "pw").status_code == 429
    assert signed_in(sign_in(client, "bianji", "pw", address="192.0.2.8"))


def test_the_throttle_counts_the_address_the_proxy_names(client, newsroom, limit, settings):
    # Given the proxy names the client in X-Real-IP (every request comes from the proxy)
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    editor("bianji")
    for n in range(limit):
        client.post(
            LOGIN,
            {"username": f"user{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="203.0.113.66",
        )
    # Then the attacker's address is locked, not every reader behind the proxy
    other = client.post(
        LOGIN,
        {"username": "bianji", "password": "pw"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="198.51.100.3",
    )
    assert signed_in(other)


def test_an_administrator_lifts_a_lockout(client, newsroom, limit):
    # Given a locked-out account
    editor("bianji")
    for n in range(limit):
        sign_in(client, "bianji", f"guess{n}", address=f"198.51.100.{n}")
    assert sign_in(client, "bianji", "pw").status_code == 429
    # When an administrator unlocks it
    call_command("axes_reset_username", "bianji")
    # Then the editor signs in again
    assert signed_in(sign_in(client, "bianji", "pw"))
