"""Writes on the notification outbox.

The contract other apps rely on:

* ``notification_enqueue`` is called *inside the caller's transaction*: it writes
  one row and nothing else. If the caller rolls back, the message never existed.
  Rows due now are handed to Celery on commit; if the broker is down the commit
  still succeeds and the periodic sweep hands them over later.
* ``reminders_schedule`` / ``reminders_reschedule`` / ``notifications_cancel_for``
  keep an item's reminders in step with the item.
* ``notification_deliver`` claims a row with one conditional UPDATE, so a
  retried task, a duplicate beat tick or a second worker never sends it twice.

Wiring a booking (the same for a workshop registration or a Fablab slot)::

    from notifications import services as notify
    from notifications.models import Notification

    @transaction.atomic
    def booking_create(*, member, space, start, end):
        booking = ...  # validate, lock, insert
        context = {"title": str(space), "starts_at": start, "ends_at": end,
                   "cancel_url": reverse("rooms:booking_cancel", args=[booking.pk])}
        notify.notification_enqueue(kind=Notification.Kind.BOOKING_CONFIRMED,
                                    recipient=member, about=booking, context=context)
        notify.reminders_schedule(kind=Notification.Kind.BOOKING_REMINDER,
                                  recipient=member, about=booking, starts_at=start,
                                  context=context)   # due start - 24 h, not after start
        return booking

    @transaction.atomic
    def booking_cancel(*, booking, by_animator=False):
        ...  # mark cancelled
        notify.notifications_cancel_for(about=booking)   # its pending reminders go
        if by_animator:
            notify.notification_enqueue(kind=Notification.Kind.BOOKING_CANCELLED, ...)

A booking moved to another time: ``reminders_reschedule`` with the new start.
A new kind: a ``Notification.Kind`` choice (plus its migration) and three templates,
``templates/notifications/<kind>.subject.txt``, ``.txt`` and ``.html``.
"""

import hashlib
import logging
import smtplib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Least
from django.utils import timezone

from members.models import User

from . import selectors
from .models import Notification, Preference

log = logging.getLogger(__name__)

Kind = Notification.Kind
Status = Notification.Status

# Errors worth another try: the mail server said "later" or could not be reached.
# OSError covers refused and timed-out connections and DNS failures.
RETRYABLE_ERRORS = (smtplib.SMTPException, OSError)

REMINDER_24H = timedelta(hours=24)
REMINDER_2H = timedelta(hours=2)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# Only these preferences can be switched off from a link in an e-mail.
UNSUBSCRIBABLE = {"programme_digest", "reminder_24h", "reminder_2h"}

_BATCH = 1000


class DeliveryOutcome:
    SENT = "sent"
    SKIPPED = "skipped"  # not pending, not due, or claimed by another worker
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"


# --- Enqueueing -----------------------------------------------------------------------


def dedup_key_for(
    *,
    kind: str,
    about: models.Model | None = None,
    recipient: User | None = None,
    email: str = "",
    suffix: str = "",
) -> str:
    """A dedup key: one message of ``kind`` about ``about`` to one person (+ ``suffix``).

    Put the due time or the item's start in ``suffix`` when the same kind may be
    sent again once the item moves.
    """
    who = f"u{recipient.pk}" if recipient is not None else email.strip().lower()
    what = f"{about._meta.label_lower}:{about.pk}" if about is not None else "-"
    key = f"{kind}:{what}:{who}:{suffix}"
    if len(key) > 200:
        # Long e-mail addresses: keep the key readable at the front and unique at the end.
        key = key[:150] + ":" + hashlib.sha256(key.encode()).hexdigest()[:40]
    return key


