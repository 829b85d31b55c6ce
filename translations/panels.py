"""A read-only panel on the article editor: the article's translation status per language."""

from wagtail.admin.panels import Panel

from .status import page_status
from .views import article_languages


class TranslationStatusPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "translations/admin/status_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk and self.instance.first_published_at)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            row = page_status(self.instance)
            context.update(
                article=row.article, row=row, languages=article_languages(row.article, row)
            )
            return context
