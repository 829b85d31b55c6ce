"""The page editor's forms: the slug is filled from the title when the editor leaves it
empty, so the first save of a Chinese article does not fail on the Promote tab's field; and
the error banner names the tab of every field that needs a correction (Wagtail's banner
names neither, and marks the tabs only with a count)."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel
from wagtail.models import Locale

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


# StreamBlockValidationError's message, a literal in Wagtail (no gettext).
WAGTAIL_STREAM_ERROR = "Validation error in StreamBlock"


def field_tabs(model):
    """{form field or formset name: the heading of the editor tab it is on}."""
    tabs = {}
    for tab in model.get_edit_handler().children:
        options = tab.get_form_options()
        for name in [*options.get("fields", []), *options.get("formsets", [])]:
            tabs[name] = str(tab.heading)
    return tabs


def inline_panel_labels(panel, labels=None):
    """{relation name: label} of the inline panels (bylines, corrections…) under `panel`."""
    labels = {} if labels is None else labels
    if isinstance(panel, InlinePanel):
        labels[panel.relation_name] = str(panel.label or panel.heading)
    for child in getattr(panel, "children", []):
        inline_panel_labels(child, labels)
    return labels


def quoted(labels):
    return "、".join(f"“{label}”" for label in labels)


class TabNamingMixin:
    """Wagtail's banner lists the form's errors field by field once the form has errors of
    its own: one per tab, naming its fields, makes it say where each correction is. Errors
    inside a StreamField name the block (its number and kind, and its sub-fields) and
    errors in an inline panel (a byline, a correction) name the panel, the row and the
    field, which Wagtail's banner leaves out altogether."""

    def full_clean(self):
        super().full_clean()
        if not self._errors:
            return
        places = []
        for name in self._errors:
            if name != NON_FIELD_ERRORS and name in self.fields:
                places.append((name, self._field_place(name)))
        self._name_places(places)

    def is_valid(self):
        valid = super().is_valid()
        places = [
            (name, place)
            for name, formset in getattr(self, "formsets", {}).items()
            for place in self._formset_places(name, formset)
        ]
        self._name_places(places)
        return valid and not places

    def _field_place(self, name):
        label = str(self[name].label)
        error = self._errors[name].as_data()[0] if self._errors[name].as_data() else None
        details = self._stream_block_details(name, error)
        if details and error.message == WAGTAIL_STREAM_ERROR:
            # Wagtail's own message is not translatable; the blocks keep their marks.
            error.message = _("Some blocks need a correction: they are marked below.")
        if not details:
            return f"“{label}”"
        return _("“%(field)s” (%(blocks)s)") % {"field": label, "blocks": " / ".join(details)}

    def _stream_block_details(self, name, error):
        """ "block 2 (Photo): “Image”" for each StreamField block that has an error."""
        block_errors = getattr(error, "block_errors", None)
        if not block_errors:
            return []
        field = self.fields[name]
        stream = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        details = []
        for index, block_error in sorted(block_errors.items()):
            if index >= len(stream):
                continue
            block = stream[index].block
            inner = getattr(block_error, "block_errors", None) or {}
            children = getattr(block, "child_blocks", {})
            sub_fields = [str(children[key].label) for key in inner if key in children]
            place = {"number": index + 1, "block": block.label, "fields": quoted(sub_fields)}
            if sub_fields:
                details.append(_("block %(number)d, %(block)s: %(fields)s") % place)
            else:
                details.append(_("block %(number)d, %(block)s") % place)
        return details

    def _formset_places(self, name, formset):
        panel = inline_panel_labels(self._meta.model.get_edit_handler()).get(name, name)
        if formset.non_form_errors():
            yield f"“{panel}”"
        for row, form in enumerate(formset.forms, start=1):
            if formset.can_delete and formset._should_delete_form(form):
                continue
            labels = [str(form[field].label) for field in form.errors if field in form.fields]
            if labels:
                yield _("“%(panel)s”, row %(row)d: %(fields)s") % {
                    "panel": panel,
                    "row": row,
                    "fields": quoted(labels),
                }

    def _name_places(self, places):
        """One message per tab: ‘On the “Content” tab: “Title”, “Body” (block 2…)’."""
        if not places:
            return
        tabs = field_tabs(self._meta.model)
        by_tab = {}
        for name, place in places:
            by_tab.setdefault(tabs.get(name, ""), []).append(place)
        for tab, named in by_tab.items():
            if tab:
                message = _("On the “%(tab)s” tab: %(fields)s") % {
                    "tab": tab,
                    "fields": "、".join(named),
                }
                self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
                if message not in self._errors[NON_FIELD_ERRORS]:
                    self._errors[NON_FIELD_ERRORS].append(message)


class NewsroomPageForm(TabNamingMixin, PinyinSlugMixin, WagtailAdminPageForm):
    pass


def offer_default_language_choices(form, *field_names):
    """Narrow the choices of translatable rows (countries, channels, topics) to the
    newsroom's default language, plus what the object already has. Matching and display go
    by translation key and the reader's language, so the other versions only repeated each
    choice: the list held 意大利, 意大利 (zh-hant) and Italy."""
    for name in field_names:
        field = form.fields.get(name)
        if field is not None:
            chosen = chosen_pks(form.instance, name)
            field.queryset = field.queryset.filter(
                Q(locale=Locale.get_default()) | Q(pk__in=chosen)
            )


def chosen_pks(instance, name):
    """The primary keys `instance` holds in its relation `name` (FK or many-to-many)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return [related.pk for related in getattr(instance, name).all()] if instance.pk else []
    value = getattr(instance, field.attname)
    return [] if value is None else [value]


class CountryChoicesMixin:
    """Each country offered once (offer_default_language_choices)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_default_language_choices(self, "countries")


class ArticleEditorForm(CountryChoicesMixin, TabNamingMixin, PinyinSlugMixin, ArticlePageForm):
    """The article's form: pinyin slug, one choice per country, and alt text required
    before publishing."""