def notification_enqueue(
    *,
    kind: str,
    recipient: User | None = None,
    email: str = "",
    name: str = "",
    language: str | None = None,
    about: models.Model | None = None,
    due_at: datetime | None = None,
    not_after: datetime | None = None,
    context: dict | None = None,
    dedup_key: str | None = None,
    preference: str = "",
) -> Notification:
    """Write one message to send, in the caller's transaction.

    Give ``recipient`` (a member) or ``email``/``name`` (an outsider). ``due_at``
    defaults to now; a row due now is handed to the worker on commit. ``not_after``
    (an item's start, for reminders) is the moment after which it is never sent.
    ``preference`` names a ``Preference`` field the member must have switched on
    at sending time. ``context`` must be JSON-serialisable (datetimes are fine);
    relative URLs in it (``url``, ``cancel_url``) are made absolute with SITE_URL.

    With a ``dedup_key`` already used by a non-cancelled row, nothing is written
    and that row is returned. Takes no lock; a savepoint absorbs the duplicate.
    Raises ValueError without an address, ValidationError on invalid fields.
    """
    if recipient is None and not email:
        raise ValueError("A notification needs a recipient or an e-mail address.")
    now = timezone.now()
    due_at = due_at or now
    notification = Notification(
        kind=kind,
        recipient=recipient,
        recipient_email=recipient.email if recipient is not None else email.strip(),
        recipient_name=name or (recipient.get_full_name() if recipient is not None else ""),
        language=language or getattr(recipient, "language", "") or settings.LANGUAGE_CODE,
        due_at=due_at,
        not_after=not_after,
        context=context or {},
        dedup_key=dedup_key,
        preference=preference,
        # Optimistic: dispatch happens on commit; a failed dispatch clears it again.
        queued_at=now if due_at <= now else None,
    )
    if about is not None:
        notification.content_type = ContentType.objects.get_for_model(about)
        notification.object_id = about.pk
    # The foreign keys are objects we hold: no need for full_clean's queries on them,
    # and the database enforces the dedup constraint below.
    notification.full_clean(exclude=["recipient", "content_type"], validate_constraints=False)
    if dedup_key is not None:
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            existing = (
                Notification.objects.exclude(status=Status.CANCELLED)
                .filter(dedup_key=dedup_key)
                .first()
            )
            if existing is None:
                raise
            return existing
    else:
        notification.save()
    if notification.queued_at is not None:
        _dispatch_on_commit([notification.pk])
    return notification


def _dispatch_on_commit(ids: list[int]) -> None:
    # robust: an error in the hand-over is logged, never raised into the caller's
    # request after its data is already committed.
    transaction.on_commit(partial(notifications_dispatch, notification_ids=ids), robust=True)


def notifications_dispatch(*, notification_ids: Iterable[int]) -> int:
    """Hand rows to the Celery worker (or run them in-process in eager mode).

    Never raises: with the broker down the rows are marked not-queued and the next
    sweep hands them over. Returns how many were handed over.
    """
    from .tasks import deliver_notification

    ids = list(notification_ids)
    for done, notification_id in enumerate(ids):
        try:
            deliver_notification.apply_async(
                (notification_id,),
                # Fail fast when the broker is away: the sweep is the safety net.
                retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
            )
        except Exception:
            if deliver_notification.app.conf.task_always_eager:
                # In-process delivery already recorded its outcome on the row.
                log.exception("In-process delivery of notification %s failed", notification_id)
                continue
            log.exception(
                "Broker unreachable: %d notification(s) left to the sweep", len(ids) - done
            )
            Notification.objects.filter(pk__in=ids[done:], status=Status.PENDING).update(
                queued_at=None
            )
            return done
    return len(ids)


# --- Reminders ------------------------------------------------------------------------


