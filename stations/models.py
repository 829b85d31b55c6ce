"""Overseas liaison stations (海外联络站), their destinations and tokens, and the delivery ledger.

The ledger (DistributedArticle → ArticleVersion → Delivery) is permanent: it records which
station received which version of which article. Formatted payloads may be pruned; rows never.
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import NotSupportedError, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .crypto import decrypt_secret, encrypt_secret
from .transports.webhook import check_url_allowed

TOKEN_PREFIX = "qys_"  # noqa: S105 (a marker that makes leaked tokens greppable)


def default_station_locales():
    return [settings.LANGUAGE_CODE]


class LiaisonStation(ClusterableModel):
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
    contact = models.CharField(
        _("contact"), max_length=255, blank=True, help_text=_("Person, e-mail or phone")
    )
    locales = models.JSONField(
        _("languages received"),
        default=default_station_locales,
        help_text=_("Language codes, e.g. zh-hans, zh-hant, en"),
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Subscription filter: empty = every article in the station's languages. Channels and
    # topics match across translations (by translation key), so choosing the Chinese
    # channel also covers its English edition.
    filter_channels = models.ManyToManyField(
        "wagtailcore.Page",
        verbose_name=_("channels"),
        blank=True,
        related_name="+",
        limit_choices_to={"content_type__model": "channelpage"},
    )
    filter_topics = models.ManyToManyField(
        "wagtailcore.Page",
        verbose_name=_("topics"),
        blank=True,
        related_name="+",
        limit_choices_to={"content_type__model": "topicpage"},
    )
    filter_countries = models.ManyToManyField(
        "cms.Country", verbose_name=_("countries and regions"), blank=True, related_name="+"
    )
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    pause_reason = models.CharField(_("pause reason"), max_length=255, blank=True)
    consecutive_failures = models.PositiveIntegerField(
        _("consecutive failed attempts"), default=0, editable=False
    )

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["country__code", "name"]

    def __str__(self):
        return self.name

    @property
    def is_paused(self):
        return self.paused_at is not None


class StationName(models.Model):
    """How readers of one language edition see a station's name and city (the footer).

    The station itself is an operational record (tokens, destinations, the delivery ledger)
    that must stay one row, so it is not a translatable snippet: its reader-facing name is
    what is translated, one row per language. Without a row, the 繁體中文 edition shows the
    name converted by OpenCC, and other editions the English row (else leave it out).
    """

    station = ParentalKey(LiaisonStation, on_delete=models.CASCADE, related_name="display_names")
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("language"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("name in another language")
        verbose_name_plural = _("names in other languages")
        constraints = [
            models.UniqueConstraint(fields=["station", "locale"], name="unique_station_name")
        ]

    def __str__(self):
        return self.name


class Destination(models.Model):
    """Where and how a station receives pushed articles: a signed webhook or an S3 drop."""

    class Transport(models.TextChoices):
        WEBHOOK = "webhook", _("Signed webhook")
        S3 = "s3", _("S3 drop")

    class Format(models.TextChoices):
        NINJS_22 = "ninjs-2.2", _("IPTC ninjs 2.2")
        NINJS_31 = "ninjs-3.1", _("IPTC ninjs 3.1")

    station = models.ForeignKey(
        LiaisonStation,
        verbose_name=_("station"),
        on_delete=models.CASCADE,
        related_name="destinations",
    )
    transport = models.CharField(
        _("transport"), max_length=10, choices=Transport.choices, default=Transport.WEBHOOK
    )
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.NINJS_22
    )
    url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    secret_encrypted = models.TextField(_("webhook secret (encrypted)"), blank=True, editable=False)
    s3_bucket = models.CharField(_("S3 bucket"), max_length=255, blank=True)
    s3_prefix = models.CharField(_("S3 prefix"), max_length=255, blank=True)
    s3_region = models.CharField(_("S3 region"), max_length=50, blank=True)
    s3_endpoint_url = models.URLField(_("S3 endpoint URL"), blank=True)
    s3_credentials_ref = models.CharField(
        _("S3 credentials reference"),
        max_length=100,
        blank=True,
        help_text=_(
            "Prefix of the environment variables <REF>_ACCESS_KEY_ID and "
            "<REF>_SECRET_ACCESS_KEY; empty = the server's default AWS credentials."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")

    def __str__(self):
        target = self.url if self.transport == self.Transport.WEBHOOK else self.s3_location
        return f"{self.station} → {target} ({self.format})"

    @property
    def s3_location(self):
        return f"s3://{self.s3_bucket}/{self.s3_prefix}".rstrip("/")

    @property
    def secret(self):
        return decrypt_secret(self.secret_encrypted) if self.secret_encrypted else ""

    @secret.setter
    def secret(self, plaintext):
        self.secret_encrypted = encrypt_secret(plaintext) if plaintext else ""

    def clean(self):
        if self.transport == self.Transport.WEBHOOK:
            if not self.url:
                raise ValidationError({"url": _("A webhook needs a URL.")})
            problem = check_url_allowed(self.url, resolve=False)
            if problem:
                raise ValidationError({"url": problem})
        elif not self.s3_bucket:
            raise ValidationError({"s3_bucket": _("An S3 drop needs a bucket.")})


class StationToken(models.Model):
    """An API token for pulling. Only its SHA-256 is stored; the plaintext is shown once."""

    station = models.ForeignKey(
        LiaisonStation, verbose_name=_("station"), on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("station API token")
        verbose_name_plural = _("station API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.station} · {self.name or self.prefix}…"

    @staticmethod
    def hash(plaintext):
        # A random 256-bit token needs no salt or slow hash: SHA-256 cannot be brute-forced.
        return hashlib.sha256(plaintext.encode()).hexdigest()

    @classmethod
    def issue(cls, station, name="", expires_at=None):
        """Create a token. Returns (token, plaintext): the plaintext is never stored."""
        plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            station=station,
            name=name,
            token_hash=cls.hash(plaintext),
            prefix=plaintext[:10],
            expires_at=expires_at,
        )
        return token, plaintext

    @classmethod
    def authenticate(cls, plaintext):
        """The valid (unrevoked, unexpired) token for this plaintext, or None."""
        if not plaintext:
            return None
        now = timezone.now()
        token = (
            cls.objects.select_related("station")
            .filter(token_hash=cls.hash(plaintext.strip()), revoked_at__isnull=True)
            .filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))
            .first()
        )
        if token is None or not token.station.is_active:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        return token

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    @property
    def is_valid(self):
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class DistributedArticle(models.Model):
    """One article as the distribution sees it. Outlives the page (deletion keeps the ledger)."""

    uri = models.CharField(_("URI"), max_length=255, unique=True)
    page_id = models.IntegerField(_("page id"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=20)
    title = models.CharField(_("title"), max_length=255)
    live = models.BooleanField(_("live"), default=False)
    current_version = models.PositiveIntegerField(_("current version"), default=0)

    class Meta:
        verbose_name = _("distributed article")
        verbose_name_plural = _("distributed articles")

    def __str__(self):
        return self.title


class ArticleVersion(models.Model):
    class Event(models.TextChoices):
        PUBLISHED = "article.published", _("Published")
        CORRECTED = "article.corrected", _("Corrected")
        CANCELED = "article.canceled", _("Taken down")

    article = models.ForeignKey(
        DistributedArticle, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    revision_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Written by the sweep's reconciliation: a live revision the ledger had missed.
    reconciled = models.BooleanField(_("found by the reconciliation"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="unique_article_version")
        ]
        ordering = ["article_id", "version"]

    def __str__(self):
        return f"{self.article.uri} v{self.version}"

    @property
    def pubstatus(self):
        return "canceled" if self.event == self.Event.CANCELED else "usable"


class FormattedPayload(models.Model):
    """The ninjs of one article version in one format, made once and shared by every station."""

    article_version = models.ForeignKey(
        ArticleVersion, on_delete=models.CASCADE, related_name="payloads"
    )
    format = models.CharField(max_length=12, choices=Destination.Format.choices)
    body = models.TextField(null=True, help_text="JSON; pruned after the retention period")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article_version", "format"], name="unique_payload_per_format"
            )
        ]


class RandomUUID(models.Func):
    """A random (version 4) UUID made by the database, for rows it makes itself
    (outbox.insert_deliveries): PostgreSQL's gen_random_uuid(); on SQLite the 32 hex digits
    Django's UUIDField stores there, version and variant bits set."""

    output_field = models.UUIDField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return "gen_random_uuid()", []

    def as_sqlite(self, compiler, connection, **extra_context):
        return SQLITE_UUID4, []

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"RandomUUID is not written for {connection.vendor}")


