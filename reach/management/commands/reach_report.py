"""manage.py reach_report --from 2026-11-01 --to 2026-11-30 [--format csv|xlsx] [--output FILE]"""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from reach import report
from reach.queries import Period

MAX_DAYS = 366


def day_argument(value, name):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--{name} {value!r} is not a date: write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "The reach report: one row per article (views, visitors, languages, countries, stations)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", help="file to write (default: standard output; xlsx needs a file)"
        )

    def handle(self, *args, start, end, format, output, **options):
        period = Period(day_argument(start, "from"), day_argument(end, "to"))
        if period.start > period.end:
            raise CommandError(f"--from {period.start} lies after --to {period.end}.")
        if (period.end - period.start).days >= MAX_DAYS:
            raise CommandError(f"A report covers at most {MAX_DAYS} days; split the period.")
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx writes a binary file: give --output FILE.")
        with tqdm(desc="reach report", unit="article", file=sys.stderr, disable=None) as progress:
            count = self.write(period, format, output, progress)
        destination = output or "standard output"
        self.stderr.write(
            f"{count} articles, {period.start} – {period.end}, written to {destination}."
        )

    def write(self, period, fmt, output, progress):
        writer = report.write_xlsx if fmt == "xlsx" else report.write_csv
        if not output:
            return writer(self.stdout, period, progress)
        try:
            with open(
                output,
                "wb" if fmt == "xlsx" else "w",
                encoding=None if fmt == "xlsx" else "utf-8-sig",
                newline="" if fmt == "csv" else None,
            ) as out:
                return writer(out, period, progress)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