def reminders_schedule(
    *,
    kind: str,
    about: models.Model,
    starts_at: datetime,
    recipient: User | None = None,
    email: str = "",
    name: str = "",
    language: str | None = None,
    context: dict | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """Write the reminders of one item for one person, in the caller's transaction.

    24 h before the start when the item is more than 24 h away; 2 h before for
    an item booked the same day (less than 24 h away, more than 2 h). Each is
    sent from its due time until the start, never after, and only if the member
    still wants that reminder when it goes out (Preference is read at sending
    time, so changing it applies to bookings already made). Idempotent: calling
    it twice for the same start writes nothing more.
    """
    now = now or timezone.now()
    lead = starts_at - now
    if lead > REMINDER_24H:
        before, preference, label = REMINDER_24H, "reminder_24h", "24h"
    elif lead > REMINDER_2H:
        before, preference, label = REMINDER_2H, "reminder_2h", "2h"
    else:
        return []  # the confirmation e-mail is the reminder
    reminder_context = {"starts_at": starts_at, **(context or {})}
    return [
        notification_enqueue(
            kind=kind,
            recipient=recipient,
            email=email,
            name=name,
            language=language,
            about=about,
            due_at=starts_at - before,
            not_after=starts_at,
            context=reminder_context,
            preference=preference,
            dedup_key=dedup_key_for(
                kind=kind,
                about=about,
                recipient=recipient,
                email=email,
                suffix=f"{label}:{starts_at.astimezone(UTC).isoformat()}",
            ),
        )
    ]


def reminders_reschedule(
    *,
    kind: str,
    about: models.Model,
    starts_at: datetime,
    recipient: User | None = None,
    email: str = "",
    name: str = "",
    language: str | None = None,
    context: dict | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """The item moved: drop its pending reminders of ``kind`` and write new ones.

    Same arguments as ``reminders_schedule``; call it in the transaction that moves
    the item. A reminder already sent for the old time stays in the history.
    """
    notifications_cancel_for(about=about, kinds=[kind])
    return reminders_schedule(
        kind=kind,
        about=about,
        starts_at=starts_at,
        recipient=recipient,
        email=email,
        name=name,
        language=language,
        context=context,
        now=now,
    )


def notifications_reschedule(
    *, about: models.Model, kind: str, due_at: datetime, not_after: datetime | None = None
) -> int:
    """Move the pending notifications of ``kind`` about ``about`` to ``due_at``.

    For single-row kinds; reminders whose dedup key holds the start time should use
    ``reminders_reschedule``. ``not_after`` replaces the old bound (None clears it).
    One UPDATE; returns how many rows moved.
    """
    ids = list(_about_pending(about=about, kinds=[kind]).values_list("pk", flat=True))
    now = timezone.now()
    due_now = due_at <= now
    moved = Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(
        due_at=due_at, not_after=not_after, queued_at=now if due_now else None
    )
    if due_now and ids:
        _dispatch_on_commit(ids)
    return moved


def notifications_cancel_for(*, about: models.Model, kinds: Iterable[str] | None = None) -> int:
    """Drop the pending notifications about ``about`` (of ``kinds``, or all).

    Call it in the transaction that cancels the item. Rows already being sent are
    not stopped. One UPDATE; returns how many rows were cancelled.
    """
    return _about_pending(about=about, kinds=kinds).update(status=Status.CANCELLED, last_error="")


def _about_pending(*, about: models.Model, kinds: Iterable[str] | None) -> QuerySet:
    qs = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(about),
        object_id=about.pk,
        status=Status.PENDING,
    )
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs


# --- The programme digest -------------------------------------------------------------


def programme_digest_enqueue(*, period: str, context: dict, due_at: datetime | None = None) -> int:
    """Write the monthly programme for every member who opted in (once per period).

    ``period`` is e.g. "2026-12"; sending the same period twice writes nothing new.
    Rows are bulk-inserted and handed to the worker by the sweep. Returns how many
    members are in the recipients' list.
    """
    due_at = due_at or timezone.now()
    count = 0
    batch: list[Notification] = []
    recipients = selectors.digest_recipients().only(
        "pk", "email", "language", "first_name", "last_name"
    )
    for member in recipients.iterator(chunk_size=_BATCH):
        batch.append(
            Notification(
                kind=Kind.PROGRAMME_DIGEST,
                recipient=member,
                recipient_email=member.email,
                recipient_name=member.get_full_name(),
                language=member.language,
                due_at=due_at,
                context=context,
                preference="programme_digest",
                dedup_key=dedup_key_for(
                    kind=Kind.PROGRAMME_DIGEST, recipient=member, suffix=period
                ),
            )
        )
        if len(batch) >= _BATCH:
            count += len(batch)
            Notification.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        count += len(batch)
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
    if count and due_at <= timezone.now():
        transaction.on_commit(_sweep_soon, robust=True)
    return count


def _sweep_soon() -> None:
    from .tasks import sweep_notifications

    try:
        sweep_notifications.delay()
    except Exception:
        log.exception("Broker unreachable: the programme digest waits for the periodic sweep")


# --- The sweep ------------------------------------------------------------------------


def notifications_due_sweep(*, now: datetime | None = None, limit: int = 50_000) -> list[int]:
    """Find what is due and mark it handed over; return the ids to deliver.

    In order: reminders whose item has started are marked expired (never sent
    late); rows stuck in "sending" longer than NOTIFICATION_SENDING_TIMEOUT (a
    worker died) go back to pending, or to failed after the last attempt; then
    pending rows due by ``now`` and not handed over in the last
    NOTIFICATION_REQUEUE_AFTER seconds are marked queued and returned, oldest
    first, at most ``limit``. Takes no row lock: two sweeps at once may return
    the same ids, and the claim in ``notification_deliver`` sends each once.
    """
    now = now or timezone.now()
    Notification.objects.filter(status=Status.PENDING, not_after__lte=now).update(
        status=Status.EXPIRED, last_error="Le rappel n'est pas parti avant le début."
    )
    stuck = Notification.objects.filter(
        status=Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT),
    )
    stuck.filter(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS).update(
        status=Status.FAILED, last_error="Envoi interrompu (worker arrêté) trop de fois."
    )
    stuck.update(status=Status.PENDING, claimed_at=None, queued_at=None)

    requeue_before = now - timedelta(seconds=settings.NOTIFICATION_REQUEUE_AFTER)
    ids = list(
        Notification.objects.filter(status=Status.PENDING, due_at__lte=now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=requeue_before))
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    for start in range(0, len(ids), _BATCH):
        Notification.objects.filter(pk__in=ids[start : start + _BATCH]).update(queued_at=now)
    return ids


