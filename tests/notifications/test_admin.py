import pytest
from django.urls import reverse

from members.services import animator_make
from notifications import services
from notifications.models import Notification
from tests.factories import PASSWORD, MemberFactory

Status = Notification.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = MemberFactory(is_staff=True, is_superuser=True)
    client.login(email=admin.email, password=PASSWORD)
    return client


@pytest.fixture
def failed(member):
    notification = services.notification_enqueue(
        kind=Notification.Kind.MESSAGE, recipient=member, context={"subject": "s", "body": "b"}
    )
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.FAILED, last_error="SMTPResponseException: (554, 'refusé')", attempts=5
    )
    return notification


def test_the_outbox_lists_failures_with_their_error(admin_client, failed):
    url = reverse("admin:notifications_notification_changelist")

    response = admin_client.get(url, {"status__exact": "failed"})

    assert response.status_code == 200
    assert "554" in response.content.decode()


def test_the_retry_action_puts_a_failed_notification_back_in_the_queue(
    admin_client, failed, django_capture_on_commit_callbacks
):
    url = reverse("admin:notifications_notification_changelist")

    with django_capture_on_commit_callbacks(execute=False):
        response = admin_client.post(
            url, {"action": "retry", "_selected_action": [failed.pk]}, follow=True
        )

    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == Status.PENDING
    assert failed.attempts == 0


def test_the_preferences_are_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:notifications_preference_changelist"))

    assert response.status_code == 200


def test_an_animator_sees_the_outbox_and_the_sweep_schedule(client, failed):
    animator = MemberFactory()
    animator_make(email=animator.email)
    client.login(email=animator.email, password=PASSWORD)

    outbox = client.get(reverse("admin:notifications_notification_changelist"))
    schedule = client.get(reverse("admin:django_celery_beat_periodictask_changelist"))

    assert outbox.status_code == 200
    assert "554" in outbox.content.decode()
    assert schedule.status_code == 200
