"""The newsroom's fixed structure: locales, the home page of every language edition, the
editorial groups and the review workflow. Every function is idempotent, so `setup_newsroom`
can run on each start and on an existing production database.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
)

from .models import HomePage

CHIEF_EDITORS = "总编辑"
EDITORS = "编辑"
TRANSLATORS = "翻译"
REVIEW_WORKFLOW = "编辑审核 Editor review"
REVIEW_TASK = "总编辑审核 Chief editor approval"
SITE_NAME = "侨音 Qiaoyin"

CHIEF_EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
TRANSLATOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
IMAGE_ACTIONS = ["add", "change", "choose"]


def translator_group_name(language_code):
    """The group that may edit one language edition, e.g. "翻译 · English"."""
    return f"{TRANSLATORS} · {dict(settings.LANGUAGES)[language_code]}"


def ensure_locales():
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


def ensure_tree_roots(locale):
    """The page and collection roots Wagtail's migrations create (gone after a DB flush)."""
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def ensure_home_pages(locales):
    """One HomePage per language edition; the zh-hans one is the site's root."""
    source_locale = locales[settings.LANGUAGE_CODE]
    home = HomePage.objects.filter(locale=source_locale).first()
    if home is None:
        home = _create_source_home(source_locale)
    homes = {settings.LANGUAGE_CODE: home}
    for code, locale in locales.items():
        if code == settings.LANGUAGE_CODE:
            continue
        translation = home.get_translation_or_none(locale)
        if translation is None:
            translation = home.copy_for_translation(locale)
            translation.save_revision().publish()
        homes[code] = translation
    return {code: HomePage.objects.get(pk=page.pk) for code, page in homes.items()}


def _create_source_home(locale):
    # Wagtail's own "Welcome" placeholder (and the Site pointing at it) make way for ours.
    for placeholder in Page.objects.filter(depth=2):
        if type(placeholder.specific) is Page:
            placeholder.delete()
    root = Page.get_first_root_node()
    home = HomePage(title=SITE_NAME, slug="home", locale=locale, tagline="侨音融媒体中心")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": SITE_NAME},
    )
    return home


def _grant_page_permissions(group, page, codenames):
    for codename in codenames:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_admin_and_images(group):
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    root_collection = Collection.get_first_root_node()
    image_model = get_image_model()._meta
    for action in IMAGE_ACTIONS:
        permission = Permission.objects.get(
            content_type__app_label=image_model.app_label,
            codename=f"{action}_{image_model.model_name}",
        )
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )


def ensure_groups(homes):
    """总编辑 publish everywhere; 编辑 draft and submit in Chinese; 翻译 edit their locales only.

    Translators are confined by Wagtail's own page permissions: each language edition is its
    own page tree, and a per-locale translator group holds edit rights on that tree only.
    """
    root = Page.get_first_root_node()
    chief, _ = Group.objects.get_or_create(name=CHIEF_EDITORS)
    _grant_admin_and_images(chief)
    _grant_page_permissions(chief, root, CHIEF_EDITOR_PAGE_PERMISSIONS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    _grant_admin_and_images(editors)
    _grant_page_permissions(editors, homes[settings.LANGUAGE_CODE], EDITOR_PAGE_PERMISSIONS)
    translators, _ = Group.objects.get_or_create(name=TRANSLATORS)
    _grant_admin_and_images(translators)
    for code, home in homes.items():
        if code == settings.LANGUAGE_CODE:
            continue
        group, _ = Group.objects.get_or_create(name=translator_group_name(code))
        _grant_page_permissions(group, home, TRANSLATOR_PAGE_PERMISSIONS)
    return {"chief": chief, "editors": editors, "translators": translators}


def ensure_review_workflow(chief_editors):
    """Every page change is reviewed by a chief editor before it goes live."""
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
        task.groups.set([chief_editors])
    workflow, created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW)
    if created:
        workflow.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(
        page=Page.get_first_root_node(), defaults={"workflow": workflow}
    )
    return workflow


@transaction.atomic
def setup_newsroom():
    locales = ensure_locales()
    ensure_tree_roots(locales[settings.LANGUAGE_CODE])
    homes = ensure_home_pages(locales)
    groups = ensure_groups(homes)
    ensure_review_workflow(groups["chief"])
    return homes
