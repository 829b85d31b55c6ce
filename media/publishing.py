"""Alt text is required before an article that uses a photo is published.

Two layers, because Wagtail publishes from several places:

- the article's admin form refuses the editor's Publish, Approve and Submit buttons with a
  form error naming each photo, so nothing the editor typed is lost;
- the article's publish action refuses every other path (approving from the dashboard or
  the workflow views, the listing's bulk Publish, scheduled go-live, anything calling
  `revision.publish()`) with `MissingAltTextError`, raised before anything is written.
  `RefusedPublishingMiddleware` turns it into a message in the admin; the scheduled-
  publishing task keeps the page scheduled and records the refusal in its history.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

logger = logging.getLogger(__name__)

PUBLISHING_ACTIONS = ("action-publish", "action-submit")
# The page-history entry left when scheduled publishing is refused (media/wagtail_hooks.py).
SCHEDULE_REFUSED_ACTION = "qiaoyin.publish.scheduled.refused"


def image_usages(cover_image, body):
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


def images_missing_alt_text(cover_image, body):
    missing = {}
    for image, article_alt in image_usages(cover_image, body):
        if not (article_alt.strip() or image.alt_text.strip()):
            missing[image.pk] = image
    return list(missing.values())


def image_titles(titles):
    """“a”、“b” — how the newsroom lists titles in a sentence, in every language."""
    return "、".join(f"“{title}”" for title in titles)


def is_publishing(data):
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


# --- every other publishing path -----------------------------------------------------------
class MissingAltTextError(ValidationError):
    """Publishing refused: the article's photos named in `images` have no alt text.

    Not a PermissionDenied: Wagtail's admin would swap it for its generic "no permission"
    message. The message is translated when raised, in the language of the admin user whose
    action was refused (the newsroom's default, 简体中文, in a worker).
    """

    def __init__(self, page, images):
        self.page = page
        self.images = images
        super().__init__(
            gettext(
                "“%(title)s” was not published: add alt text to these images first (in "
                "Images, or in the article's image block): %(images)s"
            )
            % {"title": page.title, "images": image_titles(image.title for image in images)},
            code="missing_alt_text",
        )


def publishing_refusal(article):
    """The MissingAltTextError publishing `article` (a page as it would go live) would
    raise, or None."""
    missing = images_missing_alt_text(article.cover_image, article.body)
    return MissingAltTextError(article, missing) if missing else None


class AltTextCheckedPublishAction(PublishPageRevisionAction):
    def check(self, skip_permission_checks=False):
        super().check(skip_permission_checks=skip_permission_checks)
        # Checked on the revision being published (self.object), even when the caller skips
        # permission checks: workflows and scheduled publishing do.
        refusal = publishing_refusal(self.object)
        if refusal:
            raise refusal


class AltTextRequiredToPublish:
    """Page-model mixin: publishing any revision goes through AltTextCheckedPublishAction.

    The same call as Wagtail's Page.publish with our action class; Wagtail offers no setting
    to choose the class.
    """

    def publish(
        self,
        revision,
        user=None,
        changed=True,
        log_action=True,
        previous_revision=None,
        skip_permission_checks=False,
    ):
        return AltTextCheckedPublishAction(
            revision,
            user=user,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
        ).execute(skip_permission_checks=skip_permission_checks)


class RefusedPublishingMiddleware:
    """An admin action refused by MissingAltTextError: the reason as an error message, and
    back to where the user was (never a 500).

    Every refusing path runs its writes in a transaction (workflow approval, bulk actions),
    so nothing of the refused action is kept: the article stays in review or in draft.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, MissingAltTextError):
            return None
        messages.error(request, exception.message)
        url = self._return_url(request, exception.page)
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # The dashboard's "Approve with comment" dialog: its script follows "redirect".
            return render_modal_workflow(
                request, None, None, None, json_data={"step": "success", "redirect": url}
            )
        return redirect(url)

    @staticmethod
    def _return_url(request, page):
        next_url = get_valid_next_url_from_request(request)
        if next_url:
            return next_url
        referer = request.headers.get("referer", "")
        if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}):
            return referer
        return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def record_refused_schedule(revision, error):
    """Scheduled go-live refused: said once per revision in the log and the page's history.

    The revision stays scheduled, so the next run publishes it once the photos have alt
    text; the history entry tells editors why it is late.
    """
    already_recorded = PageLogEntry.objects.filter(
        revision=revision, action=SCHEDULE_REFUSED_ACTION
    ).exists()
    if already_recorded:
        logger.debug("Scheduled revision %s still waits for alt text", revision.pk)
        return
    titles = [image.title for image in error.images]
    logger.warning(
        "Scheduled publishing of page %s (%r, revision %s) refused: images without alt text: %s",
        error.page.pk,
        error.page.title,
        revision.pk,
        ", ".join(titles),
    )
    log(
        instance=error.page,
        action=SCHEDULE_REFUSED_ACTION,
        revision=revision,
        data={"images": titles},
        content_changed=False,
    )
