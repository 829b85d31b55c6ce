from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedArticle(models.Model):
    """Which version of an archive article `import_articles` last applied, by its uri.

    The archive's own version numbers differ from ours (the push side counts our publishes),
    so the importer keeps them here to tell a newer version (a correction) from a re-import.
    """

    uri = models.CharField(_("URI"), max_length=255, unique=True)
    version = models.CharField(_("archive version"), max_length=50, blank=True)
    versioncreated = models.DateTimeField(_("archive version created"), null=True, blank=True)
    pubstatus = models.CharField(_("publication status"), max_length=20, default="usable")
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported article")
        verbose_name_plural = _("imported articles")

    def __str__(self):
        return f"{self.uri} v{self.version}"
