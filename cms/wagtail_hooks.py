from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .snippets import Author, Country, Source


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    list_display = ["name", "role", "country", "locale"]
    list_filter = ["role", "locale"]
    search_fields = ["name"]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "site"
    list_display = ["name", "url", "locale"]


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "globe"
    list_display = ["name", "code", "locale"]


class NewsroomSnippets(SnippetViewSetGroup):
    menu_label = _("Newsroom")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (AuthorViewSet, SourceViewSet, CountryViewSet)


register_snippet(NewsroomSnippets)
