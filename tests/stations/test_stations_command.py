"""`manage.py stations` for operators."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.utils import translation

import pytest

from stations.models import Destination, LiaisonStation, StationToken
from tests.cms.factories import CountryFactory

pytestmark = pytest.mark.django_db


def run(*args):
    """Run the command in English (its messages are translated; the tests read English)."""
    out = StringIO()
    with translation.override("en"):
        call_command("stations", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def italy():
    return CountryFactory(code="IT")


def test_add_a_webhook_station_then_list_it(italy):
    output = run(
        "add", "罗马联络站", "--country", "it", "--locales", "zh-hans,it",
        "--webhook", "https://roma.example.org/hook", "--secret", "k3y",
        "--format", "ninjs-3.1",
    )  # fmt: skip

    assert "Added station 罗马联络站" in output
    station = LiaisonStation.objects.get(name="罗马联络站")
    assert station.locales == ["zh-hans", "it"] and station.country == italy
    destination = station.destinations.get()
    assert destination.format == "ninjs-3.1" and destination.secret == "k3y"
    assert "罗马联络站\tIT\tzh-hans,it\tactive" in run("list")


def test_add_an_s3_station(italy):
    run("add", "米兰站", "--country", "IT", "--locales", "zh-hans", "--s3", "drop-bucket/in/cn")

    destination = Destination.objects.get(station__name="米兰站")
    assert (destination.transport, destination.s3_bucket, destination.s3_prefix) == (
        "s3",
        "drop-bucket",
        "in/cn",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "XX", "--locales", "zh-hans"], "Unknown country code"),
        (["--country", "IT", "--locales", "zh-hans,klingon"], "Unknown locale"),
        (["--country", "IT", "--locales", "en", "--webhook", "https://a.example/h"], "--secret"),
        (
            ["--country", "IT", "--locales", "en", "--webhook", "http://a.example/h"]
            + ["--secret", "x"],
            "Plain HTTP",
        ),
    ],
)
def test_bad_input_is_refused_with_a_reason(italy, args, message):
    with pytest.raises(CommandError, match=message):
        run("add", "坏站", *args)
    assert not LiaisonStation.objects.filter(name="坏站").exists()


def test_token_prints_a_working_token_as_the_last_line(italy):
    run("add", "令牌站", "--country", "IT", "--locales", "zh-hans")

    plaintext = run("token", "令牌站", "--days", "30").strip().splitlines()[-1]

    token = StationToken.authenticate(plaintext)
    assert token.station.name == "令牌站" and token.expires_at is not None


def test_pause_and_resume(italy):
    run("add", "暂停站", "--country", "IT", "--locales", "zh-hans")

    run("pause", "暂停站")
    assert LiaisonStation.objects.get(name="暂停站").is_paused
    assert "replaying 0 deliveries" in run("resume", "暂停站")
    assert not LiaisonStation.objects.get(name="暂停站").is_paused
    with pytest.raises(CommandError, match="not paused"):
        run("resume", "暂停站")


def test_unknown_station_is_an_error():
    with pytest.raises(CommandError, match="No station called"):
        run("pause", "不存在")
