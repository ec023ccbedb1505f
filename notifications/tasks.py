"""Celery tasks: load by id, call a service."""

import smtplib

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    # With the first run this makes NOTIFICATION_MAX_ATTEMPTS (5); the row counts
    # attempts itself, so a retry racing the sweep still stops at the same bound.
    max_retries=4,
)
def deliver_notification(notification_id: int) -> str:
    """Send one outbox row; idempotent (the row is claimed before sending)."""
    return services.notification_deliver(notification_id=notification_id)


@shared_task(acks_late=True)
def sweep_notifications() -> int:
    """Hand every due row to the workers (beat runs this every few minutes)."""
    ids = services.notifications_due_sweep()
    return services.notifications_dispatch(notification_ids=ids)
