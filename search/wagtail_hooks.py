"""The user dictionary, synonyms and stop words are snippets the newsroom edits in the admin."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import DictionaryWord, StopWord, Synonym


class DictionaryWordViewSet(SnippetViewSet):
    model = DictionaryWord
    icon = "doc-full"
    list_display = ["word", "frequency", "note"]


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    list_display = ["terms", "note"]


class StopWordViewSet(SnippetViewSet):
    model = StopWord
    icon = "cross"
    list_display = ["word", "note"]


class SearchSettingsGroup(SnippetViewSetGroup):
    menu_label = _("Search")
    menu_icon = "search"
    items = (DictionaryWordViewSet, SynonymViewSet, StopWordViewSet)


register_snippet(SearchSettingsGroup)
