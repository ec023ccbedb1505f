from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workshops.services import programme_send


class Command(BaseCommand):
    help = "Send a month's workshop programme (YYYY-MM, next month by default) to subscribers."

    def add_arguments(self, parser):
        parser.add_argument("month", nargs="?", help="YYYY-MM")

    def handle(self, *args, month=None, **options):
        if month:
            try:
                year, number = (int(part) for part in month.split("-"))
                if not 1 <= number <= 12:
                    raise ValueError
            except ValueError:
                raise CommandError("The month is written YYYY-MM, e.g. 2026-12.") from None
        else:
            today = timezone.localdate()
            year, number = divmod(today.year * 12 + today.month, 12)
            number += 1
        count = programme_send(year=year, month=number)
        self.stdout.write(f"{year}-{number:02d}: {count} subscriber(s).")
