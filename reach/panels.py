"""The reach panel on every article's edit view (registered on cms's article panel hook)."""

from wagtail.admin.panels import Panel

from .admin_views import language_name
from .models import StationReport
from .queries import article_reach


class ReachPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "reach/admin/reach_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            if self.instance.pk:
                reach = article_reach(self.instance)
                for row in reach["languages"]:
                    row["label"] = language_name(row["language"])
                labels = dict(StationReport.Channel.choices)
                for row in reach["reported"]:
                    row["label"] = labels.get(row["channel"], row["channel"])
                for row in reach["countries"]:
                    row["label"] = reach["country_names"].get(row["value"]) or row["value"]
                context["reach"] = reach
            return context
