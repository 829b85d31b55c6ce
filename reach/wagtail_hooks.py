from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.panels import ARTICLE_PANEL_HOOK

from .admin_views import PERMISSION, ReachReportView
from .models import BotPattern
from .panels import ReachPanel


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reach/", ReachReportView.as_view(), name="reach_report")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return ReportMenuItem(_("Reach"), reverse("reach_report"), icon_name="view", order=302)


@hooks.register(ARTICLE_PANEL_HOOK, order=30)
def article_reach_panel():
    return ReachPanel(heading=_("Reach"))


class BotPatternViewSet(SnippetViewSet):
    model = BotPattern
    icon = "cogs"
    menu_label = _("Bot patterns")
    add_to_admin_menu = False
    list_display = ["pattern", "note"]


register_snippet(BotPatternViewSet)
