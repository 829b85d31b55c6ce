"""传播效果: the reach report in the Wagtail admin, and its download."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from config.admin_views import AdminPageMixin

from . import charts, queries, report
from .models import REPORT_PERMISSION as PERMISSION
from .models import Dimension, StationReport
from .referrers import CLASS_LABELS

DEFAULT_DAYS = 30
MAX_DAYS = 366
DEVICE_LABELS = {
    "desktop": gettext_lazy("Desktop"),
    "mobile": gettext_lazy("Phone"),
    "tablet": gettext_lazy("Tablet"),
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def check_permission(user):
    if not user.has_perm(PERMISSION):
        raise PermissionDenied


def language_name(code):
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code


def period_from(params):
    """The period asked for (from/to), the last 30 days by default; errors say why."""
    default = queries.Period.last_days(DEFAULT_DAYS)
    errors = []
    days = {}
    for name, fallback in (("from", default.start), ("to", default.end)):
        raw = params.get(name, "")
        try:
            days[name] = date.fromisoformat(raw) if raw else fallback
        except ValueError:
            errors.append(_("%(name)s: write the date as YYYY-MM-DD.") % {"name": name})
            days[name] = fallback
    if days["from"] > days["to"]:
        errors.append(_("The first day lies after the last."))
    elif (days["to"] - days["from"]).days >= MAX_DAYS:
        errors.append(_("A report covers at most %(days)s days.") % {"days": MAX_DAYS})
    if errors:
        return default, errors
    return queries.Period(days["from"], days["to"]), errors


class ReachReportView(AdminPageMixin, TemplateView):
    template_name = "reach/admin/report.html"
    page_title = gettext_lazy("Reach")
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        check_permission(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        period, errors = period_from(request.GET)
        fmt = request.GET.get("download")
        if fmt in CONTENT_TYPES and not errors:
            response = HttpResponse(report.render(period, fmt), content_type=CONTENT_TYPES[fmt])
            response["Content-Disposition"] = (
                f'attachment; filename="{report.filename(period, fmt)}"'
            )
            return response
        self.period, self.errors = period, errors
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period
        countries = queries.by_dimension(period, Dimension.COUNTRY, limit=30)
        names = queries.country_names([row["value"] for row in countries])
        for row in countries:
            row["label"] = names.get(row["value"]) or row["value"] or _("Unknown")
        languages = queries.by_language(period)
        for row in languages:
            row["label"] = language_name(row["language"])
        referrers = queries.by_dimension(period, Dimension.REFERRER)
        for row in referrers:
            row["label"] = CLASS_LABELS.get(row["value"], row["value"])
        devices = queries.by_dimension(period, Dimension.DEVICE)
        for row in devices:
            row["label"] = DEVICE_LABELS.get(row["value"], row["value"])
        domains = queries.by_dimension(period, Dimension.DOMAIN, limit=15)
        for row in domains:
            kind, _sep, domain = row["value"].partition("/")
            row["label"], row["kind"] = domain, CLASS_LABELS.get(kind, kind)
        reported_channels = queries.by_reported_channel(period)
        channel_labels = dict(StationReport.Channel.choices)
        for row in reported_channels:
            row["label"] = channel_labels.get(row["channel"], row["channel"])
        top = queries.top_articles(period)
        for row in top:
            row["language_name"] = language_name(row["language"])
        context.update(
            period=period,
            errors=self.errors,
            today=timezone.localdate(),
            shortcuts=self.shortcuts(),
            totals=queries.totals(period),
            daily=charts.daily_chart(queries.daily(period)),
            top=top,
            languages=languages,
            language_chart=charts.bar_chart(languages),
            countries=countries,
            country_chart=charts.bar_chart(countries),
            referrers=referrers,
            domains=domains,
            devices=devices,
            channels=queries.by_channel(period),
            authors=queries.by_author(period),
            stations=queries.by_station(period),
            feeds=queries.feed_pulls(period),
            reported_channels=reported_channels,
        )
        return context

    def shortcuts(self):
        today = timezone.localdate()
        first = today.replace(day=1)
        last_month_end = first - timedelta(days=1)
        return [
            (_("Last 7 days"), today - timedelta(days=6), today),
            (_("Last 30 days"), today - timedelta(days=29), today),
            (_("This month"), first, today),
            (_("Last month"), last_month_end.replace(day=1), last_month_end),
        ]
