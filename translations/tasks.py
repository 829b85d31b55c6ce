"""Celery tasks of the translation workflow. Arguments are primary keys and strings; each
task re-reads the rows, so a task that arrives late acts on the current state.
(wagtail-localize's jobs run in jobs.run_localize_job.)"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _

from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from celery import shared_task
from celery.utils.log import get_task_logger

from cms.newsroom import translator_group_name

from .models import ChannelTranslationSettings
from .sources import update_source
from .traditional import produce_traditional_edition, take_down_edition

logger = get_task_logger(__name__)
RETRY_DELAY = 30
MAX_RETRIES = 5


@shared_task(acks_late=True, max_retries=MAX_RETRIES, default_retry_delay=RETRY_DELAY)
def source_published(page_id):
    """A Simplified article was published or corrected: refresh what its translators see,
    make the Traditional edition if the channel asks for it, tell translators if asked."""
    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return
    page = page.specific
    sync_translation_source(page)
    options = ChannelTranslationSettings.for_page(page)
    if options is None:
        return
    if options.traditional_edition != ChannelTranslationSettings.TraditionalEdition.OFF:
        publish = (
            options.traditional_edition == ChannelTranslationSettings.TraditionalEdition.PUBLISH
        )
        edition = produce_traditional_edition(page, publish=publish)
        logger.info("Traditional edition of page %s: %s", page_id, edition and edition.pk)
    if options.notify_translators:
        notify_translators(page)


@shared_task(acks_late=True, max_retries=MAX_RETRIES, default_retry_delay=RETRY_DELAY)
def source_taken_down(translation_key):
    """The Simplified article was unpublished or deleted: its Traditional edition goes too."""
    if take_down_edition(translation_key):
        logger.info("Took down the Traditional edition of %s", translation_key)


def sync_translation_source(page):
    """Update wagtail-localize's copy of the source (if it is being translated) so every
    synced translation offers the changed segments and shows as outdated."""
    if TranslationSource.objects.filter(
        object_id=page.translation_key, locale_id=page.locale_id
    ).exists():
        update_source(page)


def notify_translators(page):
    """One e-mail to each translator of each language edition."""
    corrected = page.first_published_at != page.last_published_at
    subject = (
        _("[Qiaoyin] The original was corrected, please update the translation: %(title)s")
        if corrected
        else _("[Qiaoyin] New article to translate: %(title)s")
    ) % {"title": page.title}
    edit_url = f"{settings.WAGTAILADMIN_BASE_URL}/admin/translations/status/?q={page.pk}"
    messages = []
    for code, _name in settings.LANGUAGES:
        if code == page.locale.language_code:
            continue
        recipients = list(
            get_user_model()
            .objects.filter(groups__name=translator_group_name(code), is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if recipients:
            body = _("%(title)s\n\nTranslation status: %(url)s") % {
                "title": page.title,
                "url": edit_url,
            }
            messages.append((subject, body, None, recipients))
    send_mass_mail(messages, fail_silently=False)
