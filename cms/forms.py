"""The page editor's forms: the slug is filled from the title when the editor leaves it
empty, so the first save of a Chinese article does not fail on the Promote tab's field."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from media.publishing import ArticlePageForm

from .slugs import available_slug, pinyin_slug


class PinyinSlugMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
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


class NewsroomPageForm(PinyinSlugMixin, WagtailAdminPageForm):
    pass


class ArticleEditorForm(PinyinSlugMixin, ArticlePageForm):
    """The article's form: pinyin slug, and alt text required before publishing."""
