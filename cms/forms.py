"""The page editor's forms: the slug is filled from the title when the editor leaves it
empty, so the first save of a Chinese article does not fail on the Promote tab's field; and
the error banner names the tab of every field that needs a correction (Wagtail's banner
names neither, and marks the tabs only with a count)."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminPageForm

from media.publishing import ArticlePageForm

from .slugs import available_slug, pinyin_slug


class PinyinSlugMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = gettext_lazy(
                "The last part of the page's address. Left empty, it is made from the title "
                "in pinyin; you can change it."
            )

    def clean(self):
        data = self.cleaned_data
        if "slug" in self.fields and not data.get("slug") and data.get("title"):
            slug = pinyin_slug(data["title"])
            if slug and self.parent_page is not None:
                page = self.instance if self.instance.pk else None
                data["slug"] = available_slug(self.parent_page, slug, page)
        return super().clean()


def field_tabs(model):
    """{form field or formset name: the heading of the editor tab it is on}."""
    tabs = {}
    for tab in model.get_edit_handler().children:
        options = tab.get_form_options()
        for name in [*options.get("fields", []), *options.get("formsets", [])]:
            tabs[name] = str(tab.heading)
    return tabs


class TabNamingMixin:
    """Wagtail's banner lists the form's errors field by field once the form has errors of
    its own: one per tab, naming its fields, makes it say where each correction is."""

    def full_clean(self):
        super().full_clean()
        if not self._errors:
            return
        tabs = field_tabs(self._meta.model)
        fields_by_tab = {}
        for name in self._errors:
            if name != NON_FIELD_ERRORS and name in self.fields:
                label = str(self[name].label)
                fields_by_tab.setdefault(tabs.get(name, ""), []).append(label)
        for tab, labels in fields_by_tab.items():
            if tab:
                message = _("On the “%(tab)s” tab: %(fields)s") % {
                    "tab": tab,
                    "fields": "、".join(f"“{label}”" for label in labels),
                }
                self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
                self._errors[NON_FIELD_ERRORS].append(message)


class NewsroomPageForm(TabNamingMixin, PinyinSlugMixin, WagtailAdminPageForm):
    pass


class ArticleEditorForm(TabNamingMixin, PinyinSlugMixin, ArticlePageForm):
    """The article's form: pinyin slug, and alt text required before publishing."""
