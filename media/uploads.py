"""Safe photo uploads: refuse what would hurt the server or mislead readers, and clean the
rest before it is stored.

Wagtail's WagtailImageField already checks the size limit, the pixel limit (from the
header), the extension and that the extension matches the content. We add what it does
not do: a clear message for decompression bombs (Pillow refuses them while opening, which
Wagtail reports as "not an image"), a full decode that catches truncated files, and a
clean-up of what is stored: GPS and camera serial numbers removed (our correspondents'
safety), orientation applied to the pixels, colour profile converted to sRGB.
"""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import WagtailImageField

import willow
from PIL import Image, ImageCms, ImageOps

# EXIF tags a published photo may keep (everything else, GPS and serials included, goes):
# a whitelist, so a camera maker's new private tag cannot leak a location or a serial.
KEPT_EXIF_TAGS = {
    0x010E: "ImageDescription",
    0x010F: "Make",
    0x0110: "Model",
    0x0132: "DateTime",
    0x013B: "Artist",
    0x8298: "Copyright",
}
EXIF_IFD = 0x8769
KEPT_EXIF_IFD_TAGS = {
    0x9003: "DateTimeOriginal",
    0x829A: "ExposureTime",
    0x829D: "FNumber",
    0x8827: "ISOSpeedRatings",
    0x920A: "FocalLength",
}
# Formats we re-encode when they need cleaning; others (GIF, SVG) are stored as uploaded.
REENCODED_FORMATS = {"JPEG", "PNG", "WEBP", "AVIF", "TIFF"}
JPEG_QUALITY = 92
_SRGB = ImageCms.createProfile("sRGB")


def max_image_pixels():
    return getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000)


def check_not_a_bomb(data):
    """Refuse images whose header promises more pixels than the limit, before decoding."""
    limit = max_image_pixels()
    previous = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = limit
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(data) as image:
                pixels = image.width * image.height
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _(
                "This image has too many pixels to process safely (limit: %(limit)s pixels); "
                "it may be a decompression bomb."
            ),
            code="decompression_bomb",
            params={"limit": f"{limit:,}"},
        ) from exc
    except (OSError, SyntaxError, ValueError):
        return  # not an image Pillow reads: Wagtail's own check explains that
    finally:
        Image.MAX_IMAGE_PIXELS = previous
        data.seek(0)
    return pixels


def open_copy(data):
    """Pillow closes the file it decoded from; the upload must stay open for Wagtail."""
    data.seek(0)
    content = data.read()
    data.seek(0)
    return Image.open(io.BytesIO(content))


def check_complete(data):
    """Decode every pixel: a truncated upload fails here rather than in a rendition later."""
    try:
        image = open_copy(data)
    except (OSError, SyntaxError, ValueError):
        data.seek(0)
        return  # not an image Pillow reads: Wagtail's own check explains that
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _(
                "The image file is incomplete or damaged (was the upload cut short?). "
                "Please upload it again."
            ),
            code="truncated_image",
        ) from exc
    finally:
        image.close()
        data.seek(0)


def kept_exif(image):
    source = image.getexif()
    exif = Image.Exif()
    for tag in KEPT_EXIF_TAGS:
        if tag in source:
            exif[tag] = source[tag]
    source_ifd = source.get_ifd(EXIF_IFD)
    kept_ifd = {tag: source_ifd[tag] for tag in KEPT_EXIF_IFD_TAGS if tag in source_ifd}
    if kept_ifd:
        exif.get_ifd(EXIF_IFD).update(kept_ifd)
    return exif


def is_srgb(profile_bytes):
    if not profile_bytes:
        return True
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes))
        return "srgb" in ImageCms.getProfileDescription(profile).lower()
    except (OSError, ImageCms.PyCMSError):
        return False  # unreadable: cleaning drops it, and the pixels are read as sRGB


def needs_cleaning(image):
    return bool(
        image.getexif()
        or image.info.get("xmp")
        or image.info.get("XML:com.adobe.xmp")
        or not is_srgb(image.info.get("icc_profile"))
        or image.mode == "CMYK"
    )


def to_srgb(image):
    profile_bytes = image.info.get("icc_profile")
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
    if profile_bytes and not is_srgb(profile_bytes):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes))
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
        except (OSError, ImageCms.PyCMSError):
            pass  # a profile that does not fit the pixels is dropped; they are read as sRGB
    if image.mode == "CMYK":
        return image.convert("RGB")
    return image


def sanitise_image(data):
    """The cleaned bytes of an uploaded photo, or None when it is already clean."""
    with open_copy(data) as image:
        image_format = image.format
        if image_format not in REENCODED_FORMATS or not needs_cleaning(image):
            data.seek(0)
            return None
        exif = kept_exif(image)
        cleaned = to_srgb(ImageOps.exif_transpose(image))
        cleaned.info.pop("icc_profile", None)
    output = io.BytesIO()
    options = {"exif": exif.tobytes()}
    if image_format == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
        if cleaned.mode not in ("RGB", "L"):
            cleaned = cleaned.convert("RGB")
    cleaned.save(output, format=image_format, **options)
    data.seek(0)
    return output.getvalue()


class SafeImageField(WagtailImageField):
    """Wagtail's image field plus bomb/truncation checks and the metadata clean-up."""

    def to_python(self, data):
        raw = self._readable(data)
        if raw is not None:
            # Cheapest first: size, then the header's pixel count, then a full decode.
            self.check_image_file_size(raw)
            check_not_a_bomb(raw)
            check_complete(raw)
        f = super().to_python(data)
        if f is None:
            return None
        cleaned = sanitise_image(f)
        if cleaned is None:
            return f
        clean_file = SimpleUploadedFile(f.name, cleaned, content_type=f.content_type)
        clean_file.image = willow.Image.open(io.BytesIO(cleaned))
        return clean_file

    @staticmethod
    def _readable(data):
        if data is None or not hasattr(data, "read"):
            return None
        data.seek(0)
        return data
