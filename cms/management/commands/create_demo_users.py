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
            created = self.ensure_user(username, password, group_name)
            verb = "Created" if created else "Kept"
            self.stdout.write(f"{verb} {description}: {username} / {password}")

    def ensure_user(self, username, password, group_name):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.org",
                "first_name": username.capitalize(),
                "last_name": "Demo",
            },
        )
        if created:
            user.set_password(password)
        user.is_staff = True
        user.is_superuser = group_name is None
        user.save()
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        return created
