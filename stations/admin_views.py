"""The delivery dashboard in the Wagtail admin: who received what, lag, errors, actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from config.admin_views import AdminPageMixin

from .delivery import pause_station
from .models import ArticleVersion, Delivery, DistributedArticle, LiaisonStation, StationToken
from .tasks import resend, resume_station

PERMISSION = "stations.change_liaisonstation"
DELIVERIES_PER_PAGE = 50


def check_permission(user):
    if not user.has_perm(PERMISSION):
        raise PermissionDenied


def station_summaries():
    """Per station: counts by state, oldest waiting row (lag) and the last error."""
    waiting = Q(deliveries__state__in=Delivery.WAITING_STATES)
    stations = LiaisonStation.objects.select_related("country").annotate(
        delivered=Count("deliveries", filter=Q(deliveries__state=Delivery.State.DELIVERED)),
        pending=Count("deliveries", filter=waiting),
        retrying=Count("deliveries", filter=Q(deliveries__state=Delivery.State.RETRYING)),
        failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
        oldest_waiting=Min("deliveries__created_at", filter=waiting),
        last_delivered=Max("deliveries__ended_at", filter=Q(deliveries__state="delivered")),
    )
    now = timezone.now()
    summaries = []
    for station in stations:
        last_error = (
            Delivery.objects.filter(station=station)
            .exclude(last_error="")
            .order_by("-pk")
            .values_list("last_error", flat=True)
            .first()
        )
        lag = now - station.oldest_waiting if station.oldest_waiting else None
        summaries.append({"station": station, "lag": lag, "last_error": last_error or ""})
    return summaries


def reconciliation_summary():
    """How many live revisions the sweep's reconciliation found missing from the ledger and
    distributed, and when it last did."""
    return ArticleVersion.objects.filter(reconciled=True).aggregate(
        count=Count("pk"), last=Max("created_at")
    )


class DashboardView(AdminPageMixin, TemplateView):
    template_name = "stations/admin/dashboard.html"
    page_title = gettext_lazy("Deliveries to liaison stations")
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        check_permission(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters()
        deliveries = self.filtered_deliveries(filters)
        page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(
            summaries=station_summaries(),
            reconciliation=reconciliation_summary(),
            deliveries=page,
            filters=filters,
            states=Delivery.State.choices,
            stations=LiaisonStation.objects.order_by("name"),
            new_token=self.request.session.pop("stations_new_token", None),
        )
        return context

    def filters(self):
        get = self.request.GET
        station = get.get("station", "")
        return {
            "station": int(station) if station.isdigit() else None,
            "state": get.get("state", "") if get.get("state") in Delivery.State.values else "",
            "q": get.get("q", "").strip()[:200],
        }

    @staticmethod
    def filtered_deliveries(filters):
        deliveries = Delivery.objects.select_related("station", "article", "destination")
        if filters["station"]:
            deliveries = deliveries.filter(station_id=filters["station"])
        if filters["state"]:
            deliveries = deliveries.filter(state=filters["state"])
        if filters["q"]:
            deliveries = deliveries.filter(
                Q(article__title__icontains=filters["q"]) | Q(article__uri=filters["q"])
            )
        return deliveries.order_by("-created_at", "-pk")


@require_POST
def dashboard_action(request):
    """Resend one delivery, one article or a station's failures; pause/resume; issue a token."""
    check_permission(request.user)
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    if handler is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            object_id = int(request.POST.get("id", ""))
        except ValueError:
            messages.error(request, _("Missing or invalid id."))
        else:
            try:
                with transaction.atomic():
                    messages.success(request, handler(request, object_id))
            except Http404:
                messages.error(request, _("That station, article or delivery no longer exists."))
    return redirect(request.POST.get("next") or reverse("stations_dashboard"))


def _resend_delivery(request, pk):
    count = resend(Delivery.objects.filter(pk=pk))
    return _("%(n)d delivery queued again.") % {"n": count}


def _resend_article(request, pk):
    article = get_object_or_404(DistributedArticle, pk=pk)
    count = resend(Delivery.objects.filter(article=article))
    return _("%(n)d deliveries of “%(title)s” queued again.") % {"n": count, "title": article}


def _resend_station(request, pk):
    station = get_object_or_404(LiaisonStation, pk=pk)
    count = resend(Delivery.objects.filter(station=station))
    return _("%(n)d failed deliveries to %(station)s queued again.") % {
        "n": count,
        "station": station,
    }


def _pause(request, pk):
    station = get_object_or_404(LiaisonStation, pk=pk)
    pause_station(station, _("Paused by %(user)s") % {"user": request.user.get_username()})
    return _("%(station)s paused.") % {"station": station}


def _resume(request, pk):
    station = get_object_or_404(LiaisonStation, pk=pk)
    resume_station(station)
    return _("%(station)s resumed; its backlog is being replayed in order.") % {"station": station}


def _issue_token(request, pk):
    station = get_object_or_404(LiaisonStation, pk=pk)
    label = request.POST.get("label", "")[:100]
    _token, plaintext = StationToken.issue(station, name=label)
    # Shown once on the next page, then gone: only the hash is stored.
    request.session["stations_new_token"] = {"station": station.name, "token": plaintext}
    return _("New API token for %(station)s: copy it now, it will not be shown again.") % {
        "station": station
    }


ACTIONS = {
    "resend_delivery": _resend_delivery,
    "resend_article": _resend_article,
    "resend_station": _resend_station,
    "pause": _pause,
    "resume": _resume,
    "issue_token": _issue_token,
}


def article_deliveries(page):
    """Rows for the panel on the article's edit view: per station and version."""
    if not page or not page.pk or not getattr(page, "uri", ""):
        return []
    return list(
        Delivery.objects.filter(article__uri=page.uri)
        .select_related("station", "article")
        .order_by("station__name", "-version")
    )
