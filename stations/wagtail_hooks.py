from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import LiaisonStation


class LiaisonStationViewSet(SnippetViewSet):
    model = LiaisonStation
    icon = "site"
    menu_label = _("Liaison stations")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "country", "city", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "city"]


register_snippet(LiaisonStationViewSet)
