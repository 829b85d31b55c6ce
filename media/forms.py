"""The admin's image and video/audio forms (WAGTAILIMAGES_IMAGE_FORM_BASE and
WAGTAILMEDIA["MEDIA_FORM_BASE"]): Wagtail's and wagtailmedia's, with safe uploads."""

from wagtail.images.forms import BaseImageForm

from wagtailmedia.forms import BaseMediaForm

from .av_uploads import check_media_file, sanitised_subtitles
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


class NewsMediaForm(BaseMediaForm):
    """A video's thumbnail goes through the photo checks and clean-up (size and pixel limits,
    GPS and serial numbers stripped); the file is checked by content and size; subtitles
    are parsed and rewritten as plain WebVTT."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "thumbnail" in self.fields:
            field = self.fields["thumbnail"]
            self.fields["thumbnail"] = SafeImageField(
                label=field.label, required=False, widget=field.widget, help_text=field.help_text
            )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "content_type"):  # a new upload, not the stored file
            check_media_file(uploaded, self.instance.type)
        return uploaded

    def clean_subtitles(self):
        uploaded = self.cleaned_data.get("subtitles")
        if uploaded and hasattr(uploaded, "content_type"):
            return sanitised_subtitles(uploaded)
        return uploaded
