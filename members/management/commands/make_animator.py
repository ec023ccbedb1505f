from django.core.management.base import BaseCommand, CommandError

from members.models import User
from members.services import animator_make


class Command(BaseCommand):
    help = "Give a member the animators' rights (admin access, not superuser)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            member = animator_make(email=email)
        except User.DoesNotExist:
            raise CommandError(f"No member with the e-mail {email}.") from None
        self.stdout.write(self.style.SUCCESS(f"{member.email} is now an animator."))
