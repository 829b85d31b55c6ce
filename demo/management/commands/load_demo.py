import argparse
import contextlib
import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from config.celery import app as celery_app
from demo.loader import DemoLoader

DEFAULT_ARTICLES = 40
MAX_ARTICLES = 10_000
BAR_WIDTH = 30


def article_count(value):
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a whole number of articles.") % {"value": value}
        ) from None
    if not 0 <= number <= MAX_ARTICLES:
        raise argparse.ArgumentTypeError(
            _("The number of articles must be between 0 and %(max)d, not %(value)d.")
            % {"max": MAX_ARTICLES, "value": number}
        )
    return number


@contextlib.contextmanager
def tasks_run_inline():
    """The tasks each publish queues (the Traditional edition, the search index, the page
    cache) run in this process, so the demo is whole when the command returns: `make run`
    prints the login with every edition published and searchable, not minutes later once
    the worker has drained the queue. A task that fails is logged and the load goes on."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


class Command(BaseCommand):
    help = _(
        "Load the demo newsroom: channels, articles with cover images, authors, topics, "
        "translations and liaison stations. Safe to run again: existing demo content is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=article_count,
            default=DEFAULT_ARTICLES,
            help=_("How many demo articles to create (default %(default)s).")
            % {"default": DEFAULT_ARTICLES},
        )

    def handle(self, *args, articles, **options):
        started = time.monotonic()
        self.stdout.write(_("Loading the demo newsroom…"))
        with tasks_run_inline():
            created = DemoLoader(articles, progress=self.show_progress).run()
        if articles and self.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(self.summary(created, articles, time.monotonic() - started))

    def show_progress(self, done, total, label):
        # A self-rewriting line is all a progress bar needs here; not worth a dependency.
        filled = BAR_WIDTH * done // total
        line = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total} {label[:30]}"
        if self.stdout.isatty():
            self.stdout.write(f"\r{line}\033[K", ending="")
            self.stdout.flush()
        else:
            self.stdout.write(line)

    def summary(self, created, articles, seconds):
        if not +created:  # unary + drops the kinds that stayed at zero
            return self.style.SUCCESS(
                _("Demo content already loaded (%(n)d articles): nothing new to create.")
                % {"n": articles}
            )
        lines = [_("Created:")]
        lines += [f"  {kind}: {count}" for kind, count in sorted((+created).items())]
        lines.append(_("Done in %(seconds).1f s.") % {"seconds": seconds})
        return self.style.SUCCESS("\n".join(lines))
