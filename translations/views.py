"""Admin views: the translation status dashboard, one article's translation status, and the
confirmation of machine-filled segments."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.models import Page
from wagtail_localize.models import Translation
from wagtail_localize.views.update_translations import UpdateTranslationsView

from cms.models import ArticlePage, ChannelPage
from config.admin_views import AdminPageMixin

from . import review
from .glossary import terms_in_text
from .machine import TRADITIONAL
from .models import ChannelTranslationSettings
from .status import (
    IN_PROGRESS,
    MISSING,
    STATUS_LABELS,
    STATUSES,
    counts_per_locale,
    status_rows,
    target_locales,
)
from .traditional import produce_traditional_edition

ROWS_PER_PAGE = 50
AGES = {"1": 1, "7": 7, "30": 30, "90": 90, "all": None}
DEFAULT_AGE = "30"


def source_articles():
    return (
        ArticlePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .exclude(first_published_at=None)
        .order_by("-first_published_at", "-pk")
    )


class StatusDashboardView(AdminPageMixin, TemplateView):
    template_name = "translations/admin/status_dashboard.html"
    page_title = gettext_lazy("Translation status")
    header_icon = "globe"

    def filters(self):
        get = self.request.GET
        channel = get.get("channel", "")
        locale = get.get("locale", "")
        status = get.get("status", "")
        age = get.get("age", DEFAULT_AGE)
        return {
            "channel": int(channel) if channel.isdigit() else None,
            "locale": locale if locale in dict(settings.LANGUAGES) else "",
            "status": status if status in STATUSES else "",
            "age": age if age in AGES else DEFAULT_AGE,
            "q": get.get("q", "").strip()[:200],
        }

    def filtered_articles(self, filters):
        articles = source_articles()
        if filters["channel"]:
            channel = ChannelPage.objects.filter(pk=filters["channel"]).first()
            articles = articles.child_of(channel) if channel else articles.none()
        if days := AGES[filters["age"]]:
            articles = articles.filter(
                first_published_at__gte=timezone.now() - timedelta(days=days)
            )
        if query := filters["q"]:
            articles = (
                articles.filter(pk=int(query))
                if query.isdigit()
                else articles.filter(title__icontains=query)
            )
        return articles

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters()
        locales = target_locales(self.request.user)
        if filters["locale"]:
            locales = [locale for locale in locales if locale.language_code == filters["locale"]]
        rows = status_rows(self.filtered_articles(filters).specific(), locales)
        counts = counts_per_locale(rows)
        if filters["status"]:
            rows = [row for row in rows if any(c.status == filters["status"] for c in row.cells)]
        context.update(
            filters=filters,
            locales=locales,
            rows=Paginator(rows, ROWS_PER_PAGE).get_page(self.request.GET.get("p")),
            counts=[(locale, counts.get(locale.pk, {})) for locale in locales],
            statuses=list(STATUS_LABELS.items()),
            channels=ChannelPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE),
            languages=[(c, n) for c, n in settings.LANGUAGES if c != settings.LANGUAGE_CODE],
            ages=[
                ("1", _("1 day")),
                ("7", _("7 days")),
                ("30", _("30 days")),
                ("90", _("90 days")),
                ("all", _("All")),
            ],
        )
        return context


class ArticleStatusView(AdminPageMixin, TemplateView):
    """One article: every language's status, machine segments to confirm, glossary terms."""

    template_name = "translations/admin/article_status.html"
    page_title = gettext_lazy("Translation status")
    header_icon = "globe"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = get_object_or_404(source_articles(), pk=kwargs["page_id"]).specific
        row = status_rows([article], target_locales(self.request.user))[0]
        context.update(article=article, row=row, languages=article_languages(article, row))
        return context


def article_languages(article, row):
    """Per language: the cell, the translation, machine segments to confirm, glossary terms,
    and for an edition that is missing or unfinished, why and what creates it."""
    text = source_text(article)
    translations = Translation.objects.in_bulk(
        [c.translation_id for c in row.cells if c.translation_id]
    )
    options = ChannelTranslationSettings.for_page(article)
    languages = []
    for cell in row.cells:
        translation = translations.get(cell.translation_id)
        languages.append(
            {
                "cell": cell,
                "translation": translation,
                "unconfirmed": (
                    review.unconfirmed_machine_segments(translation).count() if translation else 0
                ),
                "review_required": review.review_required(article),
                "glossary": terms_in_text(text, cell.locale),
                **next_step(article, cell, options),
            }
        )
    return languages


