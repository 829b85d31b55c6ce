"""Admin integration: status dashboard, glossary and channel options, review enforcement."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.panels import ARTICLE_PANEL_HOOK
from cms.publishing import REFUSE_PUBLISHING_HOOK

from . import review, views
from .models import ChannelTranslationSettings, GlossaryTerm
from .panels import TranslationStatusPanel


@hooks.register("register_admin_urls")
def register_translation_urls():
    return [
        path(
            "translations/status/",
            views.StatusDashboardView.as_view(),
            name="translations_status",
        ),
        path(
            "translations/status/<int:page_id>/",
            views.ArticleStatusView.as_view(),
            name="translations_article_status",
        ),
        path(
            "translations/confirm/<int:translation_id>/",
            views.confirm_machine_translation,
            name="translations_confirm_machine",
        ),
        # Served instead of wagtail-localize's own view at its address (our hooks register
        # first): see ReviewedUpdateTranslationsView.
        path(
            "localize/update/<int:translation_source_id>/",
            views.ReviewedUpdateTranslationsView.as_view(),
            name="translations_update_translations",
        ),
    ]


@hooks.register(ARTICLE_PANEL_HOOK, order=20)
def article_translation_status_panel():
    return TranslationStatusPanel(heading=gettext_lazy("Translation status"))


@hooks.register("register_admin_menu_item")
def register_status_menu_item():
    return MenuItem(
        gettext_lazy("Translation status"),
        reverse("translations_status"),
        icon_name="globe",
        order=302,
    )


class GlossaryViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "openquote"
    menu_label = gettext_lazy("Glossary")
    list_display = ["term", "note"]
    search_fields = ["term", "note"]


class ChannelTranslationSettingsViewSet(SnippetViewSet):
    model = ChannelTranslationSettings
    icon = "cog"
    menu_label = gettext_lazy("Channel options")
    list_display = ["channel", "traditional_edition", "review_machine_translations"]


class TranslationViewSetGroup(SnippetViewSetGroup):
    items = (GlossaryViewSet, ChannelTranslationSettingsViewSet)
    menu_icon = "globe"
    menu_label = gettext_lazy("Translation")
    menu_name = "translation"
    menu_order = 303


register_snippet(TranslationViewSetGroup)


def _is_publish_request(request):
    return request.method == "POST" and (
        request.POST.get("action") == "publish" or "action-publish" in request.POST
    )


def refuse_unreviewed_publish(request, page):
    """Publishing a translation with unconfirmed machine segments goes back to the editor.

    Runs before wagtail-localize's own before_edit_page hook (which serves its segment
    editor and publishes from it) and before Wagtail's publish in the ordinary editor.
    """
    if not _is_publish_request(request):
        return None
    pending = review.publishing_blocked(page)
    if not pending:
        return None
    messages.error(
        request,
        _(
            "Machine-translated segments awaiting a person's confirmation: %(count)d. They"
            " must be confirmed before publishing."
        )
        % {"count": pending},
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


hooks.register("before_edit_page", refuse_unreviewed_publish, order=-100)
hooks.register("before_publish_page", refuse_unreviewed_publish, order=-100)

# Every other publishing path (dashboard approval, bulk Publish, scheduled go-live…) is
# refused by the publish action itself (cms/publishing.py).
hooks.register(REFUSE_PUBLISHING_HOOK, review.unconfirmed_machine_translation_refusal)


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action(review.SCHEDULE_UNCONFIRMED_ACTION)
    class ScheduleWaitsForConfirmationFormatter(LogFormatter):
        label = gettext_lazy("Scheduled publishing refused")

        def format_message(self, log_entry):
            count = log_entry.data.get("count", 0)
            return ngettext(
                "Not published at its scheduled time: %(count)d machine-translated segment "
                "needs a person's confirmation; it goes live at the next check after that.",
                "Not published at its scheduled time: %(count)d machine-translated segments "
                "need a person's confirmation; it goes live at the next check after that.",
                count,
            ) % {"count": count}