# --- Delivery -------------------------------------------------------------------------


def notification_deliver(
    *, notification_id: int, now: datetime | None = None, connection=None
) -> str:
    """Send one notification, at most once.

    Claims the row with a conditional UPDATE (pending, due, not past
    ``not_after`` → sending, attempts + 1): a second worker or a retried task
    finds nothing to claim and returns "skipped". Sends outside any transaction,
    then marks it sent. On a mail-server error (RETRYABLE_ERRORS) the row goes
    back to pending with ``last_error`` and the error is re-raised so the task
    retries; after NOTIFICATION_MAX_ATTEMPTS it is marked failed and nothing is
    raised. Any other error (a template bug) marks it failed at once. Returns
    one of the DeliveryOutcome values.
    """
    from .emails import notification_message

    now = now or timezone.now()
    claimable = Notification.objects.filter(
        pk=notification_id, status=Status.PENDING, due_at__lte=now
    )
    claimed = claimable.filter(Q(not_after__isnull=True) | Q(not_after__gt=now)).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        expired = claimable.filter(not_after__lte=now).update(
            status=Status.EXPIRED, last_error="Le rappel n'est pas parti avant le début."
        )
        return DeliveryOutcome.EXPIRED if expired else DeliveryOutcome.SKIPPED

    # The preference comes with the row: one query less per e-mail.
    notification = Notification.objects.select_related(
        "recipient__notification_preference", "content_type"
    ).get(pk=notification_id)
    mine = Notification.objects.filter(pk=notification_id, status=Status.SENDING, claimed_at=now)

    recipient = notification.recipient
    if recipient is not None:
        if not recipient.is_active:
            mine.update(status=Status.CANCELLED, last_error="Compte désactivé.")
            return DeliveryOutcome.CANCELLED
        preference = notification.preference
        if preference and not getattr(selectors.preference_for(user=recipient), preference):
            mine.update(status=Status.CANCELLED, last_error="Désactivé par le membre.")
            return DeliveryOutcome.CANCELLED

    try:
        message = notification_message(notification=notification, connection=connection)
        message.send()
    except RETRYABLE_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            mine.update(status=Status.FAILED, last_error=error)
            log.error("Notification %s failed for good: %s", notification_id, error)
            return DeliveryOutcome.FAILED
        # queued_at=now: the task's own retry has it; the sweep waits before re-queueing.
        mine.update(
            status=Status.PENDING, last_error=error, claimed_at=None, queued_at=timezone.now()
        )
        raise
    except Exception as exc:
        log.exception("Notification %s cannot be rendered or sent", notification_id)
        mine.update(status=Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return DeliveryOutcome.FAILED

    # By primary key, not by claim: if the sweep took a very slow send for a dead one
    # meanwhile, still record that it went out so it is not sent again.
    Notification.objects.filter(pk=notification_id).update(
        status=Status.SENT, sent_at=timezone.now(), claimed_at=None
    )
    return DeliveryOutcome.SENT


def notifications_retry(*, notifications: QuerySet[Notification]) -> int:
    """Give failed notifications a fresh set of attempts and hand them over on commit.

    Only failed rows are touched (expired reminders stay expired: never late).
    The last error is kept until a send succeeds. Returns how many were retried.
    """
    now = timezone.now()
    ids = list(notifications.filter(status=Status.FAILED).values_list("pk", flat=True))
    retried = Notification.objects.filter(pk__in=ids, status=Status.FAILED).update(
        status=Status.PENDING,
        attempts=0,
        claimed_at=None,
        queued_at=now,
        due_at=Least(F("due_at"), now),
    )
    if ids:
        _dispatch_on_commit(ids)
    return retried


# --- Beat schedule ------------------------------------------------------------------

SWEEP_TASK = "notifications.tasks.sweep_notifications"


def notifications_schedule_ensure(*, every_minutes: int = 5):
    """Make sure beat runs the sweep; create it (every ``every_minutes``) if missing.

    An animator's changes to an existing entry (interval, enabled) are kept.
    Returns the PeriodicTask.
    """
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    task = PeriodicTask.objects.filter(task=SWEEP_TASK).first()
    if task is not None:
        return task
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=every_minutes, period=IntervalSchedule.MINUTES
    )
    return PeriodicTask.objects.create(
        name="Envoi des notifications dues", task=SWEEP_TASK, interval=interval
    )


