"""Overseas liaison stations (海外联络站). The distribution issue adds destinations and tokens."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def default_station_locales():
    return [settings.LANGUAGE_CODE]


class LiaisonStation(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    country = models.ForeignKey(
        "cms.Country",
        verbose_name=_("country or region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    locales = models.JSONField(
        _("languages received"),
        default=default_station_locales,
        help_text=_("Language codes, e.g. zh-hans, zh-hant, en"),
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["country__code", "name"]

    def __str__(self):
        return self.name
