"""Station API tokens: shown once, stored hashed, expirable, revocable, several per station."""

from datetime import timedelta

from django.utils import timezone

import pytest

from stations.models import LiaisonStation, StationToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def station():
    return LiaisonStation.objects.create(name="罗马联络站", locales=["zh-hans", "it"])


def test_issued_token_authenticates_and_only_its_hash_is_stored(station):
    token, plaintext = StationToken.issue(station, name="CMS")

    assert StationToken.authenticate(plaintext) == token
    stored = StationToken.objects.get(pk=token.pk)
    assert plaintext not in (stored.token_hash, stored.prefix)
    assert stored.last_used_at is not None


def test_wrong_expired_and_revoked_tokens_are_refused(station):
    _, expired = StationToken.issue(station, expires_at=timezone.now() - timedelta(seconds=1))
    revoked_token, revoked = StationToken.issue(station)
    revoked_token.revoke()

    assert StationToken.authenticate("qys_not-a-token") is None
    assert StationToken.authenticate("") is None
    assert StationToken.authenticate(expired) is None
    assert StationToken.authenticate(revoked) is None


def test_rotation_keeps_both_tokens_valid_until_one_is_revoked(station):
    old, old_plain = StationToken.issue(station, name="old")
    _, new_plain = StationToken.issue(station, name="new")

    assert StationToken.authenticate(old_plain) and StationToken.authenticate(new_plain)
    old.revoke()
    assert StationToken.authenticate(old_plain) is None
    assert StationToken.authenticate(new_plain).station == station


def test_tokens_of_an_inactive_station_are_refused(station):
    _, plaintext = StationToken.issue(station)
    station.is_active = False
    station.save()

    assert StationToken.authenticate(plaintext) is None
