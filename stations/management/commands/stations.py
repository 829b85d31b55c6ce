"""Operators' command for liaison stations: add, list, token, pause, resume."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import Country
from stations.delivery import pause_station
from stations.models import Delivery, Destination, LiaisonStation, StationToken
from stations.tasks import resume_station


class Command(BaseCommand):
    help = "Manage liaison stations: add, list, token, pause, resume."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Create a station with one destination.")
        add.add_argument("name")
        add.add_argument("--country", required=True, help="ISO 3166 code, e.g. IT")
        add.add_argument("--locales", required=True, help="Comma-separated, e.g. zh-hans,en")
        add.add_argument("--city", default="")
        add.add_argument("--contact", default="")
        target = add.add_mutually_exclusive_group()
        target.add_argument("--webhook", metavar="URL")
        target.add_argument("--s3", metavar="BUCKET/PREFIX")
        add.add_argument("--secret", help="Shared secret for the webhook signature")
        add.add_argument("--s3-region", default="")
        add.add_argument("--s3-endpoint-url", default="")
        add.add_argument("--s3-credentials-ref", default="")
        add.add_argument("--format", default="ninjs-2.2", choices=Destination.Format.values)
        sub.add_parser("list", help="List stations with their delivery counts.")
        token = sub.add_parser("token", help="Issue an API token (printed once, last line).")
        token.add_argument("name")
        token.add_argument("--label", default="", help="What the token is for")
        token.add_argument("--days", type=int, default=None, help="Expire after N days")
        for action in ("pause", "resume"):
            sub.add_parser(action, help=f"{action.title()} pushing to a station.").add_argument(
                "name"
            )

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    # --- actions ------------------------------------------------------------------------
    def handle_add(self, name, country, locales, webhook, s3, secret, format, **options):
        if LiaisonStation.objects.filter(name=name).exists():
            raise CommandError(_("A station called %(name)r already exists.") % {"name": name})
        country_obj = self.country(country)
        codes = self.locales(locales)
        if webhook and not secret:
            raise CommandError(_("A webhook needs --secret (the key its signatures use)."))
        with transaction.atomic():
            station = LiaisonStation.objects.create(
                name=name,
                country=country_obj,
                city=options["city"],
                contact=options["contact"],
                locales=codes,
            )
            if webhook or s3:
                destination = self.destination(station, webhook, s3, secret, format, options)
                try:
                    destination.full_clean(exclude=["station"])
                except ValidationError as error:
                    raise CommandError("; ".join(error.messages)) from error
                destination.save()
        self.stdout.write(
            self.style.SUCCESS(
                _("Added station %(name)s (%(locales)s).")
                % {"name": name, "locales": ", ".join(codes)}
            )
        )

    def handle_list(self, **options):
        stations = LiaisonStation.objects.select_related("country").prefetch_related("destinations")
        if not stations:
            self.stdout.write(_("No stations yet. Add one with: manage.py stations add NAME …"))
            return
        for station in stations:
            counts = dict(
                Delivery.objects.filter(station=station)
                .values_list("state")
                .annotate(n=Count("pk"))
            )
            status = "paused" if station.is_paused else "active" if station.is_active else "off"
            targets = ", ".join(str(d).split(" → ", 1)[1] for d in station.destinations.all())
            self.stdout.write(
                f"{station.name}\t{station.country.code if station.country else '-'}\t"
                f"{','.join(station.locales)}\t{status}\t"
                f"delivered={counts.get('delivered', 0)} failed={counts.get('failed', 0)} "
                f"waiting={counts.get('pending', 0) + counts.get('retrying', 0)}\t{targets}"
            )

    def handle_token(self, name, label, days, **options):
        station = self.station(name)
        expires = timezone.now() + timezone.timedelta(days=days) if days else None
        token, plaintext = StationToken.issue(station, name=label, expires_at=expires)
        self.stdout.write(
            _("Token for %(station)s (shown once; store it now):") % {"station": station.name}
        )
        self.stdout.write(plaintext)

    def handle_pause(self, name, **options):
        station = self.station(name)
        pause_station(station)
        self.stdout.write(self.style.SUCCESS(_("Paused %(station)s.") % {"station": station.name}))

    def handle_resume(self, name, **options):
        station = self.station(name)
        if not station.is_paused:
            raise CommandError(_("%(station)s is not paused.") % {"station": station.name})
        with transaction.atomic():
            resume_station(station)
        waiting = Delivery.objects.filter(
            station=station, state__in=Delivery.WAITING_STATES
        ).count()
        self.stdout.write(
            self.style.SUCCESS(
                _("Resumed %(station)s; replaying %(n)d deliveries in order.")
                % {"station": station.name, "n": waiting}
            )
        )

    # --- helpers ------------------------------------------------------------------------
    def station(self, name):
        try:
            return LiaisonStation.objects.get(name=name)
        except LiaisonStation.DoesNotExist:
            raise CommandError(
                _("No station called %(name)r. See: manage.py stations list") % {"name": name}
            ) from None

    def country(self, code):
        country = Country.objects.filter(code__iexact=code).order_by("id").first()
        if country is None:
            raise CommandError(
                _("Unknown country code %(code)r; add it as a Country snippet first.")
                % {"code": code}
            )
        return country

    def locales(self, value):
        known = [code for code, _name in settings.LANGUAGES]
        codes = [code.strip().lower() for code in value.split(",") if code.strip()]
        unknown = [code for code in codes if code not in known]
        if not codes or unknown:
            raise CommandError(
                _("Unknown locale(s) %(unknown)s; choose from %(known)s.")
                % {"unknown": ", ".join(unknown) or "(none)", "known": ", ".join(known)}
            )
        return codes

    def destination(self, station, webhook, s3, secret, fmt, options):
        if webhook:
            destination = Destination(station=station, url=webhook, format=fmt)
            destination.secret = secret
            return destination
        bucket, _slash, prefix = s3.partition("/")
        return Destination(
            station=station,
            transport=Destination.Transport.S3,
            format=fmt,
            s3_bucket=bucket,
            s3_prefix=prefix,
            s3_region=options["s3_region"],
            s3_endpoint_url=options["s3_endpoint_url"],
            s3_credentials_ref=options["s3_credentials_ref"],
        )
