"""The site's rendition sets: one place that says which sizes and formats a photo gets.

Each set is a Wagtail filter spec with brace-expanded sizes and the `sizes` attribute that
goes with them. Every set is produced in AVIF (when this Pillow can encode it), WebP and
JPEG; browsers take the first <source> type they support and fall back to the JPEG <img>.
`fill-` crops around the editor's focal point (Wagtail's behaviour), `width-` never crops.
"""

from dataclasses import dataclass

from wagtail.images.models import Filter

from PIL import features


@dataclass(frozen=True)
class RenditionSet:
    spec: str
    sizes: str


RENDITION_SETS = {
    # Pictures in an article's body: the column is at most 800 CSS pixels wide.
    "article": RenditionSet("width-{480,800,1200}", "(max-width: 860px) 100vw, 800px"),
    # The article's cover, 16:9 around the focal point.
    "cover": RenditionSet(
        "fill-{640x360,960x540,1440x810}-c80", "(max-width: 1000px) 100vw, 960px"
    ),
    # Photos in a gallery grid or carousel, 4:3 around the focal point.
    "gallery": RenditionSet(
        "fill-{400x300,800x600,1200x900}-c80", "(max-width: 700px) 100vw, 400px"
    ),
    # Article cards on home/channel/topic pages.
    "card": RenditionSet("fill-{320x180,640x360}-c80", "(max-width: 600px) 100vw, 320px"),
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
