from django.core.management.base import BaseCommand

import fablab.demo
import members.demo
import rooms.demo
import workshops.demo
from booking.locking import batch

# The demo seed sits at the top layer, the one place that may import every app. Each
# app adds its demo data here, in dependency order. What an animator plans (the
# workshop programme, the Fablab's hours and maintenance) comes before the members'
# bookings, which the engine then fits around it: the demo never collides with itself.
SEEDERS = [
    members.demo.seed,
    rooms.demo.seed,
    workshops.demo.seed,
    fablab.demo.seed,
    rooms.demo.seed_bookings,
]


class Command(BaseCommand):
    help = "Create the demo data (idempotent). Logins are in the README."

    def handle(self, *args, **options):
        # All or nothing; a batch, as the seed runs alone: each booking it makes takes
        # its locks in order, but the bookings need not come in lock order between them.
        with batch():
            for seed in SEEDERS:
                seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
