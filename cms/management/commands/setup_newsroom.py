from django.core.management.base import BaseCommand

from cms.newsroom import setup_newsroom


class Command(BaseCommand):
    help = (
        "Create the locales, language home pages, editorial groups and review workflow "
        "(idempotent)."
    )

    def handle(self, *args, **options):
        homes = setup_newsroom()
        self.stdout.write(self.style.SUCCESS(f"Newsroom ready: {len(homes)} language editions."))
