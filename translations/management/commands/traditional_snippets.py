"""Give every Simplified author, source and country its zh-hant version (OpenCC).

New and edited snippets get theirs when saved; this covers the ones stored before that
(an existing database). Versions made by hand are left alone. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.models import Author, Country, Source
from translations.traditional import produce_traditional_snippet


class Command(BaseCommand):
    help = _("Create the Traditional Chinese versions of authors, sources and countries.")

    def handle(self, *args, **options):
        made = 0
        for model in (Country, Source, Author):
            for snippet in model.objects.filter(locale__language_code=settings.LANGUAGE_CODE):
                made += produce_traditional_snippet(snippet) is not None
        message = _("%(count)d snippets have a synced Traditional Chinese version.")
        self.stdout.write(message % {"count": made})
