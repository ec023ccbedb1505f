from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = (
        "Envoie maintenant les notifications et rappels dus (le même balayage que beat), "
        "sans worker : pour cron et les sites sans beat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50_000)

    def handle(self, *args, limit, **options):
        ids = services.notifications_due_sweep(limit=limit)
        outcomes: dict[str, int] = {}
        for notification_id in ids:
            try:
                outcome = services.notification_deliver(notification_id=notification_id)
            except services.RETRYABLE_ERRORS as exc:
                # Recorded on the row (pending again, or failed): the next run retries it.
                outcome = "retry-later"
                self.stderr.write(f"notification {notification_id}: {exc}")
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        summary = ", ".join(f"{name}: {count}" for name, count in sorted(outcomes.items()))
        self.stdout.write(f"{len(ids)} due. {summary}".strip())
