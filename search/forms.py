"""Validation of search parameters, shared by the JSON API and the search page."""

import unicodedata

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .engines.base import SORTS
from .service import MAX_PAGE_SIZE, MAX_QUERY_CHARS

MAX_PAGE = 500
MIN_YEAR, MAX_YEAR = 1900, 2200


def clean_text(value):
    """Drop control characters, lone surrogates and private-use code points: they match
    nothing and some databases refuse them (PostgreSQL rejects NUL)."""
    kept = []
    for char in value or "":
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co", "Cn"):
            kept.append(" " if char.isspace() else "")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True)
    locale = forms.ChoiceField(required=False)
    channel = forms.CharField(required=False, max_length=255)
    topic = forms.CharField(required=False, max_length=255)
    tag = forms.CharField(required=False, max_length=100)
    country = forms.CharField(required=False, max_length=8)
    year = forms.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS])
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def __init__(self, data, *, default_locale=None, **kwargs):
        data = data.copy()
        # The API spells the date range from/to; forms cannot name a field "from".
        for public, field in (("from", "date_from"), ("to", "date_to")):
            if public in data and field not in data:
                data[field] = data[public]
        super().__init__(data, **kwargs)
        self.default_locale = default_locale
        self.fields["locale"].choices = [(code, name) for code, name in settings.LANGUAGES]

    def clean_q(self):
        text = clean_text(self.cleaned_data.get("q"))
        if len(text) > MAX_QUERY_CHARS:
            text = text[:MAX_QUERY_CHARS]  # long pastes are cut, not refused
        return text

    def clean_locale(self):
        locale = self.cleaned_data.get("locale") or self.default_locale
        if not locale:
            raise forms.ValidationError(_("Give a locale, e.g. zh-hans."))
        return locale

    def clean_country(self):
        return clean_text(self.cleaned_data.get("country")).upper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

    def query_arguments(self):
        data = self.cleaned_data
        filters = {
            name: clean_text(str(data[name]))
            for name in ("channel", "topic", "tag", "country", "year")
            if data.get(name) not in (None, "")
        }
        return {
            "text": data.get("q", ""),
            "locale": data["locale"],
            "filters": {name: value for name, value in filters.items() if value},
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "sort": data.get("sort") or "relevance",
            "page": data.get("page") or 1,
            "page_size": data.get("page_size") or 10,
        }

    def error_message(self):
        return "; ".join(
            f"{'' if field == '__all__' else field + ': '}{' '.join(messages)}"
            for field, messages in self.errors.items()
        )
