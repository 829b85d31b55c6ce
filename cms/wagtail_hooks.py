from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from media.publishing import image_titles

from .publishing import (
    REFUSE_PUBLISHING_HOOK,
    SCHEDULE_REFUSED_ACTION,
    PublishingRulesChecked,
    missing_alt_text_refusal,
    publishing_refusal,
)
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


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_that_breaks_a_rule(request, action_type, objects, action):
    """The listing's bulk Publish: name every selected article that breaks a publishing rule
    (cms/publishing.py), at once, and publish nothing (the publish action would stop at the
    first one, and the bulk action's transaction would then undo the rest)."""
    if action_type != "publish":
        return None
    pages = _pages_to_publish(objects, action, request.user)
    refusals = list(filter(None, map(_refusal_of_latest_revision, pages)))
    if not refusals:
        return None
    for refusal in refusals:
        messages.error(request, refusal.message)
    messages.error(
        request,
        gettext(
            "Nothing was published: correct these articles, or leave them out of the selection."
        ),
    )
    return redirect(action.next_url)


def _pages_to_publish(objects, action, user):
    """The selected pages, and with "include descendants" the draft pages below them that
    the user may publish, as Wagtail's PublishBulkAction chooses them."""
    with_descendants = action.cleaned_form.cleaned_data.get("include_descendants")
    for page in objects:
        yield page
        if with_descendants:
            for descendant in page.get_descendants().not_live().specific():
                if descendant.permissions_for_user(user).can_publish():
                    yield descendant


def _refusal_of_latest_revision(obj):
    """What the bulk action would publish: the page's latest revision."""
    page = getattr(obj, "specific", obj)
    if not isinstance(page, PublishingRulesChecked):
        return None
    revision = page.get_latest_revision()
    return publishing_refusal(revision.as_object() if revision else page)


@hooks.register("register_log_actions")
def register_publishing_log_actions(actions):
    @actions.register_action(SCHEDULE_REFUSED_ACTION)
    class ScheduleRefusedFormatter(LogFormatter):
        label = _("Scheduled publishing refused")

        def format_message(self, log_entry):
            return _(
                "Not published at its scheduled time: add alt text to these images (in "
                "Images, or in the article's image block); it goes live at the next check "
                "after that: %(images)s"
            ) % {"images": image_titles(log_entry.data.get("images", []))}


# Alt text on every photo before an article goes live, on every publishing path.
hooks.register(REFUSE_PUBLISHING_HOOK, missing_alt_text_refusal)