def _random_hex(digits):
    return f"substr(lower(hex(randomblob({(digits + 1) // 2}))), 1, {digits})"


# 8-4-4-4-12 hex digits: the third group starts with the version (4), the fourth with the
# variant (8, 9, a or b). The modulo is written %% since the SQL goes through parameter
# formatting.
SQLITE_UUID4 = " || ".join(
    [
        _random_hex(12),
        "'4'",
        _random_hex(3),
        "substr('89ab', abs(random()) %% 4 + 1, 1)",
        _random_hex(15),
    ]
)


class Delivery(models.Model):
    """One row per (destination, article version): the outbox and the permanent ledger."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Retrying")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        SUPERSEDED = "superseded", _("Superseded")
        CANCELED = "canceled", _("Canceled")

    WAITING_STATES = (State.PENDING, State.RETRYING)
    OPEN_STATES = (State.PENDING, State.SENDING, State.RETRYING)

    # Indexes cost every publish one entry per station each, so no column has an index a
    # composite one already leads with: destination leads unique_delivery_per_version,
    # article leads delivery_order_idx, state leads delivery_due_idx. No query looks
    # deliveries up by article version alone (versions are never deleted).
    destination = models.ForeignKey(
        Destination,
        verbose_name=_("destination"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # station and article are copies of destination.station and article_version.article
    # (for the queries by station and by article); the database checks those two references,
    # not the copies: each checked reference costs a publish one lookup per station at commit.
    # PROTECT still guards the copies (Django checks it before a delete).
    station = models.ForeignKey(
        LiaisonStation,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="deliveries",
        db_constraint=False,
    )
    article = models.ForeignKey(
        DistributedArticle,
        verbose_name=_("article"),
        on_delete=models.PROTECT,
        related_name="deliveries",
        db_constraint=False,
        db_index=False,
    )
    article_version = models.ForeignKey(
        ArticleVersion, on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    version = models.PositiveIntegerField(_("version"))
    event = models.CharField(_("event"), max_length=20, choices=ArticleVersion.Event.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sending_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    last_status = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["destination", "article_version"], name="unique_delivery_per_version"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx"),
            models.Index(fields=["article", "destination", "version"], name="delivery_order_idx"),
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.article.uri} v{self.version} → {self.station} ({self.state})"

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES
