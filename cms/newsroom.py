"""The newsroom's fixed structure: locales, the home page of every language edition, the
editorial groups and the review workflow. Every function is idempotent, so `setup_newsroom`
can run on each start and on an existing production database.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import HomePage
from .signals import newsroom_set_up

logger = logging.getLogger(__name__)

CHIEF_EDITORS = "总编辑"
EDITORS = "编辑"
TRANSLATORS = "翻译"
REVIEW_WORKFLOW = "编辑审核 Editor review"
REVIEW_TASK = "总编辑审核 Chief editor approval"
SITE_NAME = "侨音 Qiaoyin"
SITE_TAGLINE = "侨音融媒体中心"

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
# What each role may do with photos, documents and video/audio, in every collection.
# Wagtail's (and wagtailmedia's) ownership policy: "add" lets a person upload and then edit or
# delete what they uploaded themselves; "change" lets them edit and delete everyone's items
# (it has no separate delete right). wagtailmedia has no "choose" either: its chooser lists
# the items a person may change, so choosing a colleague's video needs "change".
LIBRARY_RIGHTS = {
    CHIEF_EDITORS: {
        "image": ["add", "change", "choose"],
        "document": ["add", "change", "choose"],
        "media": ["add", "change"],
    },
    EDITORS: {
        "image": ["add", "change", "choose"],
        "document": ["add", "change", "choose"],
        "media": ["add", "change"],
    },
    # Translators swap a photo or document for a localised one and may upload their own.
    TRANSLATORS: {
        "image": ["add", "choose"],
        "document": ["add", "choose"],
        "media": ["add"],
    },
}
# Bylines, sources and countries are picked (and added) while writing an article.
NEWSROOM_SNIPPET_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("author", "source", "country")
    for action in ("add", "change", "view")
]
# Newsroom-wide settings the chief editors own: the translation glossary and per-channel
# translation options, and the search dictionary and synonyms. Translators read the glossary.
CHIEF_EDITOR_SETTINGS_MODELS = [
    ("translations", "glossaryterm"),
    ("translations", "channeltranslationsettings"),
    ("search", "dictionaryword"),
    ("search", "synonym"),
]
SETTINGS_ACTIONS = ("add", "change", "delete", "view")
# Wagtail's migrations create these groups and a "Moderators approval" workflow on the whole
# tree. Ours replace them; left in place they would grant rights outside our groups' design.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def translator_group_name(language_code: str) -> str:
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
        edition = home.get_translation_or_none(locale)
        if edition is None:
            edition = home.copy_for_translation(locale)
            _name_edition(edition, code)
        elif (edition.title, edition.tagline) == (SITE_NAME, SITE_TAGLINE):
            # Copied untranslated by an earlier version (Chinese chrome on every edition).
            _name_edition(edition.specific, code)
        homes[code] = edition
    return {code: HomePage.objects.get(pk=page.pk) for code, page in homes.items()}


def edition_name_and_tagline(language_code):
    """The publication's name and tagline in one edition's language (the catalogues')."""
    with translation.override(language_code):
        return gettext("Qiaoyin"), gettext("Qiaoyin Media Centre")


def _name_edition(edition, language_code):
    edition.title, edition.tagline = edition_name_and_tagline(language_code)
    edition.draft_title = edition.title
    edition.save_revision().publish()


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


def _grant_admin_and_media(group):
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    _set_library_rights(group, LIBRARY_RIGHTS[group.name])


def _library_models():
    """The models whose permissions Wagtail and wagtailmedia check for each library.

    Not the custom models themselves: Wagtail's image permission policy checks the
    permissions of wagtailimages.Image whatever WAGTAILIMAGES_IMAGE_MODEL is, and
    wagtailmedia's those of wagtailmedia.Media (their `auth_model`)."""
    return {
        "image": ContentType.objects.get_by_natural_key("wagtailimages", "image"),
        "document": ContentType.objects.get_for_model(get_document_model()),
        "media": ContentType.objects.get_by_natural_key("wagtailmedia", "media"),
    }


def _set_library_rights(group, rights):
    """Exactly these rights on the root collection (and so every collection below it)."""
    root_collection = Collection.get_first_root_node()
    granted = GroupCollectionPermission.objects.filter(group=group, collection=root_collection)
    wanted = set()
    for library, content_type in _library_models().items():
        model = content_type.model
        for action in rights[library]:
            permission = Permission.objects.get(
                content_type=content_type, codename=f"{action}_{model}"
            )
            wanted.add(permission.pk)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    # Rights an earlier version granted that the role no longer has, and the grants on the
    # custom image model that no check ever read (media.*_newsimage).
    library_types = [
        *_library_models().values(),
        ContentType.objects.get_for_model(get_image_model()),
    ]
    granted.filter(permission__content_type__in=library_types).exclude(
        permission__in=wanted
    ).delete()


def _grant_newsroom_snippets(group):
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="cms", codename__in=NEWSROOM_SNIPPET_PERMISSIONS
        )
    )


