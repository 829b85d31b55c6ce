"""Panels that other apps add to the article editor, so cms imports none of them.

An app registers a function that returns a Panel (stations: the deliveries; translations:
the translation status):

    @hooks.register(ARTICLE_PANEL_HOOK, order=10)
    def deliveries_panel():
        return DeliveriesPanel(heading=_("Deliveries to liaison stations"))

The article's content tab shows them after its own fields, in hook order. They are asked
for when Wagtail builds the edit form (the first time an editor opens one), by then every
app's wagtail_hooks has registered.
"""

from wagtail import hooks
from wagtail.admin.panels import ObjectList

ARTICLE_PANEL_HOOK = "register_article_panel"


class RegisteredPanels(ObjectList):
    """The panels registered with `hook_name`, shown one after the other."""

    def __init__(self, hook_name: str, *args, **kwargs):
        self.hook_name = hook_name
        super().__init__(*args, **kwargs)

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "hook_name": self.hook_name}

    def on_model_bound(self):
        self.children = [make_panel() for make_panel in hooks.get_hooks(self.hook_name)]
        super().on_model_bound()
