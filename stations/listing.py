"""The liaison stations as readers of one language edition see them (the site's footer)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from media.reader_text import reader_text

from .models import LiaisonStation, StationName

# The language a station's reader-facing name falls back to outside Chinese editions.
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class StationListing:
    name: str
    city: str
    country: str
    website: str


def is_chinese(language_code: str) -> bool:
    return language_code.split("-")[0] == "zh"


def stations_for_readers(language_code: str) -> list[StationListing]:
    """The active stations named in `language_code`; a station with no name for readers of
    a non-Chinese edition (none in the language, none in English) is left out rather than
    shown in Chinese."""
    stations = (
        LiaisonStation.objects.filter(is_active=True)
        .select_related("country")
        .prefetch_related(
            Prefetch("display_names", queryset=StationName.objects.select_related("locale"))
        )
    )
    stations = list(stations)
    countries = _country_names(stations, language_code)
    listings = []
    for station in stations:
        name, city = _display_name(station, language_code)
        if name:
            country = countries.get(station.country.translation_key, "") if station.country else ""
            listings.append(StationListing(name, city, country, station.website))
    return listings


def _display_name(station, language_code):
    names = {row.locale.language_code: row for row in station.display_names.all()}
    row = names.get(language_code)
    if row is not None:
        return row.name, row.city
    if language_code == settings.LANGUAGE_CODE:
        return station.name, station.city
    if is_chinese(language_code):
        return reader_text(station.name, language_code), reader_text(station.city, language_code)
    row = names.get(FALLBACK_LANGUAGE)
    return (row.name, row.city) if row is not None else ("", "")


def _country_names(stations, language_code):
    """{translation key: name} of the stations' countries in the edition's language (the
    Chinese name converted for a Chinese edition without its own, English otherwise)."""
    keys = {station.country.translation_key for station in stations if station.country}
    wanted = [language_code, FALLBACK_LANGUAGE]
    country_model = LiaisonStation._meta.get_field("country").related_model
    rows = country_model.objects.filter(
        translation_key__in=keys, locale__language_code__in=wanted
    ).values_list("translation_key", "locale__language_code", "name")
    found = {(key, code): name for key, code, name in rows}
    names = {}
    for station in stations:
        if station.country is None:
            continue
        key = station.country.translation_key
        name = found.get((key, language_code))
        if name is None and is_chinese(language_code):
            name = reader_text(station.country.name, language_code)
        names[key] = name or found.get((key, FALLBACK_LANGUAGE), "")
    return names
