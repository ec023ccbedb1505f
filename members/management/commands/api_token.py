from django.core.management.base import BaseCommand, CommandError

from members.models import User
from members.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a member and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="manage.py")

    def handle(self, *args, email, name, **options):
        member = User.objects.filter(email__iexact=email.strip()).first()
        if member is None:
            raise CommandError(f"No member with the e-mail {email}.")
        _token, key = api_token_create(member=member, name=name)
        self.stdout.write(key)
