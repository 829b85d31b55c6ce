"""The admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): Wagtail's, with safe uploads."""

from wagtail.images.forms import BaseImageForm

from .uploads import SafeImageField


class NewsImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            # Built per form, so the size and pixel limits follow the settings of the moment.
            wagtail_field = self.fields["file"]
            self.fields["file"] = SafeImageField(
                label=wagtail_field.label,
                required=wagtail_field.required,
                widget=wagtail_field.widget,
                help_text=wagtail_field.help_text,
            )

    class Meta(BaseImageForm.Meta):
        pass