def next_step(article, cell, options):
    """{"reason": why the edition is missing or not live, "action": what to do about it}:
    the action is ("post" | "link", url, label), or None."""
    language = cell.locale.get_display_name()
    if cell.status == IN_PROGRESS and cell.segments > cell.translated:
        left = cell.segments - cell.translated
        reason = ngettext(
            "Draft: %(count)d segment is still untranslated; it can be published once it is "
            "translated.",
            "Draft: %(count)d segments are still untranslated; it can be published once they "
            "are translated.",
            left,
        ) % {"count": left}
        url = reverse("wagtailadmin_pages:edit", args=[cell.page_id]) if cell.page_id else None
        return {"reason": reason, "action": url and ("link", url, _("Translate"))}
    if cell.status != MISSING:
        return {"reason": "", "action": None}
    if cell.locale.language_code == TRADITIONAL:
        automatic = options is not None and (
            options.traditional_edition != ChannelTranslationSettings.TraditionalEdition.OFF
        )
        reason = (
            _(
                "This channel makes its Traditional Chinese edition automatically after "
                "publication; it has not been made yet (the background worker may be busy or "
                "stopped)."
            )
            if automatic
            else _(
                "This channel's Traditional Chinese edition is not automatic (Translation → "
                "Channel options)."
            )
        )
        url = reverse("translations_create_traditional", args=[article.pk])
        return {"reason": reason, "action": ("post", url, _("Create it now with OpenCC"))}
    url = reverse("wagtail_localize:submit_page_translation", args=[article.pk])
    return {
        "reason": _("Nobody has started the %(language)s translation yet.")
        % {"language": language},
        "action": (
            "link",
            f"{url}?select_locale={cell.locale.language_code}",
            _("Translate into %(language)s") % {"language": language},
        ),
    }


def source_text(article):
    parts = [article.title, getattr(article, "summary", ""), getattr(article, "subtitle", "")]
    body = getattr(article, "body", None)
    if body is not None:
        parts.append(str(body))
    return "\n".join(part for part in parts if part)


@require_POST
def create_traditional_edition(request, page_id):
    """The status panel's button: make the article's zh-hant edition now, published if the
    channel publishes it automatically and the user may publish, else as a draft."""
    article = get_object_or_404(source_articles(), pk=page_id).specific
    permissions = article.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    options = ChannelTranslationSettings.for_page(article)
    publish = (
        options is not None
        and options.traditional_edition == ChannelTranslationSettings.TraditionalEdition.PUBLISH
        and article.live
        and permissions.can_publish()
    )
    edition = produce_traditional_edition(article, publish=publish, user=request.user)
    if edition is None:
        messages.error(
            request,
            _("The Traditional Chinese edition is edited by hand; it was left as it is."),
        )
    elif edition.live:
        messages.success(request, _("The Traditional Chinese edition is published."))
    else:
        messages.success(
            request,
            _("The Traditional Chinese edition was created as a draft: review and publish it."),
        )
    return redirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))


@require_POST
def confirm_machine_translation(request, translation_id):
    """A person confirms they reviewed the machine-filled segments of a translation."""
    translation = get_object_or_404(Translation.objects.select_related("source"), pk=translation_id)
    try:
        page = translation.get_target_instance()
    except Page.DoesNotExist as error:
        raise Http404(_("This translation has no page yet")) from error
    if not isinstance(page, Page) or not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    review.confirm(translation, request.user)
    messages.success(
        request,
        _("Machine translation in the %(locale)s translation confirmed")
        % {"locale": translation.target_locale.get_display_name()},
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return redirect(next_url)


class ReviewedUpdateTranslationsView(UpdateTranslationsView):
    """wagtail-localize's "Sync translated pages", without "Publish immediately" where the
    channel asks for review: the synced (possibly machine-filled) segments wait for a person."""

    def get_form(self):
        form = super().get_form()
        source = self.object.get_source_instance()
        if isinstance(source, Page) and review.review_required(source):
            field = form.fields["publish_translations"]
            field.disabled = True
            field.help_text = _(
                "This channel's translations are published after a person confirms them."
            )
        return form
