from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The newsroom's user. Custom from the first migration so fields can be added later."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username
