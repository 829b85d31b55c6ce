from django import forms
from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from cms.forms import offer_default_language_choices
from cms.panels import ARTICLE_PANEL_HOOK

from .admin_views import PERMISSION, DashboardView, dashboard_action
from .models import Destination, LiaisonStation
from .panels import DeliveriesPanel


class KeepLedgerDeleteView(DeleteView):
    """Stations and destinations with deliveries cannot go: the ledger is permanent."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _(
                    "%(object)s has deliveries in the permanent ledger and cannot be deleted; "
                    "deactivate it instead."
                )
                % {"object": self.object},
            )
            return redirect(self.get_success_url())


class LiaisonStationForm(WagtailAdminModelForm):
    """The subscription's channels, topics and countries offered once each, in the
    newsroom's own language: it matches every edition of what is chosen (by translation
    key). The station's own country is a snippet chooser, which has its locale filter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_default_language_choices(self, "filter_channels", "filter_topics", "filter_countries")


class LiaisonStationViewSet(SnippetViewSet):
    model = LiaisonStation
    delete_view_class = KeepLedgerDeleteView
    icon = "site"
    menu_label = _("Liaison stations")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "country", "city", "is_active", "paused_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "city"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("country"),
            FieldPanel("city"),
            InlinePanel(
                "display_names",
                heading=_("Names shown to readers"),
                label=_("name in another language"),
                help_text=_(
                    "The footer of each language edition shows the station under its name in "
                    "that language. Without one, the Traditional Chinese edition converts the "
                    "Chinese name and the other editions use the English name."
                ),
            ),
            FieldPanel("contact"),
            FieldPanel("website"),
            FieldPanel("locales"),
            FieldPanel("filter_channels"),
            FieldPanel("filter_topics"),
            FieldPanel("filter_countries"),
            FieldPanel("is_active"),
        ],
        base_form_class=LiaisonStationForm,
    )


class DestinationForm(WagtailAdminModelForm):
    """The secret is write-only: typed in, stored encrypted, never shown back."""

    new_secret = forms.CharField(
        label=_("Webhook secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current secret."),
    )

    def save(self, commit=True):
        if self.cleaned_data.get("new_secret"):
            self.instance.secret = self.cleaned_data["new_secret"]
        return super().save(commit=commit)


class DestinationViewSet(SnippetViewSet):
    model = Destination
    delete_view_class = KeepLedgerDeleteView
    icon = "link-external"
    menu_label = _("Station destinations")
    add_to_admin_menu = False
    list_display = ["station", "transport", "format", "url", "is_active"]
    list_filter = ["transport", "format", "is_active"]
    edit_handler = ObjectList(
        [
            FieldPanel("station"),
            FieldPanel("transport"),
            FieldPanel("format"),
            FieldPanel("url"),
            FieldPanel("new_secret"),
            FieldPanel("s3_bucket"),
            FieldPanel("s3_prefix"),
            FieldPanel("s3_region"),
            FieldPanel("s3_endpoint_url"),
            FieldPanel("s3_credentials_ref"),
            FieldPanel("is_active"),
        ],
        base_form_class=DestinationForm,
    )


register_snippet(LiaisonStationViewSet)
register_snippet(DestinationViewSet)


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [
        path("stations/deliveries/", DashboardView.as_view(), name="stations_dashboard"),
        path("stations/deliveries/action/", dashboard_action, name="stations_dashboard_action"),
    ]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        _("Deliveries"), reverse("stations_dashboard"), icon_name="mail", order=301
    )


@hooks.register(ARTICLE_PANEL_HOOK, order=10)
def article_deliveries_panel():
    return DeliveriesPanel(heading=_("Deliveries to liaison stations"))
