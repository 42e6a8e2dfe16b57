"""Create the demo log-ins for development: never available under production settings."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# (username, password, group or None for a superuser, description)
DEMO_USERS = [
    ("admin", "smop-admin-demo", None, "Administrator (superuser)"),
    ("editor", "smop-editor-demo", "Communications", "Communications editor"),
    ("reviewer", "smop-reviewer-demo", "Reviewers", "Reviewer"),
]


class Command(BaseCommand):
    help = "Create demo users (administrator, Communications editor, Reviewer) for development."

    def handle(self, *args, **options):
        if not getattr(settings, "SMOP_DEMO_USERS_ALLOWED", False):
            raise CommandError(
                "Demo users are disabled by these settings (SMOP_DEMO_USERS_ALLOWED is off). "
                "They exist for development only."
            )
        for username, password, group_name, description in DEMO_USERS:
            if get_user_model().objects.filter(username=username).exists():
                # An existing account is left exactly as it is: its password may have
                # changed, and it may be a real account that happens to share the name.
                self.stdout.write(f"Kept existing user '{username}' ({description}).")
                continue
            self.create_user(username, password, group_name)
            self.stdout.write(f"Created {description}: {username} / {password}")

    def create_user(self, username, password, group_name):
        user = get_user_model().objects.create_user(
            username=username,
            password=password,
            email=f"{username}@example.org",
            first_name=username.capitalize(),
            last_name="Demo",
            is_staff=True,
            is_superuser=group_name is None,
        )
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