def _grant_model_permissions(group, models, actions):
    group.permissions.add(
        *Permission.objects.filter(
            content_type__in=[
                ContentType.objects.get_by_natural_key(app_label, model)
                for app_label, model in models
            ],
            codename__in=[f"{action}_{model}" for _, model in models for action in actions],
        )
    )


def _submit_translation_permission():
    """wagtail-localize's "Translate this page" permission.

    A data migration creates it, so a database flush (transactional tests) loses it while
    post_migrate restores the model permissions; recreate it the way that migration does.
    """
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    return permission


def _grant_submit_translation(group):
    """Wagtail's default groups held "Translate this page"; ours must."""
    group.permissions.add(_submit_translation_permission())


def ensure_groups(homes):
    """总编辑 publish everywhere; 编辑 draft and submit in Chinese; 翻译 edit their locales only.

    Translators are confined by Wagtail's own page permissions: each language edition is its
    own page tree, and a per-locale translator group holds edit rights on that tree only.
    """
    root = Page.get_first_root_node()
    chief, _ = Group.objects.get_or_create(name=CHIEF_EDITORS)
    _grant_admin_and_media(chief)
    _grant_newsroom_snippets(chief)
    _grant_submit_translation(chief)
    _grant_page_permissions(chief, root, CHIEF_EDITOR_PAGE_PERMISSIONS)
    _grant_model_permissions(chief, CHIEF_EDITOR_SETTINGS_MODELS, SETTINGS_ACTIONS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    _grant_admin_and_media(editors)
    _grant_newsroom_snippets(editors)
    _grant_submit_translation(editors)
    _grant_page_permissions(editors, homes[settings.LANGUAGE_CODE], EDITOR_PAGE_PERMISSIONS)
    translators, _ = Group.objects.get_or_create(name=TRANSLATORS)
    _grant_admin_and_media(translators)
    _grant_model_permissions(translators, [("translations", "glossaryterm")], ["view"])
    for code, home in homes.items():
        if code == settings.LANGUAGE_CODE:
            continue
        group, _ = Group.objects.get_or_create(name=translator_group_name(code))
        _grant_page_permissions(group, home, TRANSLATOR_PAGE_PERMISSIONS)
    return {"chief": chief, "editors": editors, "translators": translators}


def ensure_review_workflow(chief_editors):
    """Every page change is reviewed by a chief editor before it goes live.

    A workflow without an active task finishes the moment it starts, publishing as whoever
    submitted; so the approval task is (re)linked and (re)activated on every run.
    """
    task, _ = GroupApprovalTask.objects.get_or_create(name=REVIEW_TASK)
    task.groups.add(chief_editors)
    if not task.active:
        GroupApprovalTask.objects.filter(pk=task.pk).update(active=True)
    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW)
    if not workflow.active:
        Workflow.objects.filter(pk=workflow.pk).update(active=True)
    # Not workflow.workflow_tasks.create(): that modelcluster manager defers the write.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(
        page=Page.get_first_root_node(), defaults={"workflow": workflow}
    )
    return workflow


def retire_wagtail_defaults():
    """Remove Wagtail's default groups and switch off its default workflow.

    A default group that still has members is kept: deleting it would silently take rights
    away from a person; an administrator moves them to our groups first. Returns the names
    of the groups kept.
    """
    kept = []
    for group in Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS):
        if group.user_set.exists():
            kept.append(group.name)
            logger.warning(
                "Wagtail's default group %r still has members; move them to the newsroom's "
                "groups, then run setup_newsroom again to remove it.",
                group.name,
            )
        else:
            group.delete()
    for workflow in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True):
        workflow.deactivate()
    for task in Task.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True):
        task.specific.deactivate()
    return kept


@transaction.atomic
def setup_newsroom() -> dict[str, HomePage]:
    locales = ensure_locales()
    ensure_tree_roots(locales[settings.LANGUAGE_CODE])
    homes = ensure_home_pages(locales)
    groups = ensure_groups(homes)
    ensure_review_workflow(groups["chief"])
    retire_wagtail_defaults()
    newsroom_set_up.send(sender=HomePage, groups=groups)
    return homes
