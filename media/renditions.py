"""The site's rendition sets: one place that says which sizes and formats a photo gets.

Each set is a Wagtail filter spec with brace-expanded sizes and the `sizes` attribute that
goes with them. Every set is produced in AVIF (when this Pillow can encode it), WebP and
JPEG; browsers take the first <source> type they support and fall back to the JPEG <img>.
`fill-` crops around the editor's focal point (Wagtail's behaviour), `width-` never crops.
"""

import copy
import io
import math
from dataclasses import dataclass

from wagtail.images.models import Filter

from PIL import Image, ImageOps, features
from willow.image import AvifImageFile
from willow.plugins.pillow import PillowImage
from willow.registry import registry


@dataclass(frozen=True)
class RenditionSet:
    spec: str
    sizes: str


RENDITION_SETS = {
    # Pictures in an article's body: the column is at most 800 CSS pixels wide.
    "article": RenditionSet("width-{480,800,1200,1600}", "(max-width: 860px) 100vw, 800px"),
    # The article's cover, 16:9 around the focal point.
    "cover": RenditionSet("fill-{640x360,960x540,1440x810}", "(max-width: 1000px) 100vw, 960px"),
    # Photos in a gallery grid or carousel, 4:3 around the focal point.
    "gallery": RenditionSet("fill-{400x300,800x600,1200x900}", "(max-width: 700px) 100vw, 400px"),
    # Article cards on home/channel/topic pages.
    "card": RenditionSet("fill-{320x180,640x360}", "(max-width: 700px) 100vw, 320px"),
}


def output_formats():
    formats = ["webp", "jpeg"]
    if features.check("avif"):
        formats.insert(0, "avif")
    return formats


def filter_specs(set_name):
    """Every Wagtail filter spec of a set, one per (size, format)."""
    formats = ",".join(output_formats())
    return Filter.expand_spec(f"{RENDITION_SETS[set_name].spec}|format-{{{formats}}}")


def all_filter_specs():
    return [spec for name in RENDITION_SETS for spec in filter_specs(name)]


# --- Producing a set quickly -----------------------------------------------------------
# Wagtail's create_renditions decodes the full original once per rendition (a 24 MP JPEG:
# ~70 MB of pixels and ~0.3 s each, times 3 threads, times every size and format). No
# library does "decode once, at the scale the set needs", so we do it here: the original
# is decoded once — JPEGs straight at 1/2, 1/4 or 1/8 scale by Pillow's DCT scaling — and
# every rendition of the set is cut from that smaller, lossless copy, with the focal point
# scaled to match. Used only when every filter names its output format (a lossless BMP
# source must never leak into a rendition as its "original format").
AVIF_SPEED = 8  # libavif 0–10; Pillow's default 6 is much slower for slightly smaller files
FAST_MODES = ("RGB", "L")


def needed_scale(image, filters):
    """The smallest fraction of the original that still gives every filter full detail."""
    scale = 0.0
    for image_filter in filters:
        transform = image_filter.get_transform(image)
        rect = transform.get_rect()
        width, height = transform.size
        scale = max(scale, width / max(rect.width, 1), height / max(rect.height, 1))
    return min(scale, 1.0)


def all_have_output_format(filters):
    return all("format-" in image_filter.spec for image_filter in filters)


def reduced_source(data, scale):
    """(BMP bytes, size) of the upright original at no less than `scale`, else None."""
    with Image.open(io.BytesIO(data)) as original:
        target = (math.ceil(original.width * scale), math.ceil(original.height * scale))
        if original.format == "JPEG":
            original.draft("RGB", target)  # decode at the largest DCT scale ≥ target
        upright = ImageOps.exif_transpose(original)
        if upright.mode not in FAST_MODES:
            return None
        if upright.width > target[0] * 1.05:
            # One high-quality resample to exactly what the largest rendition needs: every
            # rendition then decodes and resizes a few megapixels instead of tens.
            upright = upright.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        output = io.BytesIO()
        upright.save(output, format="BMP")
        return output.getvalue(), upright.size


def scaled_copy(image, size):
    """An unsaved copy of `image` whose size and focal point match a reduced source."""
    proxy = copy.copy(image)
    x_ratio, y_ratio = size[0] / image.width, size[1] / image.height
    proxy.width, proxy.height = size
    if image.has_focal_point():
        proxy.focal_point_x = round(image.focal_point_x * x_ratio)
        proxy.focal_point_y = round(image.focal_point_y * y_ratio)
        proxy.focal_point_width = max(1, round(image.focal_point_width * x_ratio))
        proxy.focal_point_height = max(1, round(image.focal_point_height * y_ratio))
    return proxy


def save_as_avif(image, f, quality=80, lossless=False, apply_optimizers=True):
    """Willow's AVIF save with an encoder speed that suits a newsroom's upload volume."""
    options = {"quality": 100, "subsampling": "4:4:4"} if lossless else {"quality": quality}
    image.image.save(f, "AVIF", speed=AVIF_SPEED, **options)
    return AvifImageFile(f)


def register_fast_avif():
    registry.register_operation(PillowImage, "save_as_avif", save_as_avif)
