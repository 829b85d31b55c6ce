"""Rebuild the search index per locale: a new versioned index, then an alias swap (ES) or a
single-transaction rebuild (database). A failed build leaves the old index serving."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from search.documents import build_document, indexable_articles
from search.engines import get_engine


class Command(BaseCommand):
    help = "Rebuild the search index of every locale (or one, with --locale)."

    def add_arguments(self, parser):
        parser.add_argument("--locale", help="language code, e.g. zh-hans or en")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, locale=None, no_progress=False, **options):
        known = [code for code, _name in settings.LANGUAGES]
        if locale and locale not in known:
            raise CommandError(f"Unknown locale {locale!r}; choose one of: {', '.join(known)}")
        engine = get_engine()
        totals = {}
        for code in [locale] if locale else known:
            pages = indexable_articles(code)
            total = pages.count()
            with tqdm(
                total=total, desc=code, unit="article", disable=no_progress, file=sys.stderr
            ) as bar:
                documents = (build_document(page) for page in pages.iterator(chunk_size=200))
                try:
                    totals[code] = engine.rebuild(code, documents, progress=bar.update)
                except Exception as error:
                    raise CommandError(
                        f"Rebuilding {code} failed; the previous index still serves: {error}"
                    ) from error
        summary = ", ".join(f"{code}: {count}" for code, count in totals.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {sum(totals.values())} articles"
                f" with the {engine.name} engine ({summary})."
            )
        )
