"""Daily rollups of reach (海外传播效果): own-site reads, station pulls, station-reported reach.

The read beacon never writes here: it counts in the cache (reach/counters.py) and a beat task
folds the counts into these rows every minute (reach/rollup.py). Nothing here names a reader:
no address, no user agent, no visitor hash; only daily totals per article and dimension.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import ArticlePage
from stations.models import LiaisonStation, StationToken

# Who may read the 传播效果 report and download it (granted to 总编辑 by setup_newsroom).
REPORT_PERMISSION = "reach.view_articleday"


class ArticleDay(models.Model):
    """Own-site views and daily unique visitors of one article edition on one day
    (days in the site's zone, as "most read" counts them)."""

    page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="reach_days")
    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=20)
    views = models.PositiveIntegerField(_("views"), default=0)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        verbose_name = _("article reach per day")
        constraints = [models.UniqueConstraint(fields=["page", "day"], name="reach_article_day")]
        # Covering: the report's month-wide sums (totals, per day, top articles, per
        # language) read the index alone, never the table.
        indexes = [
            models.Index(
                fields=["day", "page"],
                include=["language", "views", "visitors"],
                name="reach_article_day_cover",
            )
        ]


class Dimension(models.TextChoices):
    COUNTRY = "country", _("Country or region")
    REFERRER = "referrer", _("Referrer")
    DOMAIN = "domain", _("Referring site")
    DEVICE = "device", _("Device")


class ArticleDayBreakdown(models.Model):
    """Views and visitors of one article edition on one day by one dimension's value
    (country code, referrer class, referring domain, device class). A visitor counts once
    per dimension: in the value of their first read of the day."""

    page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    value = models.CharField(_("value"), max_length=120, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        verbose_name = _("article reach by dimension")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "day", "dimension", "value"], name="reach_breakdown_per_day"
            )
        ]
        # Covering: a dimension's month (per country, referrer, device) is read from the
        # index alone.
        indexes = [
            models.Index(
                fields=["dimension", "day"],
                include=["value", "views", "visitors"],
                name="reach_breakdown_dim_cover",
            )
        ]


class PullDay(models.Model):
    """Feed and station-API requests per day: per station token (API) or per feed path
    (feeds are public, so counted per feed). Cookie-free like the beacon."""

    day = models.DateField(_("day"))
    source = models.CharField(_("token or feed"), max_length=200)
    station = models.ForeignKey(
        LiaisonStation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token = models.ForeignKey(
        StationToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requests = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("pulls per day")
        constraints = [models.UniqueConstraint(fields=["day", "source"], name="reach_pull_day")]


class StationReport(models.Model):
    """Reach a station reported for its republished copy of an article: one row per
    (station, uri, day, channel); a resend replaces the figures rather than adding to them."""

    class Channel(models.TextChoices):
        SITE = "site", _("Station website")
        WECHAT = "wechat", _("WeChat account")
        WEIBO = "weibo", _("Weibo account")
        SOCIAL = "social", _("Other social media")
        PRINT = "print", _("Print run")
        BROADCAST = "broadcast", _("Radio or television")
        OTHER = "other", _("Other")

    station = models.ForeignKey(
        LiaisonStation, on_delete=models.CASCADE, related_name="reach_reports"
    )
    uri = models.CharField(_("article uri"), max_length=255)
    page = models.ForeignKey(
        ArticlePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    account = models.CharField(_("account or title"), max_length=100, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    shares = models.PositiveIntegerField(_("shares"), default=0)
    as_of = models.DateTimeField(_("measured at"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("station-reported reach")
        verbose_name_plural = _("station-reported reach")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "uri", "day", "channel"], name="reach_report_per_channel"
            )
        ]
        indexes = [models.Index(fields=["day"], name="reach_report_day_idx")]


class BotPattern(models.Model):
    """User-agent fragments the admin adds to the bot library's own list (crawlerdetect)."""

    pattern = models.CharField(
        _("user-agent contains"),
        max_length=100,
        unique=True,
        help_text=_("Reads whose user agent contains this text (any case) are not counted."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bot pattern")
        verbose_name_plural = _("bot patterns")
        ordering = ["pattern"]

    def __str__(self):
        return self.pattern
