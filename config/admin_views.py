"""What every admin page of ours shares."""

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class AdminPageMixin(WagtailAdminTemplateMixin):
    """An admin page whose header names it: Wagtail's header shows the breadcrumbs, and its
    base list holds only 首页, so a page of ours would otherwise be titled "首页"."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]
