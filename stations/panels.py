"""A read-only panel on the article edit view: its deliveries per station and version."""

from wagtail.admin.panels import Panel

from .admin_views import article_deliveries


class DeliveriesPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "stations/admin/deliveries_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["deliveries"] = article_deliveries(self.instance)
            context["distributed"] = (
                context["deliveries"][0].article if context["deliveries"] else None
            )
            return context
