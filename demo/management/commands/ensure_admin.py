import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from cms.newsroom import CHIEF_EDITORS

CREDENTIALS_FILE = "admin-login.txt"


class Command(BaseCommand):
    help = (
        "Create the demo administrator once and print the admin URL and login. The password "
        "comes from ADMIN_PASSWORD or is generated and kept in var/admin-login.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))

    def handle(self, *args, username, **options):
        credentials = settings.VAR_DIR / CREDENTIALS_FILE
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            user = user_model.objects.create_superuser(username, password=password)
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(f"{username}\n{password}\n", encoding="utf-8")
            credentials.chmod(0o600)
        else:
            password = self._remembered_password(credentials, username)
        chief = Group.objects.filter(name=CHIEF_EDITORS).first()
        if chief:
            user.groups.add(chief)
        admin_url = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/"
        self.stdout.write(self.style.SUCCESS(f"Admin: {admin_url}"))
        self.stdout.write(self.style.SUCCESS(f"Login: {username} / {password}"))

    def _remembered_password(self, credentials, username):
        if credentials.exists():
            lines = credentials.read_text(encoding="utf-8").splitlines()
            if len(lines) >= 2 and lines[0] == username:
                return lines[1]
        return "(unchanged; set it with `manage.py changepassword`)"
