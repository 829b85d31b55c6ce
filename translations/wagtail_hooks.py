"""Admin integration: status dashboard, glossary and channel options, review enforcement."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.panels import ARTICLE_PANEL_HOOK
from cms.publishing import REFUSE_PUBLISHING_HOOK

from . import completeness, review, views
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
            "translations/traditional/<int:page_id>/",
            views.create_traditional_edition,
            name="translations_create_traditional",
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


def _field_label(name):
    return ChannelTranslationSettings._meta.get_field(name).verbose_name


def _yes_no(value):
    return _("Yes") if value else _("No")


class ChannelTranslationSettingsViewSet(SnippetViewSet):
    model = ChannelTranslationSettings
    icon = "cog"
    menu_label = gettext_lazy("Channel options")
    # Columns with the choices' labels and 是/否 (the stored values are "publish" and False,
    # which Wagtail's BooleanColumn still spells out for screen readers).
    list_display = [
        "channel",
        Column(
            "traditional_edition",
            label=_field_label("traditional_edition"),
            accessor="get_traditional_edition_display",
        ),
        Column(
            "review_machine_translations",
            label=_field_label("review_machine_translations"),
            accessor=lambda options: _yes_no(options.review_machine_translations),
        ),
        Column(
            "notify_translators",
            label=_field_label("notify_translators"),
            accessor=lambda options: _yes_no(options.notify_translators),
        ),
    ]


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
    # wagtail-localize's segment editor would answer a refusal with a generic "validation
    # errors" message: say how many segments are left instead.
    untranslated = completeness.untranslated_segment_count(page)
    if untranslated:
        messages.error(request, completeness.untranslated_message(page.title, untranslated))
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
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
hooks.register(REFUSE_PUBLISHING_HOOK, completeness.untranslated_segments_refusal)
hooks.register(REFUSE_PUBLISHING_HOOK, review.unconfirmed_machine_translation_refusal)


def _refused_schedule_formatter(describe):
    """The page-history entry of a scheduled go-live refused by a rule: `describe(count)`
    says why, with the count of segments the entry keeps."""

    class RefusedScheduleFormatter(LogFormatter):
        label = gettext_lazy("Scheduled publishing refused")

        def format_message(self, log_entry):
            return describe(log_entry.data.get("count", 0))

    return RefusedScheduleFormatter


def _awaiting_confirmation(count):
    return ngettext(
        "Not published at its scheduled time: %(count)d machine-translated segment "
        "needs a person's confirmation; it goes live at the next check after that.",
        "Not published at its scheduled time: %(count)d machine-translated segments "
        "need a person's confirmation; it goes live at the next check after that.",
        count,
    ) % {"count": count}


def _awaiting_translation(count):
    return ngettext(
        "Not published at its scheduled time: %(count)d segment is still "
        "untranslated; it goes live at the next check after that.",
        "Not published at its scheduled time: %(count)d segments are still "
        "untranslated; it goes live at the next check after that.",
        count,
    ) % {"count": count}


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action(review.SCHEDULE_UNCONFIRMED_ACTION)(
        _refused_schedule_formatter(_awaiting_confirmation)
    )
    actions.register_action(completeness.SCHEDULE_UNTRANSLATED_ACTION)(
        _refused_schedule_formatter(_awaiting_translation)
    )
