"""Rules an article must meet before it goes live, on every publishing path.

Wagtail publishes from several places: the editor's buttons, approval from the dashboard
or the workflow views, the listing's bulk Publish, scheduled go-live, and any code calling
`revision.publish()`. Editor forms can refuse early with a form error, but only the publish
action sees every path, so the rules live there.

An app adds a rule by registering a `refuse_publishing` hook: a function taking the page as
it would go live and returning a `PublishingRefused` (or None). Rules so far: alt text on
every photo (here, with media/publishing.py's check), confirmed machine translations where
the channel asks for review (translations/review.py).
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from wagtail import hooks
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry, Revision

from media.models import NewsImage
from media.publishing import image_titles, images_missing_alt_text

logger = logging.getLogger(__name__)

REFUSE_PUBLISHING_HOOK = "refuse_publishing"
# The page-history entry left when scheduled publishing is refused (cms/wagtail_hooks.py).
SCHEDULE_REFUSED_ACTION = "qiaoyin.publish.scheduled.refused"


class PublishingRefused(ValidationError):
    """Publishing `page` refused, with the reason for people (`message`, translated when
    raised, in the language of the admin user whose action was refused; the newsroom's
    default, 简体中文, in a worker).

    Not a PermissionDenied: Wagtail's admin would swap it for its generic "no permission"
    message. Each subclass names, in `schedule_log_action`, the page-history entry left when
    scheduled go-live is refused (registered, with its formatter, by the subclass's app);
    `log_data` is what that entry keeps.
    """

    schedule_log_action: str

    def __init__(self, page: Page, message: str, code: str, log_data: dict | None = None):
        self.page = page
        self.log_data = log_data or {}
        super().__init__(message, code=code)


def publishing_refusal(page: Page) -> PublishingRefused | None:
    """The first rule `page` (as it would go live) breaks, as a PublishingRefused, or None."""
    for rule in hooks.get_hooks(REFUSE_PUBLISHING_HOOK):
        refusal = rule(page)
        if refusal is not None:
            return refusal
    return None


class CheckedPublishPageRevisionAction(PublishPageRevisionAction):
    def check(self, skip_permission_checks=False):
        super().check(skip_permission_checks=skip_permission_checks)
        # Checked on the revision being published (self.object), even when the caller skips
        # permission checks: workflows and scheduled publishing do.
        refusal = publishing_refusal(self.object)
        if refusal:
            raise refusal


class PublishingRulesChecked:
    """Page-model mixin: publishing any revision goes through CheckedPublishPageRevisionAction.

    The same call as Wagtail's Page.publish with our action class; Wagtail offers no setting
    to choose the class. Publishing and unpublishing are each one transaction: the page row
    and what the signal receivers write (the stations' ledger) commit together or not at
    all, and side effects queued with on_commit run after it (Wagtail opens none itself).
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
        with transaction.atomic():
            return CheckedPublishPageRevisionAction(
                revision,
                user=user,
                changed=changed,
                log_action=log_action,
                previous_revision=previous_revision,
            ).execute(skip_permission_checks=skip_permission_checks)

    def unpublish(self, *args, **kwargs):
        with transaction.atomic():
            return super().unpublish(*args, **kwargs)


# The admin's page views (edit, create, unpublish, delete, move, workflow actions, reverting
# a revision) call Wagtail's actions directly, outside any transaction.
PAGE_ADMIN_NAMESPACE = "wagtailadmin_pages"


class PageActionTransactionMiddleware:
    """Every POST to the admin's page views commits or rolls back as one transaction.

    Publishing from the editor saves the revision, makes it live and lets the signal
    receivers write the stations' ledger: all in this transaction, so the revision is never
    live without its ledger version. What talks to Redis, the broker or the search engine is
    queued with on_commit and runs once the editor's change is stored, each callback guarded
    (config/queue.py, cms/page_cache.py): an outage then never shows the editor an error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not self._is_page_action(request.path_info):
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)

    @staticmethod
    def _is_page_action(path):
        try:
            return PAGE_ADMIN_NAMESPACE in resolve(path).namespaces
        except Resolver404:
            return False


class RefusedPublishingMiddleware:
    """An admin action refused by PublishingRefused: the reason as an error message, and
    back to where the user was (never a 500).

    Every refusing path runs its writes in a transaction (workflow approval, bulk actions),
    so nothing of the refused action is kept: the article stays in review or in draft.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PublishingRefused):
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


def record_refused_schedule(revision: Revision, refusal: PublishingRefused) -> None:
    """Scheduled go-live refused: said once per revision in the log and the page's history.

    The revision stays scheduled, so the next run publishes it once the rule is met; the
    history entry tells editors why it is late.
    """
    already_recorded = PageLogEntry.objects.filter(
        revision=revision, action=refusal.schedule_log_action
    ).exists()
    if already_recorded:
        logger.debug("Scheduled revision %s still refused (%s)", revision.pk, refusal.code)
        return
    logger.warning(
        "Scheduled publishing of page %s (%r, revision %s) refused: %s",
        refusal.page.pk,
        refusal.page.title,
        revision.pk,
        refusal.message,
    )
    log(
        instance=refusal.page,
        action=refusal.schedule_log_action,
        revision=revision,
        data=refusal.log_data,
        content_changed=False,
    )


# --- the alt-text rule ---------------------------------------------------------------------
class MissingAltTextError(PublishingRefused):
    """Publishing refused: the article's photos named in `images` have no alt text."""

    schedule_log_action = SCHEDULE_REFUSED_ACTION

    def __init__(self, page: Page, images: list[NewsImage]):
        self.images = images
        titles = [image.title for image in images]
        super().__init__(
            page,
            gettext(
                "“%(title)s” was not published: add alt text to these images first (in "
                "Images, or in the article's image block): %(images)s"
            )
            % {"title": page.title, "images": image_titles(titles)},
            code="missing_alt_text",
            log_data={"images": titles},
        )


def missing_alt_text_refusal(article: Page) -> MissingAltTextError | None:
    """The MissingAltTextError publishing `article` (a page as it would go live) would
    raise, or None. A `refuse_publishing` rule (cms/wagtail_hooks.py)."""
    if not hasattr(article, "cover_image"):
        return None  # a page type without photos of its own
    missing = images_missing_alt_text(article.cover_image, article.body)
    return MissingAltTextError(article, missing) if missing else None