# --- Preferences ----------------------------------------------------------------------


def preference_update(*, user: User, **fields: bool) -> Preference:
    """Save the member's choices (reminder_24h, reminder_2h, programme_digest)."""
    preference = selectors.preference_for(user=user)
    for name, value in fields.items():
        if name not in UNSUBSCRIBABLE:
            raise ValueError(f"Unknown preference {name!r}")
        setattr(preference, name, bool(value))
    preference.full_clean(exclude=["user"])
    preference.save()
    return preference


def unsubscribe_token(*, user: User, preference: str) -> str:
    """A signed token that switches ``preference`` off for ``user`` from an e-mail link."""
    if preference not in UNSUBSCRIBABLE:
        raise ValueError(f"Unknown preference {preference!r}")
    return signing.dumps({"u": user.pk, "p": preference}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(*, token: str) -> tuple[User, str]:
    """The member and preference a token names. Raises signing.BadSignature or
    User.DoesNotExist for a forged, mangled or stale token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if data.get("p") not in UNSUBSCRIBABLE:
        raise signing.BadSignature("unknown preference")
    return User.objects.get(pk=data["u"], is_active=True), data["p"]


@transaction.atomic
def preference_unsubscribe(*, token: str) -> Preference:
    """Switch off the preference a signed e-mail link names (one-click unsubscribe).

    Raises signing.BadSignature or User.DoesNotExist for a bad token.
    """
    user, preference = unsubscribe_token_read(token=token)
    return preference_update(user=user, **{preference: False})
