"""The delivery dashboard and the article's delivery panel in the Wagtail admin."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from stations.models import Delivery, LiaisonStation, StationToken
from tests.cms.factories import ChannelPageFactory, CountryFactory, make_article
from tests.website.conftest import translate

from .conftest import make_station

pytestmark = pytest.mark.django_db
URL = "https://station.example.org/hook"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def published(home):
    ok = make_station("正常站", URL)
    broken = make_station("故障站", URL)
    article = make_article(ChannelPageFactory(parent=home), title="侨胞新春联欢")
    Delivery.objects.filter(station=ok).update(state="delivered")
    Delivery.objects.filter(station=broken).update(
        state="failed", last_status=410, last_error="HTTP 410: gone"
    )
    return article, ok, broken


def test_dashboard_shows_counts_lag_and_last_error(admin_client, published):
    response = admin_client.get(reverse("stations_dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "正常站" in html and "故障站" in html and "HTTP 410: gone" in html
    summaries = {row["station"].name: row for row in response.context["summaries"]}
    assert summaries["正常站"]["station"].delivered == 1
    assert summaries["故障站"]["station"].failed == 1


def test_dashboard_filters_by_state_and_article(admin_client, published):
    article, ok, broken = published
    url = reverse("stations_dashboard")

    failed = admin_client.get(url, {"state": "failed"}).context["deliveries"]
    by_title = admin_client.get(url, {"q": "新春"}).context["deliveries"]
    nothing = admin_client.get(url, {"q": "不存在的文章"}).context["deliveries"]

    assert [d.station for d in failed] == [broken]
    assert len(by_title) == 2 and len(nothing) == 0


def test_bad_filter_values_are_ignored_not_errors(admin_client, published):
    response = admin_client.get(reverse("stations_dashboard"), {"station": "x", "state": "zzz"})
    assert response.status_code == 200 and len(response.context["deliveries"]) == 2


def test_resend_station_failures_and_pause_resume(admin_client, published):
    _, _, broken = published
    action = reverse("stations_dashboard_action")

    admin_client.post(action, {"action": "resend_station", "id": broken.pk})
    assert Delivery.objects.get(station=broken).state == "pending"

    admin_client.post(action, {"action": "pause", "id": broken.pk})
    assert LiaisonStation.objects.get(pk=broken.pk).is_paused
    admin_client.post(action, {"action": "resume", "id": broken.pk})
    assert not LiaisonStation.objects.get(pk=broken.pk).is_paused


def test_resend_one_delivery_and_one_article(admin_client, published):
    article, ok, broken = published
    action = reverse("stations_dashboard_action")
    row = Delivery.objects.get(station=broken)

    admin_client.post(action, {"action": "resend_delivery", "id": row.pk})
    assert Delivery.objects.get(pk=row.pk).state == "pending"
    Delivery.objects.filter(pk=row.pk).update(state="failed")
    admin_client.post(action, {"action": "resend_article", "id": row.article_id})
    assert Delivery.objects.get(pk=row.pk).state == "pending"
    assert Delivery.objects.get(station=ok).state == "delivered"  # not sent twice


def test_bad_actions_answer_with_a_message_not_an_error(admin_client, published):
    action = reverse("stations_dashboard_action")

    answers = [
        admin_client.post(action, {"action": "explode", "id": 1}, follow=True),
        admin_client.post(action, {"action": "pause", "id": "abc"}, follow=True),
        admin_client.post(action, {"action": "pause", "id": 999999}, follow=True),
    ]

    for answer in answers:
        assert answer.status_code == 200
        assert [m.level_tag for m in answer.context["messages"]] == ["error"]
    assert not LiaisonStation.objects.filter(paused_at__isnull=False).exists()


def test_new_token_is_shown_once(admin_client, published):
    _, ok, _ = published
    admin_client.post(reverse("stations_dashboard_action"), {"action": "issue_token", "id": ok.pk})

    first = admin_client.get(reverse("stations_dashboard")).context["new_token"]
    second = admin_client.get(reverse("stations_dashboard")).context["new_token"]

    assert StationToken.authenticate(first["token"]).station == ok
    assert second is None


def test_editors_without_station_rights_are_refused(client, published):
    from django.contrib.auth.models import Permission

    _, ok, _ = published
    user = get_user_model().objects.create_user("intern", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    page = client.get(reverse("stations_dashboard"))
    action = client.post(reverse("stations_dashboard_action"), {"action": "pause", "id": ok.pk})

    # Wagtail answers a permission error with a redirect to the admin home and a message
    assert page.status_code == 302 and "stations" not in page.url
    assert action.status_code == 302
    assert not LiaisonStation.objects.get(pk=ok.pk).is_paused


def test_article_edit_view_shows_its_deliveries(admin_client, published):
    article, _, _ = published

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "正常站" in html and "故障站" in html and "HTTP 410: gone" in html


def test_a_station_with_a_ledger_cannot_be_deleted(admin_client, published):
    _, ok, _ = published
    url = reverse("wagtailsnippets_stations_liaisonstation:delete", args=[ok.pk])

    response = admin_client.post(url, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert LiaisonStation.objects.filter(pk=ok.pk).exists()


def test_destination_secret_is_write_only_in_the_admin(admin_client, published):
    _, ok, _ = published
    destination = ok.destinations.get()
    url = reverse("wagtailsnippets_stations_destination:edit", args=[destination.pk])

    form_page = admin_client.get(url).content.decode()

    assert "s3cret" not in form_page and destination.secret_encrypted not in form_page


def test_destination_secret_can_be_replaced_in_the_admin(admin_client, published):
    from stations.models import Destination

    _, ok, _ = published
    destination = ok.destinations.get()
    url = reverse("wagtailsnippets_stations_destination:edit", args=[destination.pk])
    form = {
        "station": ok.pk,
        "transport": "webhook",
        "format": "ninjs-3.1",
        "url": "https://station.example.org/new-hook",
        "new_secret": "rotated-secret",
        "is_active": "on",
    }

    response = admin_client.post(url, form)

    assert response.status_code == 302
    destination = Destination.objects.get(pk=destination.pk)
    assert destination.secret == "rotated-secret" and destination.format == "ninjs-3.1"
    form["new_secret"] = ""
    admin_client.post(url, form)
    assert Destination.objects.get(pk=destination.pk).secret == "rotated-secret"


def test_the_station_form_offers_each_channel_and_country_once(admin_client, home):
    # Given a channel and a country, each with a zh-hant and an English version
    channel = ChannelPageFactory(parent=home, title="侨界动态")
    translate(channel, "zh-hant", title="僑界動態")
    translate(channel, "en", title="Community")
    italy = CountryFactory(name="意大利", code="IT")
    for code, name in (("zh-hant", "義大利"), ("en", "Italy")):
        version = italy.copy_for_translation(Locale.objects.get(language_code=code))
        version.name = name
        version.save()

    # When an operator opens the form for a new station
    url = reverse("wagtailsnippets_stations_liaisonstation:add")
    soup = BeautifulSoup(admin_client.get(url).content.decode(), "html.parser")

    def offered(name):
        field = soup.find(attrs={"name": name})
        choices = field.find_all("option") if field else soup.find_all(attrs={"name": name})
        return [
            c.get_text(strip=True) or c.find_parent("label").get_text(strip=True) for c in choices
        ]

    # Then each is offered once, under its Chinese name
    channels = " ".join(offered("filter_channels"))
    assert "侨界动态" in channels and "僑界動態" not in channels and "Community" not in channels
    countries = offered("filter_countries")
    assert countries.count("意大利") == 1 and "義大利" not in countries and "Italy" not in countries
