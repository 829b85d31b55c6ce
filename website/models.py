from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingFragmentBump(models.Model):
    """A fragment-version bump the cache did not take (it was down): kept here, where an
    outage of the cache cannot lose it, and retried by beat until it succeeds
    (website/fragments.py), so readers do not see the old navigation for FRAGMENT_TIMEOUT."""

    requested_at = models.DateTimeField(_("requested"), default=timezone.now)

    class Meta:
        verbose_name = _("pending fragment refresh")
        verbose_name_plural = _("pending fragment refreshes")
