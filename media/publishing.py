"""Alt text is required before an article that uses a photo is published.

Two layers, because Wagtail publishes from several places:

- the article's admin form refuses the editor's Publish, Approve and Submit buttons with a
  form error naming each photo, so nothing the editor typed is lost;
- a `refuse_publishing` rule of cms (cms/publishing.py: MissingAltTextError, built on
  images_missing_alt_text here) refuses every other path (approving from the dashboard or
  the workflow views, the listing's bulk Publish, scheduled go-live, anything calling
  `revision.publish()`), before anything is written.
"""

from collections.abc import Iterable, Iterator, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamValue

from .models import NewsImage

PUBLISHING_ACTIONS = ("action-publish", "action-submit")


def image_usages(
    cover_image: NewsImage | None, body: StreamValue | None
) -> Iterator[tuple[NewsImage, str]]:
    """(image, alt text given in the article) for the cover and every body picture."""
    if cover_image is not None:
        yield cover_image, ""
    for block in body or []:
        if block.block_type == "image":
            items = [block.value]
        elif block.block_type == "gallery":
            items = block.value["images"]
        else:
            continue
        for item in items:
            if item.get("image") is not None:
                yield item["image"], item.get("alt_text") or ""


def images_missing_alt_text(
    cover_image: NewsImage | None, body: StreamValue | None
) -> list[NewsImage]:
    missing = {}
    for image, article_alt in image_usages(cover_image, body):
        if not (article_alt.strip() or image.alt_text.strip()):
            missing[image.pk] = image
    return list(missing.values())


def image_titles(titles: Iterable[str]) -> str:
    """“a”、“b” — how the newsroom lists titles in a sentence, in every language."""
    return "、".join(f"“{title}”" for title in titles)


def is_publishing(data: Mapping[str, object]) -> bool:
    if any(action in data for action in PUBLISHING_ACTIONS):
        return True
    return "action-workflow-action" in data and data.get("workflow-action-name") == "approve"


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        if is_publishing(self.data):
            missing = images_missing_alt_text(
                cleaned_data.get("cover_image"), cleaned_data.get("body")
            )
            if missing:
                raise ValidationError(
                    _(
                        "Add alt text to these images before publishing (in Images, or in the "
                        "article's image block): %(titles)s"
                    ),
                    code="missing_alt_text",
                    params={"titles": image_titles(image.title for image in missing)},
                )
        return cleaned_data
