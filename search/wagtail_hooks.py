"""The user dictionary, synonyms and stop words are snippets the newsroom edits in the admin."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from config import providers

from .engines import get_engine
from .models import DictionaryWord, StopWord, Synonym
from .views import search_page_context


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


# What cms's pages use of search (config/providers.py: cms may not import search).
@hooks.register(providers.SEARCH_PAGE_CONTEXT)
def search_page(request, language_code):
    return search_page_context(request, language_code)


@hooks.register(providers.MORE_LIKE_THIS)
def more_like_this(page_id: int, language_code: str, limit: int) -> list[int]:
    return get_engine().more_like_this(page_id, language_code, limit)
