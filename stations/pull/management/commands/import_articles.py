import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tqdm import tqdm

from stations.pull.importer import ArticleImporter, ImportFileError, read_items


class Command(BaseCommand):
    help = _(
        "Import IPTC ninjs 2.2 articles (one object, an array or JSON Lines) as published "
        "articles. Idempotent by uri; a newer version corrects; pubstatus canceled takes down."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("ninjs file: .json (object or array) or .jsonl"))
        parser.add_argument(
            "--channel",
            metavar="SLUG",
            help=_("channel for new articles (created when missing; default: archive)"),
        )
        parser.add_argument("--no-progress", action="store_true", help=_("hide the progress bar"))

    def handle(self, *args, path, channel=None, no_progress=False, **options):
        try:
            items = read_items(path)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        importer = ArticleImporter(channel_slug=channel)
        for item in tqdm(items, unit="article", disable=no_progress, file=sys.stderr):
            importer.apply(item)
        result = importer.result
        for line, message in result.invalid:
            self.stderr.write(
                _("line %(line)s: skipped, %(message)s") % {"line": line, "message": message}
            )
        self.stdout.write(
            _(
                "Imported %(total)s items: %(created)s created, %(corrected)s corrected, "
                "%(taken_down)s taken down, %(unchanged)s unchanged, %(invalid)s invalid."
            )
            % {
                "total": len(items),
                "created": len(result.created),
                "corrected": len(result.corrected),
                "taken_down": len(result.taken_down),
                "unchanged": len(result.unchanged),
                "invalid": len(result.invalid),
            }
        )
        if result.invalid:
            # The valid items are in; a non-zero status tells scripts some were not.
            raise CommandError(
                ngettext(
                    "%(count)s invalid item was skipped (listed above with its line).",
                    "%(count)s invalid items were skipped (listed above with their lines).",
                    len(result.invalid),
                )
                % {"count": len(result.invalid)}
            )
